import CLAPACKE

/// Dense linear algebra through LAPACKE: singular values, symmetric eigendecomposition and
/// QR-based orthogonal matrices. Inputs are row-major and are not modified.
public enum LinearAlgebra {
    /// An error reported by LAPACK (`info != 0`).
    public struct Failure: Error, CustomStringConvertible {
        public let routine: String
        public let info: Int32
        public var description: String { "\(routine) failed with info = \(info)" }
    }

    /// Singular values (descending) of a row-major m×n Float matrix (`sgesdd`, no vectors).
    public static func singularValues(_ matrix: UnsafePointer<Float>, rows m: Int, columns n: Int) throws -> [Float] {
        if m == 0 || n == 0 { return [] }
        var a = Array(UnsafeBufferPointer(start: matrix, count: m * n))
        var s = [Float](repeating: 0, count: Swift.min(m, n))
        let info = LAPACKE_sgesdd(LAPACK_ROW_MAJOR, char("N"), int32(m), int32(n), &a, int32(n),
                                  &s, nil, int32(m), nil, int32(n))
        guard info == 0 else { throw Failure(routine: "sgesdd", info: info) }
        return s
    }

    /// Singular values (descending) computed in Double (`dgesdd`) for a Float matrix.
    public static func singularValuesDouble(_ matrix: UnsafePointer<Float>, rows m: Int, columns n: Int) throws -> [Double] {
        if m == 0 || n == 0 { return [] }
        var a = (0..<(m * n)).map { Double(matrix[$0]) }
        var s = [Double](repeating: 0, count: Swift.min(m, n))
        let info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, char("N"), int32(m), int32(n), &a, int32(n),
                                  &s, nil, int32(m), nil, int32(n))
        guard info == 0 else { throw Failure(routine: "dgesdd", info: info) }
        return s
    }

    /// Eigenvalues (ascending) and, if asked, eigenvectors (columns of a row-major n×n
    /// matrix) of a symmetric Double matrix (`dsyevd`, upper triangle read).
    public static func symmetricEigen(_ matrix: [Double], size n: Int, vectors: Bool = false) throws
        -> (values: [Double], vectors: [Double]?) {
        precondition(matrix.count == n * n, "matrix is not \(n)×\(n)")
        if n == 0 { return ([], vectors ? [] : nil) }
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, char(vectors ? "V" : "N"), char("U"), int32(n), &a, int32(n), &w)
        guard info == 0 else { throw Failure(routine: "dsyevd", info: info) }
        return (w, vectors ? a : nil)
    }

    /// Eigenvalues (ascending) of a symmetric Float matrix (`ssyevd`).
    public static func symmetricEigenvalues(_ matrix: UnsafePointer<Float>, size n: Int) throws -> [Float] {
        if n == 0 { return [] }
        var a = Array(UnsafeBufferPointer(start: matrix, count: n * n))
        var w = [Float](repeating: 0, count: n)
        let info = LAPACKE_ssyevd(LAPACK_ROW_MAJOR, char("N"), char("U"), int32(n), &a, int32(n), &w)
        guard info == 0 else { throw Failure(routine: "ssyevd", info: info) }
        return w
    }

    /// Fills a row-major rows×cols matrix with orthonormal rows (rows ≤ cols) or columns,
    /// from the QR decomposition of a Gaussian matrix with the sign of R's diagonal folded
    /// in (the construction of Saxe et al. 2014 and `torch.nn.init.orthogonal_`).
    public static func orthogonal(rows: Int, columns: Int, gain: Float,
                                  rng: inout RandomGenerator, into out: UnsafeMutablePointer<Float>) throws {
        // Work on the tall orientation: q is big×small, column-major-free row-major layout.
        let transpose = rows < columns
        let big = transpose ? columns : rows
        let small = transpose ? rows : columns
        var a = [Float](repeating: 0, count: big * small)
        a.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
        var tau = [Float](repeating: 0, count: small)
        var info = LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, int32(big), int32(small), &a, int32(small), &tau)
        guard info == 0 else { throw Failure(routine: "sgeqrf", info: info) }
        let signs = (0..<small).map { a[$0 * small + $0] < 0 ? Float(-1) : 1 }
        info = LAPACKE_sorgqr(LAPACK_ROW_MAJOR, int32(big), int32(small), int32(small), &a, int32(small), &tau)
        guard info == 0 else { throw Failure(routine: "sorgqr", info: info) }
        for i in 0..<big {
            for j in 0..<small {
                let v = gain * a[i * small + j] * signs[j]
                if transpose { out[j * columns + i] = v } else { out[i * columns + j] = v }
            }
        }
    }

    private static func char(_ s: String) -> CChar { CChar(UInt8(ascii: s.unicodeScalars.first!)) }
    private static func int32(_ v: Int) -> Int32 {
        guard let r = Int32(exactly: v) else { preconditionFailure("LAPACK dimension \(v) exceeds Int32") }
        return r
    }
}
