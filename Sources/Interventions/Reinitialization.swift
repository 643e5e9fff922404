import Networks
import Tensors

/// Re-draws a layer's own parameters exactly as its initialiser drew them at construction:
/// a Linear's weight from `initializer` with fans (in, out), a Conv2d's with fans
/// (C·K·K, O·K·K), biases from U(−1/√fanIn, 1/√fanIn) (weight first, then bias, the
/// construction order); LayerNorm and BatchNorm gain 1 and offset 0. A layer without own
/// parameters is left alone; any other parameterised layer is an error.
func reinitializeParameters(of layer: any Layer, rng: inout RandomGenerator) throws {
    if let l = layer as? Linear {
        l.initializer.fill(l.weight.valueBuffer, fanIn: l.inputFeatures, fanOut: l.outputFeatures, rng: &rng)
        if let b = l.bias { Initializer.fillBias(b.valueBuffer, fanIn: l.inputFeatures, rng: &rng) }
    } else if let c = layer as? Conv2d {
        let kk = c.kernelSize * c.kernelSize
        c.initializer.fill(c.weight.valueBuffer, fanIn: c.inputChannels * kk, fanOut: c.outputChannels * kk, rng: &rng)
        if let b = c.bias { Initializer.fillBias(b.valueBuffer, fanIn: c.inputChannels * kk, rng: &rng) }
    } else if let n = layer as? LayerNorm {
        n.weight.valueBuffer.update(repeating: 1)
        n.bias.valueBuffer.update(repeating: 0)
    } else if let n = layer as? BatchNorm {
        n.weight.valueBuffer.update(repeating: 1)
        n.bias.valueBuffer.update(repeating: 0)
    } else if !layer.localParameters.isEmpty {
        throw InterventionError("cannot re-initialise a \(type(of: layer)) layer (supported: Linear, Conv2d, LayerNorm, BatchNorm)")
    }
}

/// Resets BatchNorm running statistics to their construction values (mean 0, variance 1,
/// no batches tracked); other layers are left alone.
func resetRunningStatistics(of layer: any Layer) {
    guard let n = layer as? BatchNorm else { return }
    n.runningMean.tensor.fill(0)
    n.runningVariance.tensor.fill(1)
    n.batchesTracked.tensor.fill(0)
}

extension TrainingContext {
    /// Re-initialises `layers` (parameters from their initialisers with `rng`, BatchNorm
    /// statistics too) and zeroes the optimiser state of exactly their entries.
    func reset(_ layers: [any Layer]) throws {
        var indices: [Int] = []
        for layer in layers {
            try reinitializeParameters(of: layer, rng: &rng)
            resetRunningStatistics(of: layer)
            indices += layer.parameterIndices
        }
        optimizer.resetState(indices: indices)
    }

    /// Every layer with own parameters (the leaves a reset re-draws), in network order.
    var parameterisedLayers: [(name: String, layer: any Layer)] {
        network.namedLayers.filter { !$0.layer.localParameters.isEmpty }
    }
}
