import Experiments

/// The claims of the Swiss-cheese study (Lyle et al. 2024, Fig. 1 / Table 1), per protocol,
/// each against a freshly initialised network and never against task 1:
///
/// - the baseline loses plasticity (`FreshReference.baselineLosesPlasticity`: against the
///   `fresh` variant, a full reset before every task, over tasks 2…T);
/// - LayerNorm + L2 keeps plasticity best or tied-best: per seed and variant, the mean over
///   tasks 2…T of `probe.plasticity_loss` (probe loss of a copy of the trained network minus
///   that of a fresh network of the same architecture), compared with every other variant but
///   `fresh` within the group's declared margin δ (a tie claim, `ClaimResult.tiedBest`; needs
///   the `probe` diagnostics group).
enum SwissCheeseClaims {
    static let combined = "layernorm + L2"

    static func evaluate(_ r: StudyResults) -> [ClaimResult] {
        var out: [ClaimResult] = []
        for group in r.plan.groups {
            if let lost = FreshReference.baselineLosesPlasticity(r, group: group, citation: "Lyle et al. 2024, Fig. 1") {
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
        func kept(_ variant: String) -> [Int: Double] {
            FreshReference.probePlasticityLoss(r, group: group, variant: variant).mapValues { -$0 }
        }
        let rivals = r.plan.variants.filter { $0 != combined && $0 != FreshReference.variant }.map { (name: $0, values: kept($0)) }
        return ClaimResult.tiedBest(
            claim: "LayerNorm + L2 keeps plasticity best or tied-best on \(group).", citation: "Lyle et al. 2024, Table 1",
            effect: "rival's − \(combined)'s probe.plasticity_loss, mean over tasks 2–T",
            best: kept(combined), rivals: rivals, margin: margin)
    }
}
