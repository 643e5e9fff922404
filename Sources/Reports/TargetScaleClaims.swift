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
        for (gi, group) in r.plan.groups.enumerated() {
            let metric = r.primaryMetric(group: group).name
            let mse = r.values(group: group, variant: large, metric: metric, task: -1)
            var seed = UInt64(100 * gi)
            func add(_ claim: String, _ citation: String, _ effect: String, _ a: [Double], _ b: [Double]) {
                seed += 1
                guard !a.isEmpty, a.count == b.count else { return }
                out.append(ClaimResult(claim: claim, citation: citation, effect: effect,
                                       perSeed: zip(a, b).map { $0 - $1 }, seed: seed))
            }
            add("Pre-training on large targets leaves less plasticity than on small targets (\(group)).",
                "Lyle et al. 2023, target-magnitude experiments; Lyle et al. 2024, regression target scale",
                "last-task \(metric), \(large) − \(small), paired by seed",
                mse, r.values(group: group, variant: small, metric: metric, task: -1))
            for variant in r.plan.variants where variant.hasPrefix(largePrefix) && variant != large {
                let loss = variant.dropFirst(largePrefix.count)
                add("A distributional loss (\(loss)) keeps more plasticity than MSE at the same large targets (\(group)).",
                    "Lyle et al. 2023, two-hot loss; Lyle et al. 2024, distributional losses",
                    "last-task \(metric), \(large) − \(variant), paired by seed",
                    mse, r.values(group: group, variant: variant, metric: metric, task: -1))
            }
        }
        return out
    }
}
