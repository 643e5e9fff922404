import Tensors

/// Summary statistics across seeds, with the rules the reports state.
public enum Statistics {
    public static func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }

    /// The least-squares slope of y on x, Σ (x − x̄)(y − ȳ) / Σ (x − x̄)²; nil with fewer than
    /// two distinct x.
    public static func leastSquaresSlope(_ points: [(x: Double, y: Double)]) -> Double? {
        guard points.count >= 2 else { return nil }
        let mx = mean(points.map(\.x)), my = mean(points.map(\.y))
        let sxx = points.reduce(0) { $0 + ($1.x - mx) * ($1.x - mx) }
        guard sxx > 0 else { return nil }
        return points.reduce(0) { $0 + ($1.x - mx) * ($1.y - my) } / sxx
    }

    /// Sample standard deviation (ddof = 1); 0 for fewer than two values.
    public static func standardDeviation(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let m = mean(x)
        return (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)).squareRoot()
    }

    /// Standard error of the mean, sd/√n.
    public static func standardError(_ x: [Double]) -> Double {
        x.count > 1 ? standardDeviation(x) / Double(x.count).squareRoot() : 0
    }

    /// Interquartile mean (Agarwal et al. 2021): the mean of the middle 50 % of the sorted
    /// values, with fractional weights at the quartile boundaries.
    public static func interquartileMean(_ x: [Double]) -> Double {
        let s = x.sorted(), n = Double(s.count)
        guard !s.isEmpty else { return .nan }
        let lo = n / 4, hi = 3 * n / 4
        var total = 0.0
        for (i, v) in s.enumerated() {
            let overlap = Swift.max(0, Swift.min(Double(i + 1), hi) - Swift.max(Double(i), lo))
            total += overlap * v
        }
        return total / (hi - lo)
    }

    /// Linear-interpolation quantile of sorted values (NumPy's default).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let pos = q * Double(sorted.count - 1), i = Int(pos), frac = pos - Double(i)
        return i + 1 < sorted.count ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i]
    }
}
