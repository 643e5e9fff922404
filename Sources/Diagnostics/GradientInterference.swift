import Networks
import Tensors

/// Settings of gradient interference.
public struct GradientInterferenceOptions: Sendable, Equatable {
    /// N: the first N probe examples are used.
    public var maximumExamples: Int
    /// Bytes the Float32 per-example gradients may hold at once (built in column slices).
    public var memoryBudget: Int

    public init(maximumExamples: Int = 256, memoryBudget: Int = 256 << 20) {
        self.maximumExamples = maximumExamples
        self.memoryBudget = memoryBudget
    }
}

/// Gradient interference ([U] Lyle et al. 2023 §4): the cosine similarity of per-example
/// loss gradients gₙ = ∂ℓ(f(xₙ), yₙ)/∂θ,
///
///     C[n, m] = gₙ · g_m / (‖gₙ‖ ‖g_m‖),
///
/// each gₙ from a batch-size-1 backward pass of the probe loss in evaluation mode
/// (`perExampleGradientGram`). A zero gradient makes its row and column nil (research spec
/// conventions) and leaves them out of the summaries: the mean off-diagonal cosine over
/// pairs n < m and the fraction of those pairs with C < 0. Negative cosines mean a step on
/// one example raises the loss of another.
public struct GradientInterference: Sendable {
    public let examples: Int
    /// C, row-major N×N; nil where either gradient is zero.
    public let cosines: [Double?]
    /// Examples whose gradient is exactly zero.
    public let zeroGradients: Int
    /// Mean of C[n, m] over defined pairs n < m; nil if there are none.
    public let meanCosine: Double?
    /// Fraction of defined pairs with C[n, m] < 0; nil if there are none.
    public let fractionNegative: Double?

    public init(network: Network, probe: ProbeBatch,
                options: GradientInterferenceOptions = GradientInterferenceOptions()) throws {
        guard let targets = probe.targets else { throw DiagnosticError("gradient interference needs probe targets") }
        let n = Swift.min(options.maximumExamples, probe.exampleCount)
        let loss = TrainingLoss(probe.loss)
        let none = Tensor(shape: Shape(0))
        let target: Tensor
        if case .values(let values) = targets {
            guard values.shape[0] == probe.exampleCount else {
                throw DiagnosticError("\(values.shape[0]) probe targets for \(probe.exampleCount) inputs")
            }
            var dims = values.shape.dimensions
            dims[0] = 1
            target = Tensor(shape: Shape(dims))
        } else {
            target = none
        }
        let gram = perExampleGradientGram(network, inputs: probe.inputs, examples: n, rowsPerExample: 1,
                                          memoryBudget: options.memoryBudget) { example, _, output in
            switch targets {
            case .labels(let labels):
                _ = loss(output, labels: [labels[example]], values: none)
            case .values(let values):
                target.data.update(from: values.data + example * target.count, count: target.count)
                _ = loss(output, labels: [], values: target)
            }
            return loss.gradient
        }
        let norms = (0..<n).map { gram[$0 * n + $0].squareRoot() }
        var cosines = [Double?](repeating: nil, count: n * n)
        var sum = 0.0, negative = 0, pairs = 0
        for i in 0..<n where norms[i] > 0 {
            for j in 0..<n where norms[j] > 0 {
                let c = gram[i * n + j] / (norms[i] * norms[j])
                cosines[i * n + j] = c
                if j > i {
                    sum += c
                    pairs += 1
                    if c < 0 { negative += 1 }
                }
            }
        }
        examples = n
        self.cosines = cosines
        zeroGradients = norms.filter { $0 == 0 }.count
        meanCosine = pairs > 0 ? sum / Double(pairs) : nil
        fractionNegative = pairs > 0 ? Double(negative) / Double(pairs) : nil
    }
}

/// The interference group: `interference.mean_cosine`, `interference.fraction_negative`,
/// `interference.zero_gradients`, `interference.examples`.
public func interferenceMetrics(network: Network, probe: ProbeBatch,
                                options: GradientInterferenceOptions = GradientInterferenceOptions()) throws -> DiagnosticValues {
    let g = try GradientInterference(network: network, probe: probe, options: options)
    var v = DiagnosticValues()
    v.set("interference.mean_cosine", g.meanCosine)
    v.set("interference.fraction_negative", g.fractionNegative)
    v.set("interference.zero_gradients", Double(g.zeroGradients))
    v.set("interference.examples", Double(g.examples))
    return v
}
