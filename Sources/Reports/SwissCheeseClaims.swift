/// The claims of the Swiss-cheese study (Lyle et al. 2024, Fig. 1 / Table 1), per protocol.
enum SwissCheeseClaims {
    static let combined = "layernorm + L2"

    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        var out: [ClaimResult] = []
        for (gi, group) in r.plan.groups.enumerated() {
            let (metric, higher) = r.primaryMetric(group: group)
            let sign = higher ? 1.0 : -1.0
            let first = r.values(group: group, variant: "baseline", metric: metric, task: 0)
            let last = r.values(group: group, variant: "baseline", metric: metric, task: -1)
            if !first.isEmpty && first.count == last.count {
                out.append(ClaimResult(
                    claim: "The baseline loses plasticity on \(group): its last task ends worse than its first.",
                    citation: "Lyle et al. 2024, Fig. 1",
                    effect: "baseline \(metric), first task − last task" + (higher ? "" : " (negated: lower is better)"),
                    perSeed: zip(first, last).map { sign * ($0 - $1) }, seed: UInt64(gi)))
            }
            let others = r.plan.variants.filter { $0 != combined }
            guard r.plan.variants.contains(combined) else { continue }
            let best = r.values(group: group, variant: combined, metric: metric, task: -1).map { sign * $0 }
            let rivals = others.map { v in r.values(group: group, variant: v, metric: metric, task: -1).map { sign * $0 } }
            guard !best.isEmpty, rivals.allSatisfy({ !$0.isEmpty }) else { continue }
            let stat: ([[Double]]) -> Double = { g in Statistics.mean(g[0]) - g.dropFirst().map(Statistics.mean).max()! }
            out.append(ClaimResult(
                claim: "LayerNorm + L2 is best or tied-best on \(group).",
                citation: "Lyle et al. 2024, Table 1",
                effect: "\(combined) last-task \(metric) − best other variant's" + (higher ? "" : " (negated)"),
                mean: stat([best] + rivals),
                interval: Statistics.bootstrapInterval([best] + rivals, seed: UInt64(100 + gi), statistic: stat),
                interquartileMean: nil, seeds: best.count))
        }
        return out
    }
}

/// The claims each built-in study tests, by study name.
public enum StudyClaims {
    public static func evaluate(_ results: StudyResults) -> [ClaimResult] {
        switch results.plan.name {
        case "swiss-cheese": SwissCheeseClaims.evaluate(results)
        case LayerwiseLMCStudy.name: LayerwiseLMCClaims.evaluate(results)
        default: []
        }
    }
}
