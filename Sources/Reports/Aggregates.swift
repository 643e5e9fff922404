/// Aggregates across a study's groups (protocols) in the style of rliable (Agarwal et al.
/// 2021), for studies with several groups judged by different metrics (the Swiss-cheese table).
///
/// - Normalised score of a run: its last-task value of the group's judged metric, oriented so
///   that higher is better, mapped by the group's worst and best variant means to
///   (x − worst) / (best − worst): 0 = the worst variant's mean, 1 = the best's. The two
///   anchors are fixed from all runs (not recomputed inside the bootstrap).
/// - Interquartile mean (IQM) per variant over all groups × seeds of normalised scores, with a
///   95 % stratified BCa bootstrap interval (seeds resampled within each group).
/// - Probability of improvement P(X > Y) = (1/G) Σ_g P_g, P_g = (1/(n m)) Σ_i Σ_j S(x_i, y_j)
///   over the seeds of X and Y in group g, S = 1 if x > y, ½ if equal, 0 otherwise (on the
///   oriented raw values; per group this is the Mann–Whitney statistic), with a 95 % stratified
///   BCa interval (each variant's seeds resampled within each group).
public struct Aggregates: Sendable {
    /// Per group (rows) and variant (columns) the mean normalised last-task score.
    public let normalised: [(group: String, cells: [Double])]
    public let variants: [String]
    /// Per variant: IQM of normalised scores across groups × seeds and its interval.
    public let iqm: [(variant: String, value: Double, low: Double, high: Double, n: Int)]
    /// The variant compared with every other in `improvement`.
    public let reference: String
    /// P(reference > other) per other variant, with its interval.
    public let improvement: [(other: String, value: Double, low: Double, high: Double)]

    /// Aggregates over every group of `results`, nil with fewer than two groups or no `reference` variant.
    public init?(_ results: StudyResults, reference: String) {
        let plan = results.plan
        guard plan.groups.count >= 2, plan.variants.contains(reference) else { return nil }
        variants = plan.variants
        self.reference = reference
        var oriented: [String: [String: [Double]]] = [:]   // group → variant → per-seed values
        for g in plan.groups {
            let (metric, higher) = results.primaryMetric(group: g)
            for v in plan.variants {
                oriented[g, default: [:]][v] = results.values(group: g, variant: v, metric: metric, task: -1).map { higher ? $0 : -$0 }
            }
        }
        var scores: [String: [[Double]]] = [:]   // variant → per group normalised per-seed scores
        var rows: [(String, [Double])] = []
        for g in plan.groups {
            let means = plan.variants.map { Statistics.mean(oriented[g]![$0]!) }.filter(\.isFinite)
            let worst = means.min() ?? 0, best = means.max() ?? 1, span = best - worst
            func normalise(_ x: Double) -> Double { span > 0 ? (x - worst) / span : 0.5 }
            rows.append((g, plan.variants.map { normalise(Statistics.mean(oriented[g]![$0]!)) }))
            for v in plan.variants { scores[v, default: []].append(oriented[g]![v]!.map(normalise)) }
        }
        normalised = rows
        iqm = plan.variants.compactMap { v in
            let strata = scores[v]!.filter { !$0.isEmpty }
            guard !strata.isEmpty else { return nil }
            let ci = BCaBootstrap.interval(strata, seed: 11) { Statistics.interquartileMean($0.flatMap { $0 }) }
            return (v, Statistics.interquartileMean(strata.flatMap { $0 }), ci.low, ci.high, strata.map(\.count).reduce(0, +))
        }
        improvement = plan.variants.filter { $0 != reference }.compactMap { other in
            var strata: [[Double]] = []
            for g in plan.groups {
                let x = oriented[g]![reference]!, y = oriented[g]![other]!
                if !x.isEmpty && !y.isEmpty { strata += [x, y] }
            }
            guard !strata.isEmpty else { return nil }
            let ci = BCaBootstrap.interval(strata, seed: 12, statistic: Self.probabilityOfImprovement)
            return (other, Self.probabilityOfImprovement(strata), ci.low, ci.high)
        }
    }

    /// (1/G) Σ_g P(x_g > y_g) for strata laid out as [x_1, y_1, x_2, y_2, …].
    static func probabilityOfImprovement(_ strata: [[Double]]) -> Double {
        var total = 0.0
        for g in stride(from: 0, to: strata.count, by: 2) {
            let x = strata[g], y = strata[g + 1]
            var wins = 0.0
            for a in x { for b in y { wins += a > b ? 1 : (a == b ? 0.5 : 0) } }
            total += wins / Double(x.count * y.count)
        }
        return total / Double(strata.count / 2)
    }
}
