/// Dense vector helpers on `[Double]` for the iterative eigen-solvers.
public enum DoubleVector {
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot of \(x.count) and \(y.count) values")
        if x.isEmpty { return 0 }
        return x.withUnsafeBufferPointer { a in
            y.withUnsafeBufferPointer { b in DoubleBLAS.dot(x.count, a.baseAddress!, b.baseAddress!) }
        }
    }

    public static func norm(_ x: [Double]) -> Double { dot(x, x).squareRoot() }

    /// y += alpha · x.
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count, "axpy of \(x.count) into \(y.count) values")
        let n = x.count
        if n == 0 { return }
        x.withUnsafeBufferPointer { a in
            y.withUnsafeMutableBufferPointer { b in DoubleBLAS.axpy(n, alpha: alpha, a.baseAddress!, b.baseAddress!) }
        }
    }

    /// x · (1/‖x‖), or nil for a zero vector.
    public static func normalized(_ x: [Double]) -> [Double]? {
        let n = norm(x)
        guard n > 0, n.isFinite else { return nil }
        let s = 1 / n
        return x.map { $0 * s }
    }
}
