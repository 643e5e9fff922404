import Foundation

/// Spearman's rank correlation ρ of paired observations with a 95 % interval and one-sided
/// p-values from the Fisher transform with Fieller, Hartley & Pearson's (1957) standard error:
///
/// - ρ = Pearson's correlation of the ranks (ties get their average rank);
/// - z = atanh ρ, se = 1.06 / √(n − 3); interval tanh(z ± 1.96 se);
/// - p(ρ ≤ 0) = 1 − Φ(z / se), p(ρ ≥ 0) = Φ(z / se).
///
/// Needs n ≥ 4 pairs with some spread in both; otherwise ρ is NaN and both p-values are 1.
public struct SpearmanCorrelation: Sendable, Equatable {
    public let n: Int
    public let rho: Double
    public let low: Double
    public let high: Double
    /// One-sided p-value of H0: ρ ≤ 0.
    public let pPositive: Double
    /// One-sided p-value of H0: ρ ≥ 0.
    public let pNegative: Double

    public init(_ pairs: [(x: Double, y: Double)]) {
        n = pairs.count
        let rx = Self.ranks(pairs.map(\.x)), ry = Self.ranks(pairs.map(\.y))
        let r = n >= 4 ? Self.pearson(rx, ry) : .nan
        guard r.isFinite else {
            (rho, low, high, pPositive, pNegative) = (.nan, .nan, .nan, 1, 1)
            return
        }
        rho = r
        // |ρ| = 1 has an infinite z: the interval closes on ρ and the p-values are 0 and 1.
        let z = atanh(Swift.min(Swift.max(r, -1 + 1e-15), 1 - 1e-15)), se = 1.06 / Double(n - 3).squareRoot()
        let half = Distributions.normalQuantile(0.975) * se
        (low, high) = (tanh(z - half), tanh(z + half))
        pPositive = 1 - Distributions.normalCDF(z / se)
        pNegative = Distributions.normalCDF(z / se)
    }

    /// Ranks 1…n, ties sharing the mean of their ranks.
    static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var out = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { out[order[k]] = rank }
            i = j + 1
        }
        return out
    }

    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let ma = Statistics.mean(a), mb = Statistics.mean(b)
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices {
            ab += (a[i] - ma) * (b[i] - mb)
            aa += (a[i] - ma) * (a[i] - ma)
            bb += (b[i] - mb) * (b[i] - mb)
        }
        return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : .nan
    }
}
