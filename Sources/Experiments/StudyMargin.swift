/// The equivalence margin δ a study declares for a group's judged metric, before anything
/// runs: a tie claim ("A is best or tied-best") holds when A trails every rival by less than
/// δ. `margin = 0.02` in a `[[groups]]` entry is absolute (in the metric's units);
/// `relative_margin = 0.05` is 5 % of the rival's mean (for losses, whose scale varies).
public struct StudyMargin: Sendable, Equatable {
    public let value: Double
    public let isRelative: Bool

    public init(value: Double, isRelative: Bool) {
        self.value = value
        self.isRelative = isRelative
    }
}
