import Tensors

/// The Lanczos process with full reorthogonalisation (Lanczos 1950; Golub & Van Loan,
/// *Matrix Computations*, §10.1): from a unit start vector q₁ it builds an orthonormal basis
/// Q = [q₁ … q_m] of the Krylov space and the tridiagonal T = QᵀAQ,
///
///     w = A q_j − β_{j−1} q_{j−1},  α_j = q_jᵀ w,  w ← w − α_j q_j,
///     w ← w − Q(Qᵀw) (classical Gram–Schmidt, twice: "twice is enough"),
///     β_j = ‖w‖,  q_{j+1} = w / β_j.
///
/// It stops early when β_j ≤ 1e-10 · ‖T‖ (an invariant subspace: T's eigenvalues are then
/// exact eigenvalues of A). Shared by `lanczosEigenpairs` and `spectralDensity`.
struct LanczosProcess {
    let op: SymmetricOperator
    /// q₁ … q_{m+1}, row j at j·n (row-major, so Qᵀw and Q h are single `dgemv` calls).
    private(set) var basis: [Double]
    private(set) var alpha: [Double] = []
    private(set) var beta: [Double] = []
    /// Whether the last step found an invariant subspace.
    private(set) var isInvariant = false
    private var normEstimate = 0.0

    /// Starts from `start` (normalised here; must be non-zero), reserving room for
    /// `maxSteps` steps.
    init(_ op: SymmetricOperator, start: [Double], maxSteps: Int) {
        guard let q = DoubleVector.normalized(start) else { preconditionFailure("Lanczos start vector is zero") }
        self.op = op
        basis = q
        basis.reserveCapacity((Swift.min(maxSteps, op.dimension) + 1) * op.dimension)
    }

    /// Steps taken (m, the size of T).
    var steps: Int { alpha.count }

    /// Basis vector j.
    func vector(_ j: Int) -> ArraySlice<Double> { basis[(j * op.dimension)..<((j + 1) * op.dimension)] }

    /// One step; returns false (and takes none) once the space is invariant or full.
    mutating func step() -> Bool {
        guard !isInvariant, steps < op.dimension else { return false }
        let j = steps, n = op.dimension, q = Array(vector(j))
        var w = op(q)
        let a = DoubleVector.dot(q, w)
        DoubleVector.axpy(-a, q, &w)
        if j > 0 { DoubleVector.axpy(-beta[j - 1], Array(vector(j - 1)), &w) }
        var h = [Double](repeating: 0, count: j + 1)
        basis.withUnsafeBufferPointer { qs in
            w.withUnsafeMutableBufferPointer { wp in
                h.withUnsafeMutableBufferPointer { hp in
                    for _ in 0..<2 {
                        DoubleBLAS.gemv(.none, m: j + 1, n: n, qs.baseAddress!, wp.baseAddress!, hp.baseAddress!)
                        DoubleBLAS.gemv(.transpose, m: j + 1, n: n, alpha: -1, qs.baseAddress!, hp.baseAddress!,
                                        beta: 1, wp.baseAddress!)
                    }
                }
            }
        }
        let b = DoubleVector.norm(w)
        alpha.append(a)
        beta.append(b)
        normEstimate = Swift.max(normEstimate, Swift.abs(a) + b + (j > 0 ? beta[j - 1] : 0))
        isInvariant = b <= 1e-10 * normEstimate
        if !isInvariant && steps < n { basis += w.lazy.map { $0 / b } }
        return true
    }

    /// Eigenvalues (ascending) and eigenvectors (columns of a row-major m×m matrix) of T.
    func tridiagonalEigen() throws -> (values: [Double], vectors: [Double]) {
        let m = steps
        var t = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            t[i * m + i] = alpha[i]
            if i + 1 < m { t[i * m + i + 1] = beta[i]; t[(i + 1) * m + i] = beta[i] }
        }
        let e = try LinearAlgebra.symmetricEigen(t, size: m, vectors: true)
        return (e.values, e.vectors ?? [])
    }

    /// β_m, the size of the residual direction after the last step (0 when invariant).
    var lastBeta: Double { isInvariant ? 0 : (beta.last ?? 0) }
}

