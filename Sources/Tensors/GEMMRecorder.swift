import Dispatch

/// One GEMM's shape as `BLAS.gemm` was called: op(A) m×k times op(B) k×n, and β.
public struct GEMMCall: Hashable, Sendable, CustomStringConvertible {
    public let transA: BLAS.Transpose, transB: BLAS.Transpose
    public let m: Int, n: Int, k: Int
    public let beta: Float

    public init(transA: BLAS.Transpose, transB: BLAS.Transpose, m: Int, n: Int, k: Int, beta: Float) {
        self.transA = transA; self.transB = transB
        self.m = m; self.n = n; self.k = k; self.beta = beta
    }

    /// 2·m·n·k.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    public var description: String {
        "\(transA == .none ? "N" : "T")\(transB == .none ? "N" : "T") m=\(m) n=\(n) k=\(k)"
    }

    /// The rate of `cblas_sgemm` alone on this shape: fresh operands, one warm-up call, then
    /// the median of `repeats` timed batches of calls lasting about `seconds` in all.
    public func isolatedGFLOPS(seconds: Double = 0.3, repeats: Int = 5) -> Double {
        let rowsA = transA == .none ? m : k, colsA = transA == .none ? k : m
        let rowsB = transB == .none ? k : n, colsB = transB == .none ? n : k
        let a = Tensor(shape: Shape(rowsA, colsA), repeating: 0.01)
        let b = Tensor(shape: Shape(rowsB, colsB), repeating: 0.02)
        let c = Tensor(shape: Shape(m, n))
        func call() {
            BLAS.sgemm(transA, transB, m, n, k, 1, a.data, colsA, b.data, colsB, beta, c.data, n)
        }
        call()
        let start = DispatchTime.now().uptimeNanoseconds
        call()
        let once = Double(DispatchTime.now().uptimeNanoseconds - start)
        let calls = Swift.max(1, Int(seconds * 1e9 / Double(repeats) / Swift.max(once, 1)))
        var rates: [Double] = []
        for _ in 0..<repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { call() }
            rates.append(flops * Double(calls) / Double(DispatchTime.now().uptimeNanoseconds - t0))
        }
        return rates.sorted()[repeats / 2]
    }
}

/// Accumulates the time spent in each GEMM shape while it is `BLAS.gemmRecorder`.
public final class GEMMRecorder {
    /// Calls and total nanoseconds per shape, in first-seen order.
    public private(set) var shapes: [GEMMCall] = []
    public private(set) var totals: [GEMMCall: (calls: Int, nanoseconds: UInt64)] = [:]

    public init() {}

    @usableFromInline
    func record(_ call: GEMMCall, nanoseconds: UInt64) {
        if let t = totals[call] {
            totals[call] = (t.calls + 1, t.nanoseconds + nanoseconds)
        } else {
            shapes.append(call)
            totals[call] = (1, nanoseconds)
        }
    }
}
