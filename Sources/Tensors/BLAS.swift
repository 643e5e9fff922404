import COpenBLAS

/// Thin, checked wrappers over OpenBLAS (CBLAS, row-major).
///
/// All GEMMs in PlasticityLab go through `BLAS.gemm`, which passes transposes as flags so no
/// transposed copy is ever materialised.
public enum BLAS {
    /// Whether an operand is used as stored or transposed.
    public enum Transpose: Sendable { case none, transpose }

    /// `C = alpha · op(A) · op(B) + beta · C`, row-major, with `op(A)` of size m×k and `op(B)`
    /// of size k×n; `lda`, `ldb`, `ldc` are the row strides of the stored matrices.
    @inlinable
    public static func gemm(_ transA: Transpose, _ transB: Transpose,
                            m: Int, n: Int, k: Int,
                            alpha: Float = 1,
                            _ a: UnsafePointer<Float>, lda: Int,
                            _ b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0,
                            _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor,
                    transA == .none ? CblasNoTrans : CblasTrans,
                    transB == .none ? CblasNoTrans : CblasTrans,
                    int32(m), int32(n), int32(k), alpha,
                    a, int32(lda), b, int32(ldb), beta, c, int32(ldc))
    }

    /// `y += alpha · x` over `n` elements.
    @inlinable
    public static func axpy(_ n: Int, alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(int32(n), alpha, x, 1, y, 1)
    }

    /// `x · y` over `n` elements (accumulated by OpenBLAS in Float).
    @inlinable
    public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(int32(n), x, 1, y, 1)
    }

    /// The number of threads OpenBLAS uses.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses (results are bit-identical only at a fixed count).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(int32(n)) }

    /// The CPU kernel OpenBLAS chose at run time (e.g. "Zen"), recorded in run metadata.
    public static var coreName: String { String(cString: openblas_get_corename()) }

    @usableFromInline
    static func int32(_ v: Int) -> Int32 {
        guard let r = Int32(exactly: v) else { preconditionFailure("BLAS dimension \(v) exceeds Int32") }
        return r
    }
}
