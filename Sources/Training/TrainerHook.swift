/// Code that runs inside the training loop: interventions and diagnostics.
///
/// The trainer calls, in this order, for every task: `taskWillStart`, then for every step
/// `gradientsComputed` (after backward, before the optimiser update: gradients may be
/// modified here) and `stepDidFinish` (after the update), then `taskDidFinish` (before the
/// task's final evaluation). A hook that re-initialises units announces them with
/// `Trainer.announceUnitReset`, which calls every hook's `unitsWereReset` (diagnostics use it
/// to measure how many reset units turn dormant again). A hook with state that must survive a
/// resume returns it from `checkpointState` and takes it back in `restore`.
public protocol TrainerHook: AnyObject {
    /// A stable name, used for checkpoint keys.
    var name: String { get }
    func taskWillStart(_ trainer: Trainer) throws
    func gradientsComputed(_ trainer: Trainer) throws
    func stepDidFinish(_ trainer: Trainer) throws
    func taskDidFinish(_ trainer: Trainer) throws
    /// Units `units` of hidden layer `layer` were re-initialised during the current step.
    func unitsWereReset(_ trainer: Trainer, layer: String, units: [Int])
    /// Named flat vectors to save in checkpoints.
    func checkpointState() -> [String: [Float]]
    /// Restores what `checkpointState` returned.
    func restore(_ state: [String: [Float]]) throws
}

extension TrainerHook {
    public func taskWillStart(_ trainer: Trainer) throws {}
    public func gradientsComputed(_ trainer: Trainer) throws {}
    public func stepDidFinish(_ trainer: Trainer) throws {}
    public func taskDidFinish(_ trainer: Trainer) throws {}
    public func unitsWereReset(_ trainer: Trainer, layer: String, units: [Int]) {}
    public func checkpointState() -> [String: [Float]] { [:] }
    public func restore(_ state: [String: [Float]]) throws {}
}

/// Where the trainer is in its stream. `step` counts the steps finished in task `task`;
/// a position with `step == 0` is before the task's start hooks ran.
public struct StreamPosition: Sendable, Equatable, Comparable {
    public var task: Int
    public var step: Int
    /// Steps finished over the whole run.
    public var globalStep: Int

    public init(task: Int = 0, step: Int = 0, globalStep: Int = 0) {
        self.task = task
        self.step = step
        self.globalStep = globalStep
    }

    public static func < (a: StreamPosition, b: StreamPosition) -> Bool { a.globalStep < b.globalStep }
}

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
