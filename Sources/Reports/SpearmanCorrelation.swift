import Foundation

/// Spearman's rank correlation ρ of paired observations with a 95 % interval and one-sided
/// p-values from the Fisher transform with Fieller, Hartley & Pearson's (1957) standard error:
///
/// - ρ = Pearson's correlation of the ranks (ties get their average rank);
/// - z = atanh ρ, se = 1.06 / √(n − 3); interval tanh(z ± 1.96 se);
/// - p(ρ ≤ 0) = 1 − Φ(z / se), p(ρ ≥ 0) = Φ(z / se).
///
/// Stratified (`init(strata:)`, the correlation *within* strata such as architectures): each
/// stratum's pairs are ranked within the stratum and the ranks centred on the stratum's mean
/// rank; ρ is the pooled correlation of the centred ranks, Σ r̃ₓ r̃ᵧ / √(Σ r̃ₓ² Σ r̃ᵧ²), and
/// se = 1.06 / √(n − 3 − (s − 1)) for s strata (a partial correlation's s − 1 indicator
/// covariates). One stratum is the plain ρ above. A stratum with fewer than 2 pairs is left out.
///
/// Needs n ≥ s + 3 pairs with some spread in both; otherwise ρ is NaN and both p-values are 1.
public struct SpearmanCorrelation: Sendable, Equatable {
    public let n: Int
    /// The strata that entered (those with at least 2 pairs); 1 for the plain ρ.
    public let strata: Int
    public let rho: Double
    public let low: Double
    public let high: Double
    /// One-sided p-value of H0: ρ ≤ 0.
    public let pPositive: Double
    /// One-sided p-value of H0: ρ ≥ 0.
    public let pNegative: Double

    public init(_ pairs: [(x: Double, y: Double)]) {
        self.init(strata: [pairs])
    }

    public init(strata: [[(x: Double, y: Double)]]) {
        let used = strata.filter { $0.count >= 2 }
        n = used.reduce(0) { $0 + $1.count }
        self.strata = used.count
        var rx: [Double] = [], ry: [Double] = []
        for stratum in used {
            rx += Self.centred(Self.ranks(stratum.map(\.x)))
            ry += Self.centred(Self.ranks(stratum.map(\.y)))
        }
        let freedom = n - 3 - (used.count - 1)
        let r = freedom >= 1 ? Self.centredCorrelation(rx, ry) : .nan
        guard r.isFinite else {
            (rho, low, high, pPositive, pNegative) = (.nan, .nan, .nan, 1, 1)
            return
        }
        rho = r
        // |ρ| = 1 has an infinite z: the interval closes on ρ and the p-values are 0 and 1.
        let z = atanh(Swift.min(Swift.max(r, -1 + 1e-15), 1 - 1e-15)), se = 1.06 / Double(freedom).squareRoot()
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

    /// `x` minus its mean.
    static func centred(_ x: [Double]) -> [Double] {
        let m = Statistics.mean(x)
        return x.map { $0 - m }
    }

    /// The correlation of two centred series, NaN when either has no spread.
    static func centredCorrelation(_ a: [Double], _ b: [Double]) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices {
            ab += a[i] * b[i]
            aa += a[i] * a[i]
            bb += b[i] * b[i]
        }
        return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : .nan
    }
}
