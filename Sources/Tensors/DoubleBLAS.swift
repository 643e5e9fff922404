import COpenBLAS

/// Double-precision BLAS calls used by the curvature and kernel diagnostics (row-major CBLAS).
public enum DoubleBLAS {
    /// `C = alpha · op(A) · op(B) + beta · C`, op(A) m×k, op(B) k×n; leading dimensions are
    /// the row strides of the stored matrices.
    public static func gemm(_ transA: BLAS.Transpose, _ transB: BLAS.Transpose, m: Int, n: Int, k: Int,
                     alpha: Double = 1, _ a: UnsafePointer<Double>, lda: Int,
                     _ b: UnsafePointer<Double>, ldb: Int,
                     beta: Double = 0, _ c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA == .none ? CblasNoTrans : CblasTrans,
                    transB == .none ? CblasNoTrans : CblasTrans,
                    int32(m), int32(n), int32(k), alpha, a, int32(lda), b, int32(ldb), beta, c, int32(ldc))
    }

    /// `y = alpha · op(A) x + beta · y` for A m×n row-major (op(A) m×n, or n×m transposed).
    public static func gemv(_ trans: BLAS.Transpose, m: Int, n: Int, alpha: Double = 1, _ a: UnsafePointer<Double>,
                     _ x: UnsafePointer<Double>, beta: Double = 0, _ y: UnsafeMutablePointer<Double>) {
        cblas_dgemv(CblasRowMajor, trans == .none ? CblasNoTrans : CblasTrans, int32(m), int32(n), alpha, a, int32(n),
                    x, 1, beta, y, 1)
    }

    /// `C += A Aᵀ` on the upper triangle of the n×n matrix C, for A n×k (row-major).
    public static func syrkUpper(n: Int, k: Int, _ a: UnsafePointer<Double>, lda: Int, _ c: UnsafeMutablePointer<Double>) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, int32(n), int32(k), 1, a, int32(lda), 1, c, int32(n))
    }

    /// x · y over `n` elements.
    public static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        cblas_ddot(int32(n), x, 1, y, 1)
    }

    /// y += alpha · x over `n` elements.
    public static func axpy(_ n: Int, alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(int32(n), alpha, x, 1, y, 1)
    }

    private static func int32(_ v: Int) -> Int32 {
        guard let r = Int32(exactly: v) else { preconditionFailure("BLAS dimension \(v) exceeds Int32") }
        return r
    }
}
