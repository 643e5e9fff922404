import Tensors

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
