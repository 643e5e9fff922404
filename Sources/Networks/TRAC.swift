
/// TRAC (Muppidi, Zhang, Cutkosky et al. 2024, "Fast TRAC: a parameter-free optimizer for
/// lifelong reinforcement learning"): wraps a base optimiser and rescales its cumulative
/// movement away from a reference point θ_ref (the parameters when TRAC is created) by a
/// scale S ≥ 0 that is learned online by coin betting over several discount factors β_n.
///
/// One step with current parameters θ and gradient g (the reference implementation's
/// algorithm, all parameters as one vector):
///     Δ  = (θ − θ_ref) / (Σₙ sₙ + ε)            the unscaled displacement
///     u  = base_step(θ, g) − θ                    the base optimiser's update
///     h  = ⟨Δ, g⟩,  Δ ← Δ + u
///     vₙ ← βₙ² vₙ + h²,  σₙ ← βₙ σₙ − h
///     sₙ = s_init / erfi(1/√2) · erfi(σₙ / (√2 √vₙ + ε))
///     θ ← θ_ref + Δ · max(Σₙ sₙ, 0)
/// with βₙ ∈ {0.9, 0.99, …, 0.999999}, s_init = ε = 1e-8, σₙ starting at 1e-8 and vₙ at 0.
/// Δ is recovered from θ each step, so interventions that edit the parameters between steps
/// (resets, shrink-and-perturb) are simply part of the next Δ. Scalars are computed in Double
/// and stored as Float, so a checkpoint holds the exact state.
///
/// ```swift
/// let opt = TRAC(base: Adam(net.storage, learningRate: 1e-3), storage: net.storage)
/// ```
public final class TRAC: Optimizer {
    public let base: any Optimizer
    public let betas: [Double]
    public let initialScale: Double
    public let epsilon: Double
    private let storage: ParameterStorage
    /// θ_ref, the point the movement is measured from.
    public private(set) var reference: [Float]
    private var scales: [Float]
    private var variances: [Float]
    private var sigmas: [Float]
    private var before: [Float]

    public init(base: any Optimizer, storage: ParameterStorage,
                betas: [Double] = [0.9, 0.99, 0.999, 0.9999, 0.99999, 0.999999],
                initialScale: Double = 1e-8, epsilon: Double = 1e-8) {
        precondition(!betas.isEmpty && betas.allSatisfy { $0 > 0 && $0 < 1 }, "TRAC betas must lie in (0, 1)")
        self.base = base
        self.storage = storage
        self.betas = betas
        self.initialScale = initialScale
        self.epsilon = epsilon
        reference = Array(storage.valueBuffer)
        before = reference
        scales = betas.map { _ in 0 }
        variances = betas.map { _ in 0 }
        sigmas = betas.map { _ in 1e-8 }
    }

    public var learningRate: Float {
        get { base.learningRate }
        set { base.learningRate = newValue }
    }

    public var stepCount: Int { base.stepCount }

    /// The current scale S = max(Σₙ sₙ, 0) applied to the displacement.
    public var scale: Float { max(scales.reduce(0, +), 0) }

    public func step() {
        let n = storage.count, theta = storage.values, g = storage.gradients
        before.withUnsafeMutableBufferPointer { b in b.baseAddress!.update(from: theta, count: n) }
        base.step()
        let inverse = 1 / (Double(scales.reduce(0, +)) + epsilon)
        var h = 0.0
        reference.withUnsafeBufferPointer { ref in
            before.withUnsafeMutableBufferPointer { delta in
                for i in 0..<n {
                    let d = Float(Double(delta[i] - ref[i]) * inverse)
                    h += Double(d) * Double(g[i])
                    delta[i] = d + (theta[i] - delta[i])
                }
            }
        }
        let norm = initialScale / erfi(1 / 2.0.squareRoot())
        for k in betas.indices {
            let v = betas[k] * betas[k] * Double(variances[k]) + h * h
            let s = betas[k] * Double(sigmas[k]) - h
            variances[k] = Float(v)
            sigmas[k] = Float(s)
            scales[k] = Float(norm * erfi(Double(sigmas[k]) / (2.0.squareRoot() * Double(variances[k]).squareRoot() + epsilon)))
        }
        let S = scale
        reference.withUnsafeBufferPointer { ref in
            before.withUnsafeBufferPointer { delta in
                for i in 0..<n { theta[i] = ref[i] + delta[i] * S }
            }
        }
    }

    /// Resets the base optimiser and the betting state; θ_ref is kept.
    public func resetState() {
        base.resetState()
        scales = betas.map { _ in 0 }
        variances = betas.map { _ in 0 }
        sigmas = betas.map { _ in 1e-8 }
    }

    /// Resets the base optimiser's entries; Δ follows the edited parameters by itself.
    public func resetState(indices: [Int]) { base.resetState(indices: indices) }

    public func stateVectors() -> [(name: String, values: [Float])] {
        base.stateVectors().map { ("base.\($0.name)", $0.values) }
            + [("trac.reference", reference), ("trac.s", scales), ("trac.variance", variances), ("trac.sigma", sigmas)]
    }

    public func loadStateVectors(_ vectors: [(name: String, values: [Float])], stepCount: Int) throws {
        func vector(_ name: String, count: Int) throws -> [Float] {
            try optimizerStateVector(name, count: count, in: vectors, optimizer: "TRAC")
        }
        let r = try vector("trac.reference", count: storage.count)
        let s = try vector("trac.s", count: betas.count)
        let v = try vector("trac.variance", count: betas.count)
        let sg = try vector("trac.sigma", count: betas.count)
        let baseVectors = vectors.filter { $0.name.hasPrefix("base.") }.map { (name: String($0.name.dropFirst(5)), values: $0.values) }
        try base.loadStateVectors(baseVectors, stepCount: stepCount)
        reference = r; scales = s; variances = v; sigmas = sg
    }
}
