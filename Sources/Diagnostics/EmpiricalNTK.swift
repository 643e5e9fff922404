import Networks
import Tensors

/// Settings of the empirical NTK.
public struct EmpiricalNTKOptions: Sendable, Equatable {
    /// N: the first N probe examples are used (the spec suggests 32–128).
    public var maximumExamples: Int
    /// Whether to build the (N·k)×(N·k) per-logit Gram as well as the N×N summed one.
    public var full: Bool
    /// Bytes the Float32 Jacobian may hold at once (it is built in column slices).
    public var memoryBudget: Int

    public init(maximumExamples: Int = 64, full: Bool = true, memoryBudget: Int = 256 << 20) {
        self.maximumExamples = maximumExamples
        self.full = full
        self.memoryBudget = memoryBudget
    }
}

/// The empirical neural tangent kernel on a small batch (Jacot et al. 2018; [D] Lyle et al.
/// 2024 §3): Gram matrices of per-example output Jacobians J_c(xₙ) = ∂f_c(xₙ)/∂θ, θ in
/// network order, evaluated in evaluation mode on one example at a time with backward passes
/// seeded by one-hot (or all-ones) output gradients (`perExampleGradientGram`).
///
/// - summed: K_s[n, m] = J_s(xₙ) · J_s(x_m), with J_s = ∂(Σ_c f_c)/∂θ, N×N;
/// - full:   K[n·k + c, m·k + d] = J_c(xₙ) · J_d(x_m), (N·k)×(N·k).
///
/// For a linear model f(x) = Wx + b with k outputs, K = I_k-blocked (xₙ·x_m + 1) and
/// K_s = k (xₙ·x_m + 1). Each spectrum is summarised by `KernelSpectrum`.
///
/// ```swift
/// let ntk = try EmpiricalNTK(network: net, inputs: probe.inputs)
/// ntk.summed.conditionNumber
/// ```
public struct EmpiricalNTK: Sendable {
    /// N.
    public let examples: Int
    /// k, outputs per example.
    public let outputs: Int
    /// K_s, row-major N×N.
    public let summedGram: [Double]
    public let summed: KernelSpectrum
    /// K, row-major (N·k)×(N·k), when asked for.
    public let fullGram: [Double]?
    public let full: KernelSpectrum?

    public init(network: Network, inputs: Tensor, options: EmpiricalNTKOptions = EmpiricalNTKOptions()) throws {
        let n = Swift.min(options.maximumExamples, inputs.shape[0])
        guard n >= 1 else { throw DiagnosticError("empirical NTK needs at least one example") }
        let seed = Tensor(shape: Shape(0))
        var k = 0
        summedGram = perExampleGradientGram(network, inputs: inputs, examples: n, rowsPerExample: 1,
                                            memoryBudget: options.memoryBudget) { _, _, output in
            k = output.count
            seed.resize(to: output.shape)
            seed.fill(1)
            return seed
        }
        examples = n
        outputs = k
        summed = try KernelSpectrum(gram: summedGram, size: n)
        guard options.full else {
            fullGram = nil
            full = nil
            return
        }
        let gram = perExampleGradientGram(network, inputs: inputs, examples: n, rowsPerExample: k,
                                          memoryBudget: options.memoryBudget) { _, c, output in
            seed.resize(to: output.shape)
            seed.fill(0)
            seed.data[c] = 1
            return seed
        }
        fullGram = gram
        full = try KernelSpectrum(gram: gram, size: n * k)
    }
}

/// The eNTK group: `entk.examples`, `entk.outputs`, and for `summed` and `full`:
/// `entk.<form>.lambda_max`, `.lambda_min`, `.condition_number`, `.trace`, `.tol`,
/// `.rank_above_tol` (see `KernelSpectrum`). Reads only the probe inputs.
public func entkMetrics(network: Network, probe: ProbeBatch,
                        options: EmpiricalNTKOptions = EmpiricalNTKOptions()) throws -> DiagnosticValues {
    let ntk = try EmpiricalNTK(network: network, inputs: probe.inputs, options: options)
    var v = DiagnosticValues()
    v.set("entk.examples", Double(ntk.examples))
    v.set("entk.outputs", Double(ntk.outputs))
    v.merge(ntk.summed.values(prefix: "entk.summed"))
    if let full = ntk.full { v.merge(full.values(prefix: "entk.full")) }
    return v
}
