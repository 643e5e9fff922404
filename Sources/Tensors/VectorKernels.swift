/// Elementwise kernels of the training hot path, eight lanes at a time.
///
/// Each kernel computes exactly what its scalar definition says, lane by lane (no reordered
/// sums, no fused multiply-adds), so results are bit-identical to the plain loop; the point
/// is that the loop has no data-dependent branches and vectorises. The scalar tail handles
/// counts that are not a multiple of eight.
public enum VectorKernels {
    /// Eight Floats from `p` (no alignment needed).
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Writes eight Floats to `p` (no alignment needed).
    @inlinable @inline(__always)
    public static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// y = max(x, 0); NaN stays NaN and −0 becomes +0, as `Swift.max(x, 0)`.
    public static func relu(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count n: Int) {
        let zero = SIMD8<Float>(repeating: 0)
        var i = 0
        while i &+ 8 <= n {
            let v = load(x + i)
            store(v.replacing(with: zero, where: v .<= zero), y + i)
            i &+= 8
        }
        while i < n { y[i] = Swift.max(x[i], 0); i &+= 1 }
    }

    /// dx = dy where x > 0, else 0.
    public static func reluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                    into dx: UnsafeMutablePointer<Float>, count n: Int) {
        let zero = SIMD8<Float>(repeating: 0)
        var i = 0
        while i &+ 8 <= n {
            store(zero.replacing(with: load(dy + i), where: load(x + i) .> zero), dx + i)
            i &+= 8
        }
        while i < n { dx[i] = x[i] > 0 ? dy[i] : 0; i &+= 1 }
    }

    /// y = x where x > 0, else slope · x.
    public static func leakyReLU(_ x: UnsafePointer<Float>, slope: Float, into y: UnsafeMutablePointer<Float>, count n: Int) {
        let zero = SIMD8<Float>(repeating: 0)
        var i = 0
        while i &+ 8 <= n {
            let v = load(x + i)
            store((slope * v).replacing(with: v, where: v .> zero), y + i)
            i &+= 8
        }
        while i < n { y[i] = x[i] > 0 ? x[i] : slope * x[i]; i &+= 1 }
    }

    /// dx = dy where x > 0, else slope · dy.
    public static func leakyReLUBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, slope: Float,
                                         into dx: UnsafeMutablePointer<Float>, count n: Int) {
        let zero = SIMD8<Float>(repeating: 0)
        var i = 0
        while i &+ 8 <= n {
            let g = load(dy + i)
            store((slope * g).replacing(with: g, where: load(x + i) .> zero), dx + i)
            i &+= 8
        }
        while i < n { dx[i] = x[i] > 0 ? dy[i] : slope * dy[i]; i &+= 1 }
    }

    /// dx = dy · (1 − y²), the tanh derivative from its output y.
    public static func tanhBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                    into dx: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        while i &+ 8 <= n {
            let v = load(y + i)
            store(load(dy + i) * (1 - v * v), dx + i)
            i &+= 8
        }
        while i < n { dx[i] = dy[i] * (1 - y[i] * y[i]); i &+= 1 }
    }

    /// Σᵢ x[i] in eight interleaved partial sums (lane j holds the elements ≡ j mod 8), added
    /// pairwise at the end, then the tail. Deterministic for a given count.
    public static func sum(_ x: UnsafePointer<Float>, count n: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        while i &+ 8 <= n { acc += load(x + i); i &+= 8 }
        var s = pairwiseTotal(acc)
        while i < n { s += x[i]; i &+= 1 }
        return s
    }

    /// The eight lanes added pairwise: ((a₀ + a₁) + (a₂ + a₃)) + ((a₄ + a₅) + (a₆ + a₇)).
    @inlinable @inline(__always)
    public static func pairwiseTotal(_ a: SIMD8<Float>) -> Float {
        ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))
    }

    /// y[i] = x[i], inline: for the short runs of im2col (a few to a few dozen Floats) a
    /// memmove call costs more than the copy. Use `update(from:count:)` for long buffers.
    @inlinable
    public static func copyShort(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        while i &+ 8 <= n { store(load(x + i), y + i); i &+= 8 }
        while i < n { y[i] = x[i]; i &+= 1 }
    }

    /// y[i] += x[i].
    public static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        while i &+ 8 <= n { store(load(y + i) + load(x + i), y + i); i &+= 8 }
        while i < n { y[i] += x[i]; i &+= 1 }
    }

    /// y[i] = x[i] + c.
    public static func addScalar(_ c: Float, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        while i &+ 8 <= n { store(load(x + i) + c, y + i); i &+= 8 }
        while i < n { y[i] = x[i] + c; i &+= 1 }
    }

    /// sums[j] += Σᵣ m[r, j] over the `rows` × `columns` row-major matrix `m` (a bias gradient).
    public static func addColumnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int,
                                     into sums: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { add(m + r &* columns, into: sums, count: columns) }
    }

    /// Copies `row` (`columns` values) into each of the `rows` rows of `m` (a bias broadcast).
    public static func broadcastRow(_ row: UnsafePointer<Float>, rows: Int, columns: Int,
                                    into m: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { (m + r &* columns).update(from: row, count: columns) }
    }
}
