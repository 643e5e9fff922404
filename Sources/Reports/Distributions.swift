import Foundation

/// The normal and Student-t distributions the reports' intervals and p-values need, in
/// Float64: CDFs from `erfc` and the regularised incomplete beta function, quantiles by
/// bisection to full precision.
public enum Distributions {
    /// Φ(x), the standard normal CDF.
    public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Φ⁻¹(p) for 0 < p < 1 (±∞ at 0 and 1).
    public static func normalQuantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        return invert(normalCDF, p, low: -40, high: 40)
    }

    /// F(t; ν), the CDF of Student's t with ν > 0 degrees of freedom:
    /// 1 − ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, by symmetry below 0.
    public static func studentTCDF(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let tail = 0.5 * regularizedIncompleteBeta(nu / (nu + t * t), nu / 2, 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The p-quantile of Student's t with ν degrees of freedom.
    public static func studentTQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        var bound = 1.0
        while studentTCDF(bound, degreesOfFreedom: nu) < Swift.max(p, 1 - p) && bound < 1e300 { bound *= 2 }
        return invert({ studentTCDF($0, degreesOfFreedom: nu) }, p, low: -bound, high: bound)
    }

    /// I_x(a, b), the regularised incomplete beta function, by its continued fraction
    /// (modified Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster.
    public static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) { return exp(logFront) * betaContinuedFraction(x, a, b) / a }
        return 1 - exp(logFront) * betaContinuedFraction(1 - x, b, a) / b
    }

    /// The continued fraction of I_x(a, b) without its prefactor x^a (1−x)^b / (a B(a, b)) · a.
    static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        func guarded(_ v: Double) -> Double { Swift.abs(v) < tiny ? tiny : v }
        var c = 1.0, d = 1 / guarded(1 - (a + b) * x / (a + 1)), h = d
        for m in 1...500 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 / guarded(1 + even * d)
            c = guarded(1 + even / c)
            h *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 / guarded(1 + odd * d)
            c = guarded(1 + odd / c)
            let step = d * c
            h *= step
            if Swift.abs(step - 1) < 1e-16 { break }
        }
        return h
    }

    /// x with cdf(x) = p for a continuous increasing cdf on [low, high], by bisection.
    static func invert(_ cdf: (Double) -> Double, _ p: Double, low: Double, high: Double) -> Double {
        var (lo, hi) = (low, high)
        for _ in 0..<2000 {
            let mid = 0.5 * (lo + hi)
            if mid == lo || mid == hi { break }
            if cdf(mid) < p { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }
}
