import TOMLKit

/// A manipulation check declared in a study file's `[[checks]]` table before any run: a
/// condition the design must meet for its claims to test anything, such as "the baseline
/// memorises task 1's random labels (training accuracy ≥ 0.95)". It holds when every seed's
/// value of `metric` at the end of task `task` is within its bound. A study whose check
/// fails reports so instead of verdicts (docs/studies.md, "Manipulation checks").
public struct ManipulationCheck: Sendable, Equatable {
    /// Which side of `threshold` the values must lie on.
    public enum Bound: String, Sendable { case atLeast = "at_least", atMost = "at_most" }

    /// The check in one sentence.
    public let check: String
    public let group: String
    public let variant: String
    public let metric: String
    /// The task, counted from 1.
    public let task: Int
    public let bound: Bound
    public let threshold: Double

    public init(check: String, group: String, variant: String, metric: String, task: Int, bound: Bound, threshold: Double) {
        self.check = check
        self.group = group
        self.variant = variant
        self.metric = metric
        self.task = task
        self.bound = bound
        self.threshold = threshold
    }

    /// Whether `value` meets the bound.
    public func passes(_ value: Double) -> Bool {
        value.isFinite && (bound == .atLeast ? value >= threshold : value <= threshold)
    }

    /// "train_accuracy at the end of task 1 ≥ 0.95".
    public var condition: String {
        "\(metric) at the end of task \(task) \(bound == .atLeast ? "≥" : "≤") \(threshold)"
    }

    static let keys = ["check", "group", "variant", "metric", "task", "at_least", "at_most"]

    /// The `[[checks]]` entries whose group runs at this scale (`groups`); `allGroups` and
    /// `variants` are every group and variant label the file declares.
    static func parse(_ value: (any TOMLValueConvertible)?, file: String, groups: [String], allGroups: [String],
                      variants: [String]) throws -> [ManipulationCheck] {
        try StudyEntry.entries(value, key: "checks", keys: keys, file: file).compactMap { entry in
            let t = entry.table
            let group = try entry.label("group", in: allGroups, kind: "group")
            let variant = try entry.label("variant", in: variants, kind: "variant")
            guard let task = t["task"]?.int, task >= 1 else { throw ConfigError(file: file, "\(entry.name) needs an integer 'task' ≥ 1") }
            func number(_ key: String) -> Double? { t[key]?.double ?? t[key]?.int.map(Double.init) }
            let bound: Bound, threshold: Double
            switch (number("at_least"), number("at_most")) {
            case (let low?, nil): (bound, threshold) = (.atLeast, low)
            case (nil, let high?): (bound, threshold) = (.atMost, high)
            default: throw ConfigError(file: file, "\(entry.name) needs exactly one number, at_least or at_most")
            }
            guard threshold.isFinite else { throw entry.error("the bound must be finite") }
            let check = ManipulationCheck(check: try entry.text("check"), group: group, variant: variant, metric: try entry.text("metric"),
                                          task: task, bound: bound, threshold: threshold)
            return groups.contains(group) ? check : nil
        }
    }
}
