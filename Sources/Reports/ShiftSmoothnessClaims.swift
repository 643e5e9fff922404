/// The claims of the shift-smoothness study (Lyle et al. 2024), per group, on the probe-task
/// plasticity loss at the end of the stream (`probe.loss − probe.loss_fresh`), paired by
/// seed: the abrupt stream loses plasticity, and more than every "smooth…" variant does.
enum ShiftSmoothnessClaims {
    static let abrupt = "abrupt"

    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        var out: [ClaimResult] = []
        for group in r.plan.groups {
            let metric = r.primaryMetric(group: group).name
            let sharp = r.valuesBySeed(group: group, variant: abrupt, metric: metric, task: -1)
            guard !sharp.isEmpty else { continue }
            out.append(ClaimResult(claim: "Abrupt label re-draws leave the network less plastic than a fresh one (\(group)).",
                                   citation: "Lyle et al. 2023, probe-task plasticity; Lyle et al. 2024, random-label memorisation",
                                   effect: "last-task \(metric) of \(abrupt)", perSeed: sharp.keys.sorted().map { sharp[$0]! }, paired: false))
            for variant in r.plan.variants where variant.hasPrefix("smooth") {
                let d = pairedDifferences(sharp, r.valuesBySeed(group: group, variant: variant, metric: metric, task: -1))
                guard !d.isEmpty else { continue }
                out.append(ClaimResult(
                    claim: "Abrupt label re-draws cost more plasticity than gradual drift of the same total amount (\(variant), \(group)).",
                    citation: "Lyle et al. 2024, smooth versus abrupt nonstationarity",
                    effect: "last-task \(metric), \(abrupt) − \(variant), paired by seed", perSeed: d, paired: true))
            }
        }
        return out
    }
}
