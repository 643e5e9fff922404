import Tensors

/// Batch normalisation over axis 1 of [N, C] or [N, C, H, W] (`nn.BatchNorm1d/2d`, Ioffe &
/// Szegedy 2015).
///
/// Training: μ_c, σ²_c (biased) over N·H·W, y = γ x̂ + β, and running statistics updated as
/// `running = (1 − momentum)·running + momentum·stat` with the unbiased variance, as PyTorch.
/// Evaluation: x̂ uses the running statistics. Backward in training mode, per channel over
/// its M = N·H·W values: dx = (γ/σ)(dy − mean(dy) − x̂·mean(dy ⊙ x̂)); in evaluation mode
/// dx = dy·γ/√(running_var + ε).
public final class BatchNorm: NormalizationLayer {
    public let channels: Int
    public let momentum: Float
    public let epsilon: Float
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Buffer
    public let runningVariance: Buffer
    public let batchesTracked: Buffer
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { output }
    private var lastMode: Mode = .training
    private let output = Tensor(shape: Shape(0))
    private let normalized = Tensor(shape: Shape(0))
    private let inverseStd = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))

    public init(_ channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        self.channels = channels
        self.momentum = momentum
        self.epsilon = epsilon
        weight = Parameter(shape: Shape(channels))
        bias = Parameter(shape: Shape(channels))
        weight.valueBuffer.update(repeating: 1)
        runningMean = Buffer(Tensor(shape: Shape(channels)))
        runningVariance = Buffer(Tensor(shape: Shape(channels), repeating: 1))
        batchesTracked = Buffer(Tensor(shape: Shape()), storedType: .int64)
    }

    public var localParameters: [(name: String, parameter: Parameter)] { [("weight", weight), ("bias", bias)] }
    public var localBuffers: [(name: String, buffer: Buffer)] {
        [("running_mean", runningMean), ("running_var", runningVariance), ("num_batches_tracked", batchesTracked)]
    }

    /// γ = 1, β = 0, as the constructor sets them (no randomness drawn).
    public func reinitialize(using rng: inout RandomGenerator) {
        weight.valueBuffer.update(repeating: 1)
        bias.valueBuffer.update(repeating: 0)
    }

    /// Running mean 0, variance 1, no batches tracked: the construction values.
    public func resetBuffers() {
        runningMean.tensor.fill(0)
        runningVariance.tensor.fill(1)
        batchesTracked.tensor.fill(0)
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.shape.count >= 2 && input.shape[1] == channels,
                     "BatchNorm(\(channels)) got input \(input.shape)")
        lastInput = input
        lastMode = mode
        let n = input.shape[0], spatial = input.shape.trailingCount / channels, m = n * spatial
        output.resize(to: input.shape)
        normalized.resize(to: input.shape)
        inverseStd.resize(to: Shape(channels))
        let x = input.data, y = output.data, xh = normalized.data, rstd = inverseStd.data
        let g = weight.value, b = bias.value
        let rm = runningMean.tensor.data, rv = runningVariance.tensor.data
        if mode == .training {
            precondition(m > 1, "BatchNorm in training mode needs more than one value per channel")
            batchesTracked.tensor.data[0] += 1
        }
        for c in 0..<channels {
            var mean: Float, variance: Float
            if mode == .training {
                var s: Double = 0
                for i in 0..<n { let p = x + (i * channels + c) * spatial; for k in 0..<spatial { s += Double(p[k]) } }
                mean = Float(s / Double(m))
                var v: Double = 0
                for i in 0..<n {
                    let p = x + (i * channels + c) * spatial
                    for k in 0..<spatial { let d = Double(p[k] - mean); v += d * d }
                }
                variance = Float(v / Double(m))
                rm[c] = (1 - momentum) * rm[c] + momentum * mean
                rv[c] = (1 - momentum) * rv[c] + momentum * Float(v / Double(m - 1))
            } else {
                mean = rm[c]
                variance = rv[c]
            }
            let s = 1 / (variance + epsilon).squareRoot()
            rstd[c] = s
            for i in 0..<n {
                let off = (i * channels + c) * spatial
                for k in 0..<spatial {
                    let h = (x[off + k] - mean) * s
                    xh[off + k] = h
                    y[off + k] = g[c] * h + b[c]
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = lastInput else { preconditionFailure("BatchNorm.backward before forward") }
        let n = input.shape[0], spatial = input.shape.trailingCount / channels, m = Float(n * spatial)
        inputGradient.resize(to: input.shape)
        let dy = outputGradient.data, dx = inputGradient.data, xh = normalized.data, rstd = inverseStd.data
        let g = weight.value, dg = weight.gradient, db = bias.gradient
        for c in 0..<channels {
            var sumDy: Float = 0, sumDyH: Float = 0
            for i in 0..<n {
                let off = (i * channels + c) * spatial
                for k in 0..<spatial { sumDy += dy[off + k]; sumDyH += dy[off + k] * xh[off + k] }
            }
            dg[c] += sumDyH
            db[c] += sumDy
            let scale = g[c] * rstd[c]
            let meanDy = sumDy / m, meanDyH = sumDyH / m
            for i in 0..<n {
                let off = (i * channels + c) * spatial
                for k in 0..<spatial {
                    dx[off + k] = lastMode == .training
                        ? scale * (dy[off + k] - meanDy - xh[off + k] * meanDyH)
                        : scale * dy[off + k]
                }
            }
        }
        return inputGradient
    }
}
