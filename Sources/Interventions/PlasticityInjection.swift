import Networks

/// Plasticity injection (Nikishin et al. 2023): once, when task `task` starts, the network's
/// `InjectionHead` is injected — the head θ frozen, a fresh θ' drawn from the head's
/// initialisers with `training.rng` and a frozen copy θ'₀ kept — so the output becomes
/// h_θ + h_θ' − h_θ'₀, unchanged at that moment, and the optimiser state of the head's entries
/// is zeroed (θ' is a new parameter). See `InjectionHead` for the layer.
///
/// The network must contain an `InjectionHead`: `InterventionCatalog.prepare(_:for:)` wraps
/// the last `head_layers` Linear/Conv2d layers when this intervention is listed. Whether the
/// injection happened is stored in the network (buffer `injected`), so resuming is exact.
public final class PlasticityInjection: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "plasticity-injection", summary: "once, freezes the head and adds h_θ' − h_θ'₀ (fresh θ' trains); output unchanged at injection",
        source: "Nikishin et al. 2023; Plasticine",
        parameters: [("task", "-1", "task index at whose start to inject (-1: the middle task, ⌊tasks/2⌋)"),
                     ("head_layers", "2", "Linear/Conv2d layers at the end of the network that form the head")])
    public var name = PlasticityInjection.info.name
    public let task: Int
    public let headLayers: Int

    public init(_ p: InterventionParameters) throws {
        task = try p.integer("task", in: -1...Int.max)
        headLayers = try p.integer("head_layers", in: 1...Int.max)
    }

    /// The network's injectable head; throws if it has none.
    func head(_ network: Network) throws -> InjectionHead {
        guard let h = network.injectionHead else {
            throw InterventionError("plasticity-injection: the network has no InjectionHead; build it through InterventionCatalog.prepare(_:for:) or InjectionHead.wrapping(_:headLayers:)")
        }
        return h
    }

    public func taskWillStart(_ training: any TrainingContext) throws {
        let h = try head(training.network)
        let target = task >= 0 ? task : training.taskCount / 2
        guard training.position.task == target, !h.isInjected else { return }
        try h.inject { head in
            for (_, layer) in head.namedLayers() { try layer.reinitialize(using: &training.rng) }
        }
        training.optimizer.resetState(indices: h.headParameterIndices)
        training.report("plasticity_injected", .int(1))
    }
}
