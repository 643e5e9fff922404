/// The claims of the Swiss-cheese study (Lyle et al. 2024, Fig. 1 / Table 1), per protocol:
/// the baseline loses plasticity (directional, paired within each run), and LayerNorm + L2 is
/// best or tied-best within the group's declared margin δ (a tie claim, `ClaimResult.tiedBest`).
enum SwissCheeseClaims {
    static let combined = "layernorm + L2"

    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        var out: [ClaimResult] = []
        for group in r.plan.groups {
            let (metric, higher) = r.primaryMetric(group: group)
            let sign = higher ? 1.0 : -1.0
            let first = r.valuesBySeed(group: group, variant: "baseline", metric: metric, task: 0)
            let last = r.valuesBySeed(group: group, variant: "baseline", metric: metric, task: -1)
            let drop = pairedDifferences(first, last).map { sign * $0 }
            if !drop.isEmpty {
                out.append(ClaimResult(
                    claim: "The baseline loses plasticity on \(group): its last task ends worse than its first.",
                    citation: "Lyle et al. 2024, Fig. 1",
                    effect: "baseline \(metric), first task − last task" + (higher ? "" : " (negated: lower is better)"),
                    perSeed: drop, paired: true))
            }
            guard r.plan.variants.contains(combined), let margin = r.plan.groupMargins[group] else { continue }
            func oriented(_ v: String) -> [Int: Double] {
                r.valuesBySeed(group: group, variant: v, metric: metric, task: -1).mapValues { sign * $0 }
            }
            let rivals = r.plan.variants.filter { $0 != combined }.map { (name: $0, values: oriented($0)) }
            if let tie = ClaimResult.tiedBest(
                claim: "LayerNorm + L2 is best or tied-best on \(group).", citation: "Lyle et al. 2024, Table 1",
                effect: "\(combined) last-task \(metric) − rival's" + (higher ? "" : " (negated)"),
                best: oriented(combined), rivals: rivals, margin: margin) {
                out.append(tie)
            }
        }
        return out
    }
}
