import Tensors

/// Summary statistics across seeds, with the rules the reports state.
public enum Statistics {
    public static func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }

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

    /// A 95 % percentile-bootstrap confidence interval for `statistic` of independent groups
    /// of samples (each group resampled with replacement on its own), from `resamples`
    /// draws of a PCG32 generator seeded with `seed`.
    public static func bootstrapInterval(_ groups: [[Double]], resamples: Int = 10_000, seed: UInt64 = 0,
                                         statistic: ([[Double]]) -> Double) -> (low: Double, high: Double) {
        guard groups.allSatisfy({ !$0.isEmpty }) else { return (.nan, .nan) }
        var rng = RandomGenerator(seed: seed, stream: 7)
        var values: [Double] = []
        values.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let drawn = groups.map { g in (0..<g.count).map { _ in g[rng.below(g.count)] } }
            values.append(statistic(drawn))
        }
        values.sort()
        return (quantile(values, 0.025), quantile(values, 0.975))
    }

    /// Linear-interpolation quantile of sorted values (NumPy's default).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let pos = q * Double(sorted.count - 1), i = Int(pos), frac = pos - Double(i)
        return i + 1 < sorted.count ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i]
    }
}

/// How a measured effect relates to its claim, by the rule every report states: *held* when
/// the 95 % interval excludes zero in the claimed direction, *not held* when it excludes zero
/// the other way, *inconclusive* otherwise.
public enum Verdict: String, Sendable {
    case held, notHeld = "not held", inconclusive

    /// The verdict for an effect whose claimed sign is positive.
    public init(interval: (low: Double, high: Double)) {
        if interval.low > 0 { self = .held } else if interval.high < 0 { self = .notHeld } else { self = .inconclusive }
    }
}
