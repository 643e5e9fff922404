import COpenBLAS
import Dispatch

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
        if let recorder = gemmRecorder {
            let start = DispatchTime.now().uptimeNanoseconds
            sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            recorder.record(GEMMCall(transA: transA, transB: transB, m: m, n: n, k: k, beta: beta),
                            nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
        } else if threads > 1 && 2 * m * n * k >= parallelFlops && Swift.max(m, n) >= 32 {
            parallelGEMM(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        } else {
            sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
    }

    /// One `cblas_sgemm`. For β = 0, OpenBLAS first zeroes C in a pass of its own
    /// (`sgemm_beta`, 5–11 % of W3) and then accumulates into it; zeroing C here with
    /// memset and passing β = 1 does the same arithmetic, so gives the same bits, faster.
    @inlinable
    static func sgemm(_ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                      _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                      _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        if beta == 0 {
            if ldc == n {
                c.update(repeating: 0, count: m * n)
            } else {
                for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
            }
        }
        cblas_sgemm(CblasRowMajor,
                    transA == .none ? CblasNoTrans : CblasTrans,
                    transB == .none ? CblasNoTrans : CblasTrans,
                    int32(m), int32(n), int32(k), alpha,
                    a, int32(lda), b, int32(ldb), beta == 0 ? 1 : beta, c, int32(ldc))
    }

    /// When set, every `gemm` is timed and reported to it (for `plasticity bench --gemm`).
    /// Only set it from a single-threaded measurement.
    nonisolated(unsafe) public static var gemmRecorder: GEMMRecorder?

    /// GEMMs of at least this many FLOPs are split across threads (about 10 µs of work): below
    /// it the split gains little when both cores are free and loses a lot when the helper
    /// thread is descheduled (W5 at two threads fell to 0.75× of one thread on a busy host).
    @usableFromInline static let parallelFlops = 1 << 20

    /// Splits C into one block of rows (or, when C is wider than tall, of columns) per worker,
    /// at multiples of 16, and runs a single-threaded `cblas_sgemm` on each block. Every element
    /// of C is computed by one call over the full k, so the split does not change its sum.
    @usableFromInline
    static func parallelGEMM(_ transA: Transpose, _ transB: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                             _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                             _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        Parallel.run(GEMMBlocks(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc))
    }

    /// One GEMM as blocks of C for `parallelGEMM`.
    struct GEMMBlocks: ParallelWork {
        let transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, alpha: Float
        let a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int
        let beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int

        func run(part: Int, of parts: Int) {
            let byRows = m >= n, length = byRows ? m : n
            let start = Swift.min(length, (part * length / parts + 8) / 16 * 16)
            let end = part == parts - 1 ? length : Swift.min(length, ((part + 1) * length / parts + 8) / 16 * 16)
            guard end > start else { return }
            if byRows {
                sgemm(transA, transB, end - start, n, k, alpha, transA == .none ? a + start * lda : a + start, lda,
                      b, ldb, beta, c + start * ldc, ldc)
            } else {
                sgemm(transA, transB, m, end - start, k, alpha, a, lda,
                      transB == .none ? b + start : b + start * ldb, ldb, beta, c + start, ldc)
            }
        }
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

    /// Threads for GEMMs and parallel regions (default 1). OpenBLAS itself always runs one
    /// thread; PlasticityLab splits large GEMMs across its own `WorkerPool` instead, because
    /// OpenBLAS's threaded driver allocates on every call and cannot share threads with the
    /// elementwise regions.
    public static var threads: Int {
        _ = openBLASSingleThreaded
        return configuredThreads
    }

    /// Sets the thread count (results are bit-identical only at a fixed count).
    public static func setThreads(_ n: Int) {
        precondition(n >= 1, "threads must be at least 1")
        _ = openBLASSingleThreaded
        configuredThreads = n
    }

    nonisolated(unsafe) private static var configuredThreads = 1
    private static let openBLASSingleThreaded: Void = openblas_set_num_threads(1)

    /// The CPU kernel OpenBLAS chose at run time (e.g. "Zen"), recorded in run metadata.
    public static var coreName: String { String(cString: openblas_get_corename()) }

    @usableFromInline
    static func int32(_ v: Int) -> Int32 {
        guard let r = Int32(exactly: v) else { preconditionFailure("BLAS dimension \(v) exceeds Int32") }
        return r
    }
}