/// Settings of `lanczosEigenpairs`.
public struct LanczosOptions: Sendable, Equatable {
    /// k, how many of the algebraically largest eigenvalues to find.
    public var eigenvalueCount: Int
    /// Converged when every wanted pair has ‖Av − θv‖ ≤ tolerance · max|θ| (max over all Ritz
    /// values, an estimate of ‖A‖₂).
    public var tolerance: Double
    /// Most Lanczos steps (each one product and one stored basis vector).
    public var maxIterations: Int
    /// Seed of the Gaussian start vector.
    public var seed: UInt64

    public init(eigenvalueCount: Int = 3, tolerance: Double = 1e-3, maxIterations: Int = 50, seed: UInt64 = 0) {
        self.eigenvalueCount = eigenvalueCount
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.seed = seed
    }
}

/// One approximate eigenpair: the Ritz value θ, the unit Ritz vector v and its residual
/// ‖Av − θv‖₂, recomputed with one extra product (not the Lanczos estimate).
public struct RitzPair: Sendable {
    public let value: Double
    public let vector: [Double]
    public let residual: Double
}

/// The outcome of `lanczosEigenpairs`.
public struct LanczosResult: Sendable {
    /// The wanted pairs, largest θ first.
    public let pairs: [RitzPair]
    /// Lanczos steps taken (products, not counting the residual checks).
    public let iterations: Int
    /// Whether every pair's residual is within `tolerance · scale`.
    public let converged: Bool
    public let tolerance: Double
    /// max|θ| over all Ritz values, the scale of the tolerance.
    public let scale: Double
}

/// The k algebraically largest eigenvalues of a symmetric operator by Lanczos with full
/// reorthogonalisation. After each step from k on, the residual of Ritz pair i is estimated
/// as β_m |s_{m,i}| (exact in exact arithmetic); the process stops when all k estimates are
/// ≤ tolerance · max|θ|, or after `maxIterations` steps, or on an invariant subspace. Each
/// returned pair's residual is then recomputed explicitly (k more products) and decides
/// `converged`.
public func lanczosEigenpairs(_ op: SymmetricOperator, options: LanczosOptions = LanczosOptions()) throws -> LanczosResult {
    precondition(options.eigenvalueCount >= 1 && options.maxIterations >= 1, "Lanczos needs k ≥ 1 and ≥ 1 iteration")
    var rng = RandomGenerator(seed: options.seed)
    var process = LanczosProcess(op, start: (0..<op.dimension).map { _ in Double(rng.normal()) },
                                 maxSteps: options.maxIterations)
    let k = Swift.min(options.eigenvalueCount, op.dimension)
    var eigen: (values: [Double], vectors: [Double]) = ([], [])
    while process.steps < options.maxIterations, process.step() {
        guard process.steps >= k || process.isInvariant else { continue }
        eigen = try process.tridiagonalEigen()
        let m = process.steps, scale = eigen.values.map(Swift.abs).max() ?? 0
        let estimates = (0..<Swift.min(k, m)).map { i in process.lastBeta * Swift.abs(eigen.vectors[(m - 1) * m + (m - 1 - i)]) }
        if process.isInvariant || estimates.allSatisfy({ $0 <= options.tolerance * scale }) { break }
    }
    if eigen.values.count != process.steps { eigen = try process.tridiagonalEigen() }
    let m = process.steps, scale = eigen.values.map(Swift.abs).max() ?? 0
    let pairs = (0..<Swift.min(k, m)).map { i -> RitzPair in
        let column = m - 1 - i
        var y = [Double](repeating: 0, count: op.dimension)
        for j in 0..<m { DoubleVector.axpy(eigen.vectors[j * m + column], Array(process.vector(j)), &y) }
        let theta = eigen.values[column]
        var r = op(y)
        DoubleVector.axpy(-theta, y, &r)
        return RitzPair(value: theta, vector: y, residual: DoubleVector.norm(r))
    }
    return LanczosResult(pairs: pairs, iterations: m,
                         converged: pairs.count == k && pairs.allSatisfy { $0.residual <= options.tolerance * scale },
                         tolerance: options.tolerance, scale: scale)
}
