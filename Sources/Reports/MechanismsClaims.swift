import Experiments
import Networks

/// The claims of the mechanisms study (Lyle et al. 2023, 2024), per group, none contrasting a
/// plasticity measure with task 1:
///
/// - the baseline loses plasticity (`FreshReference.baselineLosesPlasticity`, as in
///   `SwissCheeseClaims`);
/// - plasticity loss coincides with each mechanism *across* variants and seeds: Spearman's ρ
///   (`SpearmanCorrelation`) over every run but `fresh`'s between the mechanism's change and
///   the run's probe plasticity loss (mean over tasks 2…T of `probe.plasticity_loss`, a fresh
///   network of the run's own architecture as reference), held when its interval lies above 0.
///   Mechanisms: parameter norm (task T − task 1), pre-activation shift before normalisation
///   (mean over layers of the mean's drift from initialisation at task T: `preact.prenorm_*`
///   where a layer has a normalisation, `preact.*` elsewhere) and Hessian λ_max (task T − task 1);
/// - LayerNorm reduces the pre-activation shift, measured before normalisation (baseline −
///   layernorm at task T, paired by seed: can fail, since LayerNorm hides the shift only
///   from its output);
/// - weight decay bounds the parameter norm (baseline − L2 at task T), labelled a manipulation
///   check: weight decay acts on the norm by construction.
enum MechanismsClaims {
    static let citation2023 = "Lyle et al. 2023, Section 4"
    static let citation2024 = "Lyle et al. 2024, Section 4"

    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        var out: [ClaimResult] = []
        for group in r.plan.groups {
            if let lost = FreshReference.baselineLosesPlasticity(r, group: group, citation: "Lyle et al. 2023, Fig. 1") {
                out.append(lost)
            }
            let mechanisms: [(name: String, effect: String, citation: String, change: (String) -> [Int: Double])] = [
                ("parameter-norm growth", "param_norm, task T − task 1", citation2024,
                 { change(r, group, $0, "param_norm") }),
                ("pre-activation shift", "mean over layers of the pre-activation mean's drift from init before normalisation, task T", citation2024,
                 { shift(r, group, $0) }),
                ("Hessian λ_max growth", "hessian.lambda_max, task T − task 1", citation2023,
                 { change(r, group, $0, "hessian.lambda_max") }),
            ]
            for m in mechanisms {
                if let c = correlation(r, group: group, mechanism: m.name, effect: m.effect, citation: m.citation, change: m.change) {
                    out.append(c)
                }
            }
            if r.plan.variants.contains("layernorm") {
                add(&out, "LayerNorm reduces the pre-activation shift, measured before normalisation (\(group)).", citation2024,
                    "task-T mean over layers of the pre-activation mean's drift from init before normalisation, baseline − layernorm",
                    shift(r, group, "baseline"), shift(r, group, "layernorm"))
            }
            if r.plan.variants.contains("L2") {
                add(&out, "Manipulation check: weight decay bounds the parameter norm (\(group)).", citation2024,
                    "task-T param_norm, baseline − L2",
                    r.valuesBySeed(group: group, variant: "baseline", metric: "param_norm", task: -1),
                    r.valuesBySeed(group: group, variant: "L2", metric: "param_norm", task: -1))
            }
        }
        return out
    }

    /// A directional claim on a − b paired by seed, when any seed has both.
    static func add(_ out: inout [ClaimResult], _ claim: String, _ citation: String, _ effect: String,
                    _ a: [Int: Double], _ b: [Int: Double]) {
        let d = pairedDifferences(a, b)
        guard !d.isEmpty else { return }
        out.append(ClaimResult(claim: claim, citation: citation, effect: effect, perSeed: d, paired: true))
    }

    /// `metric` at task T minus at task 1, by seed.
    static func change(_ r: StudyResults, _ group: String, _ variant: String, _ metric: String) -> [Int: Double] {
        let first = r.valuesBySeed(group: group, variant: variant, metric: metric, task: 0)
        var out: [Int: Double] = [:]
        for (seed, last) in r.valuesBySeed(group: group, variant: variant, metric: metric, task: -1) {
            if let start = first[seed] { out[seed] = last - start }
        }
        return out
    }

    /// The pre-activation mean's drift from initialisation before normalisation at task T, mean
    /// over layers, by seed: `preact.prenorm_mean_drift_init` for a normalised network,
    /// `preact.mean_drift_init` (the same quantity there) for one without normalisation. A
    /// normalised run that did not record the prenorm drift (made before it existed) has no
    /// value: its post-normalisation drift would hide the shift by construction.
    static func shift(_ r: StudyResults, _ group: String, _ variant: String) -> [Int: Double] {
        let normalised = r.plan.runs.first { $0.group == group && $0.variant == variant }?.experiment.map { $0.model.norm != .none } ?? false
        let prefix = normalised ? "preact.prenorm_mean_drift_init" : "preact.mean_drift_init"
        return r.layerMeanBySeed(group: group, variant: variant, prefix: prefix, task: -1)
    }

    /// The correlation claim of one mechanism: Spearman's ρ over every run but `fresh`'s
    /// between its change and its probe plasticity loss; nil with fewer than 4 runs having both.
    static func correlation(_ r: StudyResults, group: String, mechanism: String, effect: String, citation: String,
                            change: (String) -> [Int: Double]) -> ClaimResult? {
        var pairs: [(x: Double, y: Double)] = []
        for variant in r.plan.variants where variant != FreshReference.variant {
            let x = change(variant), y = FreshReference.probePlasticityLoss(r, group: group, variant: variant)
            for seed in x.keys.sorted() { if let loss = y[seed] { pairs.append((x[seed]!, loss)) } }
        }
        let rho = SpearmanCorrelation(pairs)
        guard rho.rho.isFinite else { return nil }
        return ClaimResult(claim: "Runs with more \(mechanism) lose more plasticity (\(group)).", citation: citation,
                           effect: "Spearman ρ over variants × seeds: \(effect) vs probe.plasticity_loss (mean over tasks 2–T)",
                           correlation: rho)
    }
}
