import Networks

/// Reset of the last k layers at task boundaries [U] (Nikishin et al. 2022 reset the final
/// layers periodically): before every task after the first, the last k Linear/Conv2d layers,
/// and every parameterised layer after the first of them (e.g. a LayerNorm between them), are
/// re-drawn from their initialisers with `training.rng`, and the optimiser state of exactly
/// those entries is zeroed.
public final class ResetLastLayers: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "reset-last-layers", summary: "re-initialises the last k Linear/Conv layers (and their optimiser state) at each task boundary",
        source: "[U]; Nikishin et al. 2022",
        parameters: [("k", "1", "number of final Linear/Conv2d layers to reset")])
    public var name = ResetLastLayers.info.name
    public let k: Int

    public init(_ p: InterventionParameters) throws { k = try p.integer("k", in: 1...Int.max) }

    public func taskWillStart(_ training: any TrainingContext) throws {
        guard training.position.task > 0 else { return }
        let layers = training.parameterisedLayers.map(\.layer)
        let weighted = layers.indices.filter { layers[$0] is any UnitLayer }
        guard let first = weighted.suffix(k).first else { return }
        try training.reset(Array(layers[first...]))
    }
}
