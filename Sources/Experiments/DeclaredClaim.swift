import TOMLKit

/// A claim declared in a study file's `[[claims]]` table before any run, judged on the runs'
/// task-end metrics by one of two measures that never contrast a task with task 1 (which
/// would measure forward transfer or a first-task artefact, not plasticity):
///
/// - `fresh-referenced`: per seed, the mean over tasks `from_task`…T of (trained − fresh),
///   where *fresh* is the same task's value for a freshly initialised network: another
///   metric of the same run (`fresh_metric`, e.g. `probe.loss_fresh` beside `probe.loss`) or
///   the same metric of a variant that trains every task from a fresh initialisation
///   (`fresh_variant`, paired by seed and task);
/// - `trend`: per seed, the least-squares slope of the metric over tasks `from_task`…T
///   (x = task number).
///
/// Each is oriented so that a positive effect means "worse" (negated when
/// `higher_is_better`), and the claim holds when the mean over seeds is above zero (a
/// one-sample t over seeds; docs/studies.md, "Declared claims").
public struct DeclaredClaim: Sendable, Equatable {
    /// The measure.
    public enum Kind: String, Sendable, CaseIterable {
        case freshReferenced = "fresh-referenced"
        case trend
    }

    /// What a fresh-referenced claim compares with.
    public enum Reference: Sendable, Equatable {
        /// Another metric of the same run.
        case metric(String)
        /// The same metric of another variant, paired by seed and task.
        case variant(String)
    }

    public let kind: Kind
    /// The claim in one sentence.
    public let claim: String
    /// The paper, figure or table.
    public let citation: String
    public let group: String
    public let variant: String
    /// The trained network's task-end metric.
    public let metric: String
    /// The fresh network's value (fresh-referenced claims only).
    public let reference: Reference?
    public let higherIsBetter: Bool
    /// The first task judged, counted from 1; at least 2.
    public let fromTask: Int

    public init(kind: Kind, claim: String, citation: String, group: String, variant: String, metric: String,
                reference: Reference?, higherIsBetter: Bool, fromTask: Int) {
        self.kind = kind
        self.claim = claim
        self.citation = citation
        self.group = group
        self.variant = variant
        self.metric = metric
        self.reference = reference
        self.higherIsBetter = higherIsBetter
        self.fromTask = fromTask
    }

    static let keys = ["kind", "claim", "citation", "group", "variant", "metric", "fresh_metric", "fresh_variant",
                       "higher_is_better", "from_task"]

    /// The `[[claims]]` entries of a study file whose group runs at this scale (`groups`);
    /// `allGroups` and `variants` are every group and variant label the file declares.
    static func parse(_ value: (any TOMLValueConvertible)?, file: String, groups: [String], allGroups: [String],
                      variants: [String]) throws -> [DeclaredClaim] {
        try StudyEntry.entries(value, key: "claims", keys: keys, file: file).compactMap { entry in
            let t = entry.table
            guard let kind = Kind(rawValue: try entry.text("kind")) else {
                throw entry.error("kind must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let group = try entry.label("group", in: allGroups, kind: "group")
            let variant = try entry.label("variant", in: variants, kind: "variant")
            let fromTask = t["from_task"]?.int ?? 2
            guard fromTask >= 2 else { throw entry.error("from_task must be ≥ 2 (a claim never contrasts against task 1)") }
            let higher = t["higher_is_better"]
            guard higher == nil || higher?.bool != nil else { throw entry.error("higher_is_better must be true or false") }
            let freshMetric = t["fresh_metric"]?.string, freshVariant = t["fresh_variant"]?.string
            let reference: Reference?
            switch (kind, freshMetric, freshVariant) {
            case (.trend, nil, nil): reference = nil
            case (.trend, _, _): throw entry.error("a trend claim takes no fresh_metric or fresh_variant")
            case (.freshReferenced, let m?, nil): reference = .metric(m)
            case (.freshReferenced, nil, let v?):
                guard variants.contains(v), v != variant else { throw entry.error("fresh_variant '\(v)' must be another declared variant") }
                reference = .variant(v)
            case (.freshReferenced, _, _):
                throw entry.error("a fresh-referenced claim needs exactly one of fresh_metric and fresh_variant")
            }
            let claim = DeclaredClaim(kind: kind, claim: try entry.text("claim"), citation: try entry.text("citation"), group: group,
                                      variant: variant, metric: try entry.text("metric"), reference: reference,
                                      higherIsBetter: higher?.bool ?? false, fromTask: fromTask)
            return groups.contains(group) ? claim : nil
        }
    }
}
