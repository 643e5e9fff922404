import Networks
import Tensors

/// Plain Double re-computations, independent of the library's kernels, for checking metrics.
enum ReferenceMath {
    /// Rows of a [N, F] tensor as Double arrays.
    static func rows(_ t: Tensor) -> [[Double]] {
        let n = t.shape[0], f = t.count / n
        return (0..<n).map { i in (0..<f).map { Double(t.data[i * f + $0]) } }
    }

    /// z = x Wᵀ + b for a Linear layer.
    static func linear(_ x: [[Double]], _ fc: Linear) -> [[Double]] {
        let w = fc.weight.valueBuffer, b = fc.bias?.valueBuffer
        return x.map { row in
            (0..<fc.outputFeatures).map { o in
                var s = b.map { Double($0[o]) } ?? 0
                for i in 0..<fc.inputFeatures { s += Double(w[o * fc.inputFeatures + i]) * row[i] }
                return s
            }
        }
    }

    static func relu(_ z: [[Double]]) -> [[Double]] { z.map { $0.map { Swift.max($0, 0) } } }

    /// Column j of a matrix.
    static func column(_ m: [[Double]], _ j: Int) -> [Double] { m.map { $0[j] } }

    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

    /// Population standard deviation (ddof 0).
    static func std(_ v: [Double]) -> Double {
        let m = mean(v)
        return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
    }

    /// Sokar et al.'s τ-dormant count from a [N, H] activation matrix.
    static func dormantCount(_ h: [[Double]], tau: Double) -> Int {
        let a = (0..<h[0].count).map { mean(column(h, $0).map(abs)) }
        let layerMean = mean(a)
        return a.filter { layerMean == 0 || $0 / layerMean <= tau }.count
    }

    /// A [rows, columns] tensor of standard normals.
    static func normal(_ shape: Shape, seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let t = Tensor(shape: shape)
        rng.fillNormal(t.buffer)
        return t
    }

    /// Sets a Linear unit's incoming weights to zero and its bias to `bias`.
    static func plant(_ fc: Linear, unit: Int, bias: Float, weights: [Float]? = nil) {
        for i in 0..<fc.inputFeatures { fc.weight.value[unit * fc.inputFeatures + i] = weights?[i] ?? 0 }
        fc.bias!.value[unit] = bias
    }
}
