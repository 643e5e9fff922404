/// A mean with its Student-t confidence interval and one-sided p-values, for n independent
/// values (per-seed effects: one value per seed, or one difference per seed pair).
///
/// interval = x̄ ± t_{(1+c)/2, n−1} · s/√n (s with ddof = 1). p-values test H0: μ ≤ μ₀
/// (`pAbove`, evidence that μ > μ₀) and H0: μ ≥ μ₀ (`pBelow`) with T = (x̄ − μ₀)/(s/√n) on
/// n − 1 degrees of freedom. With s = 0 the interval is the point x̄ and each p-value is 0
/// or 1 (½ when x̄ = μ₀). Below two values the interval and p-values are NaN / 1.
public struct StudentTInterval: Sendable, Equatable {
    public let n: Int
    public let mean: Double
    public let low: Double
    public let high: Double
    public let confidence: Double
    private let standardError: Double

    public init(_ values: [Double], confidence: Double = 0.95) {
        n = values.count
        mean = Statistics.mean(values)
        self.confidence = confidence
        standardError = Statistics.standardError(values)
        guard n >= 2, mean.isFinite, standardError.isFinite else {
            (low, high) = (.nan, .nan)
            return
        }
        let half = Distributions.studentTQuantile((1 + confidence) / 2, degreesOfFreedom: Double(n - 1)) * standardError
        (low, high) = (mean - half, mean + half)
    }

    /// One-sided p-value of H0: μ ≤ `null` (small when the mean is clearly above it).
    public func pAbove(_ null: Double) -> Double {
        guard n >= 2, mean.isFinite, standardError.isFinite else { return 1 }
        if standardError == 0 { return mean > null ? 0 : (mean == null ? 0.5 : 1) }
        return 1 - Distributions.studentTCDF((mean - null) / standardError, degreesOfFreedom: Double(n - 1))
    }

    /// One-sided p-value of H0: μ ≥ `null` (small when the mean is clearly below it).
    public func pBelow(_ null: Double) -> Double {
        guard n >= 2, mean.isFinite, standardError.isFinite else { return 1 }
        if standardError == 0 { return mean < null ? 0 : (mean == null ? 0.5 : 1) }
        return Distributions.studentTCDF((mean - null) / standardError, degreesOfFreedom: Double(n - 1))
    }
}

/// The caption sentence every chart with seed bands carries.
let bandCaption = "Lines: mean across seeds; shaded band: 95 % Student-t confidence interval of that mean (none with one seed)."

/// A chart point: the mean of `values` at `x` with its 95 % Student-t band (NaN below two values).
func bandPoint(_ x: Double, _ values: [Double]) -> (x: Double, y: Double, low: Double, high: Double) {
    let t = StudentTInterval(values)
    return (x, t.mean, t.low, t.high)
}
