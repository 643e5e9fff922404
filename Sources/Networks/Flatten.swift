import Tensors

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
