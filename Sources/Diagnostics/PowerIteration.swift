import Tensors

/// Settings of `powerIteration`.
public struct PowerIterationOptions: Sendable, Equatable {
    /// Converged when ‖Av − λv‖ ≤ tolerance · |λ|.
    public var tolerance: Double
    public var maxIterations: Int
    /// Seed of the Gaussian start vector.
    public var seed: UInt64

    public init(tolerance: Double = 1e-3, maxIterations: Int = 100, seed: UInt64 = 0) {
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.seed = seed
    }
}

/// The outcome of `powerIteration`.
public struct PowerIterationResult: Sendable {
    /// The Rayleigh quotient λ = vᵀAv of the last unit iterate: the eigenvalue of largest
    /// *absolute* value, with its sign (not the largest algebraic one).
    public let eigenvalue: Double
    /// ‖Av − λv‖ at the last iterate.
    public let residual: Double
    /// Products taken.
    public let iterations: Int
    public let converged: Bool
    public let tolerance: Double
}

/// The eigenvalue of largest magnitude by power iteration (von Mises 1929), the method of the
/// research spec and of PyHessian: v ← Av/‖Av‖ from a Gaussian start, λ = vᵀAv, stopping when
/// the residual ‖Av − λv‖ ≤ tolerance·|λ| or after `maxIterations` products. It converges at
/// rate |λ₂/λ₁| and does not converge when ±λ share the largest magnitude (the residual shows
/// it). PyHessian instead stops when λ changes by less than 1e-3 relative, which can stop
/// early on a slowly rotating v; the residual bounds the eigenvalue error directly.
public func powerIteration(_ op: SymmetricOperator, options: PowerIterationOptions = PowerIterationOptions()) -> PowerIterationResult {
    precondition(options.maxIterations >= 1, "power iteration needs ≥ 1 iteration")
    var rng = RandomGenerator(seed: options.seed)
    guard var v = DoubleVector.normalized((0..<op.dimension).map { _ in Double(rng.normal()) }) else {
        return PowerIterationResult(eigenvalue: 0, residual: 0, iterations: 0, converged: true, tolerance: options.tolerance)
    }
    var lambda = 0.0, residual = Double.infinity, iterations = 0
    while iterations < options.maxIterations {
        let w = op(v)
        iterations += 1
        lambda = DoubleVector.dot(v, w)
        var r = w
        DoubleVector.axpy(-lambda, v, &r)
        residual = DoubleVector.norm(r)
        guard residual > options.tolerance * Swift.abs(lambda), let next = DoubleVector.normalized(w) else { break }
        v = next
    }
    return PowerIterationResult(eigenvalue: lambda, residual: residual, iterations: iterations,
                                converged: residual <= options.tolerance * Swift.abs(lambda), tolerance: options.tolerance)
}
