import Networks
import Tensors

/// The τ-dormant units of every hidden layer after an evaluation-mode forward of `inputs`, in
/// forward order: what ReDo (Sokar et al. 2023) re-initialises. The network's layer caches then
/// hold `inputs`; parameters and buffers are unchanged.
///
/// ```swift
/// for (layer, units) in dormantUnits(in: net, inputs: probe, threshold: 0.1) { … }
/// ```
public func dormantUnits(in network: Network, inputs: Tensor, threshold: Double) -> [(layer: String, units: [Int])] {
    _ = network.forward(inputs, mode: .evaluation)
    return network.hiddenLayers.map { layer in
        let statistics = UnitStatistics(HiddenLayerActivity(layer))
        return (layer.name, DormancyScores.dormant(statistics.meanAbsoluteActivation, threshold: threshold))
    }
}
