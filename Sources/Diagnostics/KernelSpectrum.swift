import Tensors

/// The spectrum of a symmetric positive semi-definite Gram matrix K (an empirical NTK) and
/// the research spec's condition number.
///
/// Eigenvalues come from LAPACK `dsyevd` in Double. With λ_max the largest eigenvalue and
/// tol = λ_max · dim · 1e-7 (the spec's tolerance for float32 Jacobians), the condition
/// number is λ_max / λ_min over the eigenvalues strictly above tol, and `rankAboveTolerance`
/// counts them. For a zero matrix (λ_max ≤ 0) the condition number and λ_min are nil.
public struct KernelSpectrum: Sendable {
    /// dim, the matrix size.
    public let dimension: Int
    /// All eigenvalues, largest first.
    public let eigenvalues: [Double]
    /// tr K = Σᵢ K_ii.
    public let trace: Double
    public let lambdaMax: Double
    /// λ_max · dim · 1e-7.
    public let tolerance: Double
    /// Eigenvalues > tolerance.
    public let rankAboveTolerance: Int
    /// The smallest eigenvalue > tolerance.
    public let lambdaMin: Double?
    /// λ_max / λ_min.
    public let conditionNumber: Double?

    /// The spectrum of a row-major size×size symmetric matrix.
    public init(gram: [Double], size: Int) throws {
        let values = Array(try LinearAlgebra.symmetricEigen(gram, size: size).values.reversed())
        let top = values.first ?? 0
        let tol = Swift.max(top, 0) * Double(size) * 1e-7
        let above = values.filter { $0 > tol }
        dimension = size
        eigenvalues = values
        trace = (0..<size).reduce(0) { $0 + gram[$1 * size + $1] }
        lambdaMax = top
        tolerance = tol
        rankAboveTolerance = above.count
        let smallest = top > 0 ? above.last : nil
        lambdaMin = smallest
        conditionNumber = smallest.map { top / $0 }
    }

    /// The values named `<prefix>.lambda_max`, `.lambda_min`, `.condition_number`, `.trace`,
    /// `.tol` and `.rank_above_tol`.
    func values(prefix: String) -> DiagnosticValues {
        var v = DiagnosticValues()
        v.set(prefix + ".lambda_max", lambdaMax)
        v.set(prefix + ".lambda_min", lambdaMin)
        v.set(prefix + ".condition_number", conditionNumber)
        v.set(prefix + ".trace", trace)
        v.set(prefix + ".tol", tolerance)
        v.set(prefix + ".rank_above_tol", Double(rankAboveTolerance))
        return v
    }
}
