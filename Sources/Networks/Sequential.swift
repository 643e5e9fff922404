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

/// A residual connection `y = body(x) + shortcut(x)` (identity shortcut when nil), as in a
/// ResNet basic block; put the post-addition activation after it in a `Sequential`.
/// Children are named "body" and "shortcut".
public final class Residual: Layer {
    public let body: any Layer
    public let shortcut: (any Layer)?
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { output }
    private let output = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))

    public init(_ body: any Layer, shortcut: (any Layer)? = nil) {
        self.body = body
        self.shortcut = shortcut
    }

    public var sublayers: [(name: String, layer: any Layer)] {
        [("body", body)] + (shortcut.map { [("shortcut", $0)] } ?? [])
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        lastInput = input
        let b = body.forward(input, mode: mode)
        let s = shortcut?.forward(input, mode: mode) ?? input
        precondition(b.shape == s.shape, "Residual: body \(b.shape) and shortcut \(s.shape) differ")
        output.resize(to: b.shape)
        let y = output.data, bp = b.data, sp = s.data
        for i in 0..<output.count { y[i] = bp[i] + sp[i] }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let gb = body.backward(outputGradient)
        let gs = shortcut?.backward(outputGradient) ?? outputGradient
        inputGradient.resize(to: gb.shape)
        let d = inputGradient.data, a = gb.data, c = gs.data
        for i in 0..<inputGradient.count { d[i] = a[i] + c[i] }
        return inputGradient
    }
}

/// Reshapes [N, …] to [N, ∏…] without copying (`nn.Flatten`).
public final class Flatten: Layer {
    public private(set) var lastInput: Tensor?
    public private(set) var lastOutput: Tensor?
    private var gradientView: Tensor?

    public init() {}

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        lastInput = input
        let shape = Shape(input.shape[0], input.shape.trailingCount)
        if let v = lastOutput, v.data == input.data, v.shape == shape { return v }
        let v = Tensor(viewing: input, as: shape)
        lastOutput = v
        return v
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let x = lastInput else { preconditionFailure("Flatten.backward before forward") }
        if let v = gradientView, v.data == outputGradient.data, v.shape == x.shape { return v }
        let v = Tensor(viewing: outputGradient, as: x.shape)
        gradientView = v
        return v
    }
}
