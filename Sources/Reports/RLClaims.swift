/// The claims of the `rl` study (Lyle et al. 2023 [U], 2024 [D]; ReDo, Sokar et al. 2023),
/// per group, paired by seed: the final return (`return_mean_100` at the last game segment's
/// end) of LayerNorm, LayerNorm + weight decay and ReDo against the baseline, and how much
/// more the baseline's diagnostics drift (first to last measurement) than LayerNorm + weight
/// decay's: dormant ratio up, srank down, parameter norm up.
enum RLClaims {
    static let baseline = "baseline", layerNormWD = "layernorm + wd"

    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        guard let curves = try? RLStudy.curves(r) else { return [] }
        var out: [ClaimResult] = []
        for group in r.plan.groups {
            func add(_ claim: String, _ citation: String, _ effect: String, _ a: [Int: Double], _ b: [Int: Double]) {
                let d = pairedDifferences(a, b)
                guard !d.isEmpty else { return }
                out.append(ClaimResult(claim: claim, citation: citation, effect: effect, perSeed: d, paired: true))
            }
            let final = "return_mean_100"
            func returns(_ variant: String) -> [Int: Double] { r.valuesBySeed(group: group, variant: variant, metric: final, task: -1) }
            for (variant, citation) in [(layerNormWD, "Lyle et al. 2024, RL on the ALE with LayerNorm + weight decay"),
                                        ("layernorm", "Lyle et al. 2023, RL on the ALE with layer normalization"),
                                        ("redo", "Sokar et al. 2023, ReDo")]
            where r.plan.variants.contains(variant) {
                add("\(variant) ends with a higher return than the baseline (\(group)).", citation,
                    "final \(final), \(variant) − baseline, paired by seed", returns(variant), returns(baseline))
            }
            guard r.plan.variants.contains(layerNormWD) else { continue }
            /// Last − first of `metric` for `variant`, by seed.
            func drift(_ variant: String, _ metric: String) -> [Int: Double] {
                var out: [Int: Double] = [:]
                for c in curves where c.run.group == group && c.run.variant == variant {
                    if let ends = RLStudy.firstAndLast(c.curve, metric) { out[c.run.seed] = ends.last - ends.first }
                }
                return out
            }
            for (metric, direction, sign) in [("dormant.tau0.1", "rises", 1.0), ("srank.delta0.01", "falls", -1.0), ("param_norm", "grows", 1.0)] {
                add("The baseline's \(metric) \(direction) more than with LayerNorm + weight decay (\(group)).",
                    "Lyle et al. 2023; Lyle et al. 2024 (research spec, finding 7)",
                    "\(sign > 0 ? "" : "−")(Δ baseline − Δ layernorm + wd), Δ = last − first measurement, paired by seed",
                    drift(baseline, metric).mapValues { sign * $0 }, drift(layerNormWD, metric).mapValues { sign * $0 })
            }
        }
        return out
    }
}
