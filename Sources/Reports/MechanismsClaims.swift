import Experiments
import Networks

/// The claims of the mechanisms study (Lyle et al. 2023, 2024), per group, none contrasting a
/// plasticity measure with task 1 (design of 2026-12-08, docs/studies.md):
///
/// - the baseline loses plasticity (`FreshReference.baselineLosesPlasticity`, as in
///   `SwissCheeseClaims`);
/// - *within an architecture*, plasticity loss coincides with each mechanism: Spearman's ρ
///   stratified by architecture (`SpearmanCorrelation(strata:)`, ranks within the runs of one
///   architecture) over every run but `fresh`'s, between the mechanism's change and the run's
///   probe plasticity loss (mean over tasks 2…T of `probe.plasticity_loss`, a fresh network of
///   the run's own architecture as reference), held when its interval lies above 0. Pooling
///   architectures would rank a LayerNorm network's scale-free weights, which grow without
///   costing plasticity, against an unnormalised one's. Mechanisms: parameter norm (task T −
///   task 1), pre-activation shift in units of the pre-activations' spread (`shift`) and
///   Hessian λ_max (task T − task 1);
/// - LayerNorm reduces the pre-activation shift, measured before normalisation in units of its
///   spread (baseline − layernorm at task T, paired by seed: can fail, since LayerNorm hides
///   the shift only from its output);
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
                ("pre-activation shift", "mean over layers of |μ_T − μ_init| / σ_T of the pre-activations before normalisation, task T", citation2024,
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
                    "task-T mean over layers of |μ_T − μ_init| / σ_T of the pre-activations before normalisation, baseline − layernorm",
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

    /// The pre-activation shift at task T in units of the pre-activations' spread, mean over
    /// layers, by seed: per layer |μ_T − μ_init| / max(σ_T, 1e-8) of the normalisation's input
    /// (`preact.prenorm_mean_drift_init.<ℓ>` / `preact.prenorm_std.<ℓ>`) for a normalised
    /// network, of the pre-activations (`preact.mean_drift_init.<ℓ>` / `preact.std.<ℓ>`, the
    /// same quantities there) for one without normalisation. Scale-free, so a LayerNorm
    /// network's growing (scale-free) weights do not count as shift. A normalised run that did
    /// not record the prenorm statistics (made before they existed) has no value: its
    /// post-normalisation drift would hide the shift by construction.
    static func shift(_ r: StudyResults, _ group: String, _ variant: String) -> [Int: Double] {
        let normalised = model(r, group, variant).map { $0.norm != .none } ?? false
        let prefix = normalised ? "preact.prenorm_" : "preact."
        let driftPrefix = prefix + "mean_drift_init."
        var out: [Int: Double] = [:]
        for run in r.runs(group: group, variant: variant) {
            guard let metrics = r.record(run, task: -1) else { continue }
            let ratios = metrics.compactMap { key, drift -> Double? in
                guard key.hasPrefix(driftPrefix), let std = metrics[prefix + "std." + key.dropFirst(driftPrefix.count)] else { return nil }
                return drift / Swift.max(std, 1e-8)
            }
            if !ratios.isEmpty { out[run.seed] = ratios.reduce(0, +) / Double(ratios.count) }
        }
        return out
    }

    /// The network of a variant's runs in `group`, nil for an RL study.
    static func model(_ r: StudyResults, _ group: String, _ variant: String) -> Architecture? {
        r.plan.runs.first { $0.group == group && $0.variant == variant }?.experiment?.model
    }

    /// The correlation claim of one mechanism: Spearman's ρ within architectures over every run
    /// but `fresh`'s between its change and its probe plasticity loss; nil without enough runs.
    static func correlation(_ r: StudyResults, group: String, mechanism: String, effect: String, citation: String,
                            change: (String) -> [Int: Double]) -> ClaimResult? {
        var strata: [String: [(x: Double, y: Double)]] = [:]
        for variant in r.plan.variants where variant != FreshReference.variant {
            let x = change(variant), y = FreshReference.probePlasticityLoss(r, group: group, variant: variant)
            let stratum = model(r, group, variant).map { "\($0)" } ?? ""
            for seed in x.keys.sorted() { if let loss = y[seed] { strata[stratum, default: []].append((x[seed]!, loss)) } }
        }
        let rho = SpearmanCorrelation(strata: strata.keys.sorted().map { strata[$0]! })
        guard rho.rho.isFinite else { return nil }
        return ClaimResult(claim: "Within an architecture, runs with more \(mechanism) lose more plasticity (\(group)).", citation: citation,
                           effect: "Spearman ρ within architectures over variants × seeds: \(effect) vs probe.plasticity_loss (mean over tasks 2–T)",
                           correlation: rho)
    }
}
