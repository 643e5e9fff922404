/// The claims of the warm-start study (Ash & Adams 2020, Fig. 1 and Section 4), per group:
/// paired by seed, on the second task's final test accuracy.
enum WarmStartClaims {
    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        var out: [ClaimResult] = []
        for group in r.plan.groups {
            let metric = r.primaryMetric(group: group).name
            let warm = r.valuesBySeed(group: group, variant: "warm start", metric: metric, task: -1)
            for (variant, claim, citation) in [
                ("scratch", "Training from scratch on all the data ends at a higher test accuracy than warm-starting from half of it (\(group)).",
                 "Ash & Adams 2020, Fig. 1"),
                ("shrink & perturb", "Shrink-and-perturb at the switch narrows the warm-start gap (\(group)).",
                 "Ash & Adams 2020, Section 4"),
            ] {
                let d = pairedDifferences(r.valuesBySeed(group: group, variant: variant, metric: metric, task: -1), warm)
                guard !d.isEmpty else { continue }
                out.append(ClaimResult(claim: claim, citation: citation,
                                       effect: "\(variant) − warm start, last-task \(metric), paired by seed", perSeed: d, paired: true))
            }
        }
        return out
    }
}
