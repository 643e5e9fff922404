/// The claims of the target-scale study (Lyle et al. 2023, 2024), per group, on the
/// probe-task plasticity loss at the end of the stream (`probe.loss − probe.loss_fresh`),
/// paired by seed: large targets against small ones under MSE, and every distributional
/// loss ("large targets, …" variants) against MSE at the same large targets.
enum TargetScaleClaims {
    static let small = "small targets, MSE"
    static let large = "large targets, MSE"
    static let largePrefix = "large targets, "

    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        var out: [ClaimResult] = []
        for group in r.plan.groups {
            let metric = r.primaryMetric(group: group).name
            func last(_ variant: String) -> [Int: Double] { r.valuesBySeed(group: group, variant: variant, metric: metric, task: -1) }
            func add(_ claim: String, _ citation: String, _ effect: String, _ a: [Int: Double], _ b: [Int: Double]) {
                let d = pairedDifferences(a, b)
                guard !d.isEmpty else { return }
                out.append(ClaimResult(claim: claim, citation: citation, effect: effect, perSeed: d, paired: true))
            }
            add("Pre-training on large targets leaves less plasticity than on small targets (\(group)).",
                "Lyle et al. 2023, target-magnitude experiments; Lyle et al. 2024, regression target scale",
                "last-task \(metric), \(large) − \(small), paired by seed", last(large), last(small))
            for variant in r.plan.variants where variant.hasPrefix(largePrefix) && variant != large {
                let loss = variant.dropFirst(largePrefix.count)
                add("A distributional loss (\(loss)) keeps more plasticity than MSE at the same large targets (\(group)).",
                    "Lyle et al. 2023, two-hot loss; Lyle et al. 2024, distributional losses",
                    "last-task \(metric), \(large) − \(variant), paired by seed", last(large), last(variant))
            }
        }
        return out
    }
}
