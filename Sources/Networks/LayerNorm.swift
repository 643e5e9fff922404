import Tensors

/// Layer normalisation over the trailing `normalizedCount` elements of each example
/// (`nn.LayerNorm(normalized_shape)`, Ba et al. 2016).
///
/// y = γ ⊙ x̂ + β, x̂ = (x − μ) / √(σ² + ε), μ and σ² (biased) over the normalised elements.
/// Backward, per group of D elements with g = dy ⊙ γ:
/// dx = (1/√(σ²+ε)) · (g − mean(g) − x̂ · mean(g ⊙ x̂)); dγ += Σ dy ⊙ x̂; dβ += Σ dy.
public final class LayerNorm: NormalizationLayer {
    public let normalizedShape: Shape
    public let epsilon: Float
    public let weight: Parameter
    public let bias: Parameter
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { output }
    private let output = Tensor(shape: Shape(0))
    private let normalized = Tensor(shape: Shape(0))
    private let inverseStd = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))

    /// LayerNorm over trailing dimensions `normalizedShape` (e.g. `[256]` or `[C, H, W]`).
    public init(_ normalizedShape: Shape, epsilon: Float = 1e-5) {
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = Parameter(shape: normalizedShape)
        bias = Parameter(shape: normalizedShape)
        weight.valueBuffer.update(repeating: 1)
    }

    public convenience init(_ features: Int, epsilon: Float = 1e-5) {
        self.init(Shape(features), epsilon: epsilon)
    }

    public var localParameters: [(name: String, parameter: Parameter)] { [("weight", weight), ("bias", bias)] }

    /// γ = 1, β = 0, as the constructor sets them (no randomness drawn).
    public func reinitialize(using rng: inout RandomGenerator) {
        weight.valueBuffer.update(repeating: 1)
        bias.valueBuffer.update(repeating: 0)
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        let d = normalizedShape.elementCount
        precondition(input.count % d == 0 && input.shape.trailingCount % d == 0,
                     "LayerNorm(\(normalizedShape)) got input \(input.shape)")
        lastInput = input
        let groups = input.count / d
        output.resize(to: input.shape)
        normalized.resize(to: input.shape)
        inverseStd.resize(to: Shape(groups))
        let x = input.data, y = output.data, xh = normalized.data, rstd = inverseStd.data
        let g = weight.value, b = bias.value, invD = 1 / Float(d)
        for r in 0..<groups {
            let xr = x + r * d, yr = y + r * d, hr = xh + r * d
            let mean = VectorKernels.sum(xr, count: d) * invD
            let variance = VectorKernels.sumOfSquaredDeviations(xr, from: mean, count: d) * invD
            let s = 1 / (variance + epsilon).squareRoot()
            rstd[r] = s
            VectorKernels.normalize(xr, mean: mean, scale: s, gamma: g, beta: b, normalized: hr, into: yr, count: d)
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = lastInput else { preconditionFailure("LayerNorm.backward before forward") }
        let d = normalizedShape.elementCount, groups = input.count / d
        inputGradient.resize(to: input.shape)
        let dy = outputGradient.data, dx = inputGradient.data, xh = normalized.data, rstd = inverseStd.data
        let g = weight.value, dg = weight.gradient, db = bias.gradient, invD = 1 / Float(d)
        for r in 0..<groups {
            let dyr = dy + r * d, hr = xh + r * d, dxr = dx + r * d
            let (sumG, sumGH) = VectorKernels.layerNormGradientSums(dyr, gamma: g, normalized: hr, count: d)
            VectorKernels.addProduct(dyr, hr, into: dg, count: d)
            VectorKernels.add(dyr, into: db, count: d)
            VectorKernels.layerNormInputGradient(dyr, gamma: g, normalized: hr, scale: rstd[r], meanG: sumG * invD,
                                                 meanGH: sumGH * invD, into: dxr, count: d)
        }
        return inputGradient
    }
}
