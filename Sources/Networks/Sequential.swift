import Tensors

/// Layers applied in order (`nn.Sequential`); children are named "0", "1", ….
public final class Sequential: Layer {
    public let layers: [any Layer]
    public private(set) var lastInput: Tensor?
    public private(set) var lastOutput: Tensor?

    public init(_ layers: [any Layer]) { self.layers = layers }
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    public var sublayers: [(name: String, layer: any Layer)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        lastInput = input
        var x = input
        for layer in layers { x = layer.forward(x, mode: mode) }
        lastOutput = x
        return x
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        var g = outputGradient
        for layer in layers.reversed() { g = layer.backward(g) }
        return g
    }
}
