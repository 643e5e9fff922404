import Networks

/// Optimiser-state reset at task boundaries [U]: before every task after the first, all
/// moments and the step count are forgotten (`optimizer.resetState()`), so Adam restarts
/// its bias correction; the parameters are untouched.
public final class OptimizerReset: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "optimizer-reset", summary: "resets the optimiser state (Adam moments, step count) at every task boundary",
        source: "[U]", parameters: [])
    public var name = OptimizerReset.info.name

    public init(_ p: InterventionParameters) throws {}

    public func taskWillStart(_ training: any TrainingContext) {
        if training.position.task > 0 { training.optimizer.resetState() }
    }
}
