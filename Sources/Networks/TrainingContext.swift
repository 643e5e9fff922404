import Tensors

/// What a training hook may see of the loop that runs it: the supervised `Trainer` and the
/// DQN agent's run both conform, so every intervention and diagnostic works in either.
///
/// Hooks read the network, its optimiser and the current batch, draw randomness from `rng`
/// (saved in checkpoints), report values into the next metrics record, announce the units
/// they re-initialised, and may recompute the gradients of the current batch (SAM).
public protocol TrainingContext: AnyObject {
    var network: Network { get }
    var optimizer: any Optimizer { get }
    /// Randomness for hooks (resets, perturbations); part of the loop's checkpoint.
    var rng: RandomGenerator { get set }
    /// Where training stands: `step` counts the finished steps of task `task`.
    var position: StreamPosition { get }
    /// Steps of the current task (the last step of a task is `position.step == taskSteps`).
    var taskSteps: Int { get }
    /// Tasks in the run (game segments for the DQN).
    var taskCount: Int { get }
    /// The inputs of the current batch (the step's examples, or the DQN update's replay states).
    var batchInputs: Tensor { get }
    /// Adds `value` named `name` to the next metrics record (replacing an earlier value of
    /// that name not yet recorded).
    func report(_ name: String, _ value: MetricValue)
    /// The value named `name` reported since the last record, if any.
    func reported(_ name: String) -> MetricValue?
    /// Tells every hook that `units` of hidden layer `layer` were just re-initialised.
    func announceUnitReset(layer: String, units: [Int])
    /// Zeroes the gradients, runs forward and backward on the current batch again (at the
    /// network's current parameters) and returns the loss.
    @discardableResult
    func computeGradients() -> Float
}

extension TrainingContext {
    /// Reports a Double (nil → null).
    public func report(_ name: String, _ value: Double?) { report(name, value.map { .double($0) } ?? .null) }
}

/// Where a training loop is in its stream of tasks. `step` counts the steps finished in task
/// `task`; a position with `step == 0` is before the task's start hooks ran.
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
