import Networks
import Tensors

extension TrainingContext {
    /// Re-initialises `layers` (parameters from their initialisers with `rng`, BatchNorm
    /// statistics too) and zeroes the optimiser state of exactly their entries.
    func reset(_ layers: [any Layer]) throws {
        var indices: [Int] = []
        for layer in layers {
            try layer.reinitialize(using: &rng)
            layer.resetBuffers()
            indices += layer.parameterIndices
        }
        optimizer.resetState(indices: indices)
    }

    /// Every layer with own parameters (the leaves a reset re-draws), in network order.
    var parameterisedLayers: [(name: String, layer: any Layer)] {
        network.namedLayers.filter { !$0.layer.localParameters.isEmpty }
    }
}
