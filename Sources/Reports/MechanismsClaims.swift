/// The claims of the mechanisms study (Lyle et al. 2023, 2024), per group: how the baseline's
/// diagnostics move from the first task end to the last, and what LayerNorm and weight decay
/// change, all paired by seed.
enum MechanismsClaims {
    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        var out: [ClaimResult] = []
        for group in r.plan.groups {
            let (metric, higher) = r.primaryMetric(group: group)
            let sign = higher ? 1.0 : -1.0
            func add(_ claim: String, _ citation: String, _ effect: String, _ a: [Int: Double], _ b: [Int: Double]) {
                let d = pairedDifferences(a, b)
                guard !d.isEmpty else { return }
                out.append(ClaimResult(claim: claim, citation: citation, effect: effect, perSeed: d, paired: true))
            }
            func baseline(_ name: String, task: Int) -> [Int: Double] {
                r.valuesBySeed(group: group, variant: "baseline", metric: name, task: task)
            }
            func drift(_ variant: String, task: Int) -> [Int: Double] {
                r.layerMeanBySeed(group: group, variant: variant, prefix: "preact.mean_drift_init", task: task)
            }
            add("The baseline loses plasticity on \(group).", "Lyle et al. 2023, Fig. 1",
                "baseline \(metric), first task − last task" + (higher ? "" : " (negated)"),
                baseline(metric, task: 0).mapValues { sign * $0 }, baseline(metric, task: -1).mapValues { sign * $0 })
            add("The baseline's parameter norm grows as it loses plasticity (\(group)).", "Lyle et al. 2024, Section 4.2",
                "baseline param_norm, last task end − first task end", baseline("param_norm", task: -1), baseline("param_norm", task: 0))
            add("The baseline's pre-activations drift away from their initial distribution (\(group)).", "Lyle et al. 2024, Section 4.1",
                "baseline mean over layers of preact.mean_drift_init, last task end − first task end",
                drift("baseline", task: -1), drift("baseline", task: 0))
            add("Plasticity loss coincides with a growing Hessian top eigenvalue (\(group)).", "Lyle et al. 2023, Section 4",
                "baseline hessian.lambda_max, last task end − first task end",
                baseline("hessian.lambda_max", task: -1), baseline("hessian.lambda_max", task: 0))
            if r.plan.variants.contains("layernorm") {
                add("LayerNorm removes the pre-activation shift (\(group)).", "Lyle et al. 2024, Section 5",
                    "last-task mean over layers of preact.mean_drift_init, baseline − layernorm",
                    drift("baseline", task: -1), drift("layernorm", task: -1))
            }
            if r.plan.variants.contains("L2") {
                add("Weight decay bounds the parameter norm (\(group)).", "Lyle et al. 2024, Section 5",
                    "last-task param_norm, baseline − L2",
                    baseline("param_norm", task: -1), r.valuesBySeed(group: group, variant: "L2", metric: "param_norm", task: -1))
            }
        }
        return out
    }
}
