import Networks

/// Full reset at task boundaries [U]: before every task after the first, every parameter is
/// re-drawn from its layer's initialiser with `training.rng`, BatchNorm statistics are reset
/// and the whole optimiser state (moments and step count) is forgotten — training each task
/// from a fresh network, the reference for how much plasticity was lost.
public final class FullReset: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "full-reset", summary: "re-initialises the whole network and the optimiser at each task boundary",
        source: "[U]", parameters: [])
    public var name = FullReset.info.name

    public init(_ p: InterventionParameters) throws {}

    public func taskWillStart(_ training: any TrainingContext) throws {
        guard training.position.task > 0 else { return }
        try training.reset(training.parameterisedLayers.map(\.layer))
        training.optimizer.resetState()
    }
}
