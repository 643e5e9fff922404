/// Code that runs inside a training loop (any `TrainingContext`): interventions and diagnostics.
///
/// The loop calls, in this order, for every task: `taskWillStart`, then for every step
/// `gradientsComputed` (after backward, before the optimiser update: gradients may be
/// modified here) and `stepDidFinish` (after the update), then `taskDidFinish` (before the
/// task's final evaluation). A hook that re-initialises units announces them with
/// `TrainingContext.announceUnitReset`, which calls every hook's `unitsWereReset` (diagnostics use it
/// to measure how many reset units turn dormant again). A hook with state that must survive a
/// resume returns it from `checkpointState` and takes it back in `restore`.
public protocol TrainingHook: AnyObject {
    /// A stable name, used for checkpoint keys.
    var name: String { get }
    func taskWillStart(_ training: any TrainingContext) throws
    func gradientsComputed(_ training: any TrainingContext) throws
    func stepDidFinish(_ training: any TrainingContext) throws
    func taskDidFinish(_ training: any TrainingContext) throws
    /// Units `units` of hidden layer `layer` were re-initialised during the current step.
    func unitsWereReset(_ training: any TrainingContext, layer: String, units: [Int])
    /// Named flat vectors to save in checkpoints.
    func checkpointState() -> [String: [Float]]
    /// Restores what `checkpointState` returned.
    func restore(_ state: [String: [Float]]) throws
}

extension TrainingHook {
    public func taskWillStart(_ training: any TrainingContext) throws {}
    public func gradientsComputed(_ training: any TrainingContext) throws {}
    public func stepDidFinish(_ training: any TrainingContext) throws {}
    public func taskDidFinish(_ training: any TrainingContext) throws {}
    public func unitsWereReset(_ training: any TrainingContext, layer: String, units: [Int]) {}
    public func checkpointState() -> [String: [Float]] { [:] }
    public func restore(_ state: [String: [Float]]) throws {}
}

