import Experiments

/// The fresh-network reference the Swiss-cheese and mechanisms claims share: the `fresh`
/// variant (a full reset before every task) and probe-task plasticity (a copy of a run's
/// network against a fresh network of its own architecture). Neither looks at task 1.
enum FreshReference {
    /// The variant that trains every task from a fresh initialisation.
    static let variant = "fresh"

    /// "The baseline loses plasticity on `group`": per seed, the mean over tasks 2…T of the
    /// baseline's judged metric minus the `fresh` variant's on the same task and seed, oriented
    /// so that positive means worse (a directional claim). Nil without the `fresh` variant or
    /// two seeds with values.
    static func baselineLosesPlasticity(_ r: StudyResults, group: String, citation: String) -> ClaimResult? {
        guard r.plan.variants.contains(variant) else { return nil }
        let (metric, higher) = r.primaryMetric(group: group)
        return DeclaredClaims.evaluate(DeclaredClaim(
            kind: .freshReferenced,
            claim: "The baseline loses plasticity on \(group): it fits each task after the first worse than a fresh network.",
            citation: citation, group: group, variant: "baseline", metric: metric, reference: .variant(variant),
            higherIsBetter: higher, fromTask: 2), r)
    }

    /// Per seed, the mean over tasks 2…T of `probe.plasticity_loss` (`probe.loss` −
    /// `probe.loss_fresh`).
    static func probePlasticityLoss(_ r: StudyResults, group: String, variant: String) -> [Int: Double] {
        DeclaredClaims.effects(DeclaredClaim(
            kind: .freshReferenced, claim: "", citation: "", group: group, variant: variant, metric: "probe.loss",
            reference: .metric("probe.loss_fresh"), higherIsBetter: false, fromTask: 2), r)
    }
}
