import Experiments

/// The claims of the Swiss-cheese study (Lyle et al. 2024, Fig. 1 / Table 1), per protocol,
/// each against a freshly initialised network and never against task 1:
///
/// - the baseline loses plasticity: per seed, the mean over tasks 2…T of the baseline's judged
///   metric minus that of the `fresh` variant (a full reset before every task) on the same
///   task and seed, oriented so that positive means worse (directional; needs the `fresh`
///   variant);
/// - LayerNorm + L2 keeps plasticity best or tied-best: per seed and variant, the mean over
///   tasks 2…T of `probe.plasticity_loss` (probe loss of a copy of the trained network minus
///   that of a fresh network of the same architecture), compared with every other variant but
///   `fresh` within the group's declared margin δ (a tie claim, `ClaimResult.tiedBest`; needs
///   the `probe` diagnostics group).
enum SwissCheeseClaims {
    static let combined = "layernorm + L2"
    /// The variant that trains every task from a fresh initialisation: the reference.
    static let fresh = "fresh"
    static let citation = "Lyle et al. 2024, Fig. 1"

    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        var out: [ClaimResult] = []
        for group in r.plan.groups {
            let (metric, higher) = r.primaryMetric(group: group)
            if r.plan.variants.contains(fresh), let lost = DeclaredClaims.evaluate(DeclaredClaim(
                kind: .freshReferenced,
                claim: "The baseline loses plasticity on \(group): it fits each task after the first worse than a fresh network.",
                citation: citation, group: group, variant: "baseline", metric: metric, reference: .variant(fresh),
                higherIsBetter: higher, fromTask: 2), r) {
                out.append(lost)
            }
            if let kept = keepsPlasticity(r, group: group) { out.append(kept) }
        }
        return out
    }

    /// The tie claim on probe-task plasticity, or nil without the combined variant, a margin or
    /// probe values.
    static func keepsPlasticity(_ r: StudyResults, group: String) -> ClaimResult? {
        guard r.plan.variants.contains(combined), let margin = r.plan.groupMargins[group] else { return nil }
        // Oriented so that higher is better.
        func kept(_ variant: String) -> [Int: Double] { probePlasticityLoss(r, group: group, variant: variant).mapValues { -$0 } }
        let rivals = r.plan.variants.filter { $0 != combined && $0 != fresh }.map { (name: $0, values: kept($0)) }
        return ClaimResult.tiedBest(
            claim: "LayerNorm + L2 keeps plasticity best or tied-best on \(group).", citation: "Lyle et al. 2024, Table 1",
            effect: "rival's − \(combined)'s probe.plasticity_loss, mean over tasks 2–T",
            best: kept(combined), rivals: rivals, margin: margin)
    }

    /// Per seed, the mean over tasks 2…T of `probe.plasticity_loss` (`probe.loss` −
    /// `probe.loss_fresh`: the run's network against a fresh one of its own architecture).
    static func probePlasticityLoss(_ r: StudyResults, group: String, variant: String) -> [Int: Double] {
        DeclaredClaims.effects(DeclaredClaim(
            kind: .freshReferenced, claim: "", citation: "", group: group, variant: variant, metric: "probe.loss",
            reference: .metric("probe.loss_fresh"), higherIsBetter: false, fromTask: 2), r)
    }
}
