import COpenBLAS
import Tensors

/// A dense, row-major Float64 tensor with reference semantics, the working type of the
/// Hessian-vector product (`HessianVectorProduct`): Float32 parameters and inputs are widened
/// exactly, and every pass runs in Double.
///
/// Like `Tensor`, a node owns its output buffers and reuses them on every product; kernels
/// take `data` once, outside their loops.
final class DoubleTensor {
    private(set) var shape: Shape
    private(set) var count: Int
    private(set) var data: UnsafeMutablePointer<Double>
    /// The tensor whose memory this one views, kept alive by this reference; nil if it owns it.
    private let base: DoubleTensor?

    /// A zero-filled tensor.
    init(shape: Shape) {
        self.shape = shape
        count = shape.elementCount
        data = .allocate(capacity: Swift.max(count, 1))
        data.initialize(repeating: 0, count: Swift.max(count, 1))
        base = nil
    }

    /// `tensor`'s values widened to Double.
    convenience init(_ tensor: Tensor) {
        self.init(shape: tensor.shape)
        let src = tensor.data, dst = data
        for i in 0..<count { dst[i] = Double(src[i]) }
    }

    /// A view of `other`'s memory with a different shape of the same element count.
    init(viewing other: DoubleTensor, as shape: Shape) {
        precondition(shape.elementCount == other.count, "cannot view \(other.shape) as \(shape)")
        self.shape = shape
        count = other.count
        data = other.data
        base = other
    }

    deinit { if base == nil { data.deallocate() } }

    /// Gives the tensor a new shape; contents are undefined after a reallocation.
    func resize(to newShape: Shape) {
        if newShape == shape { return }
        precondition(base == nil, "cannot resize a view")
        let n = newShape.elementCount
        if n > Swift.max(count, 1) {
            data.deallocate()
            data = .allocate(capacity: n)
            data.initialize(repeating: 0, count: n)
        }
        shape = newShape
        count = n
    }

    /// Sets every element to zero.
    func zero() { data.update(repeating: 0, count: count) }
}

/// Double-precision BLAS calls used by the curvature and kernel diagnostics (row-major CBLAS).
enum DoubleBLAS {
    /// `C = alpha · op(A) · op(B) + beta · C`, op(A) m×k, op(B) k×n; leading dimensions are
    /// the row strides of the stored matrices.
    static func gemm(_ transA: BLAS.Transpose, _ transB: BLAS.Transpose, m: Int, n: Int, k: Int,
                     alpha: Double = 1, _ a: UnsafePointer<Double>, lda: Int,
                     _ b: UnsafePointer<Double>, ldb: Int,
                     beta: Double = 0, _ c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA == .none ? CblasNoTrans : CblasTrans,
                    transB == .none ? CblasNoTrans : CblasTrans,
                    int32(m), int32(n), int32(k), alpha, a, int32(lda), b, int32(ldb), beta, c, int32(ldc))
    }

    /// `y = alpha · op(A) x + beta · y` for A m×n row-major (op(A) m×n, or n×m transposed).
    static func gemv(_ trans: BLAS.Transpose, m: Int, n: Int, alpha: Double = 1, _ a: UnsafePointer<Double>,
                     _ x: UnsafePointer<Double>, beta: Double = 0, _ y: UnsafeMutablePointer<Double>) {
        cblas_dgemv(CblasRowMajor, trans == .none ? CblasNoTrans : CblasTrans, int32(m), int32(n), alpha, a, int32(n),
                    x, 1, beta, y, 1)
    }

    /// `C += A Aᵀ` on the upper triangle of the n×n matrix C, for A n×k (row-major).
    static func syrkUpper(n: Int, k: Int, _ a: UnsafePointer<Double>, lda: Int, _ c: UnsafeMutablePointer<Double>) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, int32(n), int32(k), 1, a, int32(lda), 1, c, int32(n))
    }

    /// x · y over `n` elements.
    static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        cblas_ddot(int32(n), x, 1, y, 1)
    }

    /// y += alpha · x over `n` elements.
    static func axpy(_ n: Int, alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(int32(n), alpha, x, 1, y, 1)
    }

    private static func int32(_ v: Int) -> Int32 {
        guard let r = Int32(exactly: v) else { preconditionFailure("BLAS dimension \(v) exceeds Int32") }
        return r
    }
}

/// Dense vector helpers on `[Double]` for the iterative eigen-solvers.
enum DoubleVector {
    static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot of \(x.count) and \(y.count) values")
        if x.isEmpty { return 0 }
        return x.withUnsafeBufferPointer { a in
            y.withUnsafeBufferPointer { b in DoubleBLAS.dot(x.count, a.baseAddress!, b.baseAddress!) }
        }
    }

    static func norm(_ x: [Double]) -> Double { dot(x, x).squareRoot() }

    /// y += alpha · x.
    static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count, "axpy of \(x.count) into \(y.count) values")
        let n = x.count
        if n == 0 { return }
        x.withUnsafeBufferPointer { a in
            y.withUnsafeMutableBufferPointer { b in DoubleBLAS.axpy(n, alpha: alpha, a.baseAddress!, b.baseAddress!) }
        }
    }

    /// x · (1/‖x‖), or nil for a zero vector.
    static func normalized(_ x: [Double]) -> [Double]? {
        let n = norm(x)
        guard n > 0, n.isFinite else { return nil }
        let s = 1 / n
        return x.map { $0 * s }
    }
}
