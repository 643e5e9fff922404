/// The claims of the warm-start study (Ash & Adams 2020, Fig. 1 and Section 4), per group:
/// paired by seed, on the second task's final test accuracy.
enum WarmStartClaims {
    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        var out: [ClaimResult] = []
        for (gi, group) in r.plan.groups.enumerated() {
            let metric = r.primaryMetric(group: group).name
            let warm = r.values(group: group, variant: "warm start", metric: metric, task: -1)
            for (vi, (variant, claim, citation)) in [
                ("scratch", "Training from scratch on all the data ends at a higher test accuracy than warm-starting from half of it (\(group)).",
                 "Ash & Adams 2020, Fig. 1"),
                ("shrink & perturb", "Shrink-and-perturb at the switch narrows the warm-start gap (\(group)).",
                 "Ash & Adams 2020, Section 4"),
            ].enumerated() {
                let other = r.values(group: group, variant: variant, metric: metric, task: -1)
                guard !warm.isEmpty, other.count == warm.count else { continue }
                out.append(ClaimResult(claim: claim, citation: citation,
                                       effect: "\(variant) − warm start, last-task \(metric), paired by seed",
                                       perSeed: zip(other, warm).map { $0 - $1 }, seed: UInt64(10 * gi + vi)))
            }
        }
        return out
    }
}
