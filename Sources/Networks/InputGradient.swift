import Tensors

/// A layer that can skip its input gradient dL/dx when nothing reads it, as PyTorch does for
/// an input that does not require grad. A network's first Linear or Conv2d reads the data, so
/// training needs only its dL/dθ; skipping dL/dx there saves one GEMM per backward pass (a
/// quarter of an MLP's FLOPs on 784 inputs). When skipped, backward returns zeros.
public protocol InputGradientSkipping: Layer {
    /// Whether backward computes dL/dx (default true; `Network.backward` sets it).
    var computesInputGradient: Bool { get set }
}

extension Network {
    /// The first Linear or Conv2d on the input path (through leading Sequentials and
    /// Flattens), whose input gradient `backward(_:inputGradient:)` may skip.
    static func inputLayer(of layer: any Layer) -> (any InputGradientSkipping)? {
        if let skipping = layer as? any InputGradientSkipping { return skipping }
        guard let sequence = layer as? Sequential else { return nil }
        guard let first = sequence.layers.first(where: { !($0 is Flatten) }) else { return nil }
        return inputLayer(of: first)
    }
}
