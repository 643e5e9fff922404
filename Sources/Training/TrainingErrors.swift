/// Why training stopped early; `description` is one line.
public struct TrainingError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Training diverged: the loss or a parameter became NaN or infinite. Carries where it
/// happened and the last finite loss, for `summary.json`; `description` is one line.
public struct DivergenceError: Error, CustomStringConvertible {
    /// What became non-finite: "loss" or "a parameter".
    public let quantity: String
    /// The non-finite value.
    public let value: Float
    /// Task number (from 1, as in results.csv), step within it (1-based: the step being
    /// taken) and global step.
    public let task: Int
    public let step: Int
    public let globalStep: Int
    /// The last finite training loss seen in this session, if any.
    public let lastFiniteLoss: Float?

    public var description: String {
        let last = lastFiniteLoss.map { ", last finite loss \($0)" } ?? ""
        return "diverged: \(quantity) became \(value.isNaN ? "NaN" : "\(value)") at task \(task) step \(step) (global step \(globalStep))\(last); lower the learning rate or clip gradients"
    }
}
