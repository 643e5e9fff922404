import Networks

/// Layer resetting (Nikishin et al. 2022, "The primacy bias in deep reinforcement learning";
/// Plasticine's `reset`): the named layers are re-drawn from their initialisers with
/// `training.rng`, with their optimiser state zeroed, every `every` global steps (after the
/// step), or at every task boundary when `every` is 0.
///
/// `layers` is a comma-separated list of state-dict prefixes (`"layers.4,layers.6"`); a
/// prefix selects that layer and all parameterised layers inside it. `"last"` (the default)
/// is the final Linear/Conv2d.
public final class LayerReset: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "layer-reset", summary: "periodically re-initialises the named layers and their optimiser state",
        source: "Nikishin et al. 2022; Plasticine",
        parameters: [("layers", "last", "comma-separated layer names (layers.4,layers.6) or last"),
                     ("every", "1000", "steps between resets (0: at each task boundary)")])
    public var name = LayerReset.info.name
    public let layerNames: [String]
    public let every: Int

    public init(_ p: InterventionParameters) throws {
        layerNames = try p.text("layers").split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }
        every = try p.integer("every", in: 0...Int.max)
        guard !layerNames.isEmpty else { throw InterventionError("layer-reset: parameter 'layers' names no layer") }
    }

    /// The layers to reset in `training`'s network; throws if a name matches nothing.
    func selectedLayers(_ training: any TrainingContext) throws -> [any Layer] {
        let all = training.parameterisedLayers
        var chosen: [any Layer] = []
        for n in layerNames {
            let matches = n == "last"
                ? all.last(where: { $0.layer is any UnitLayer }).map { [$0.layer] } ?? []
                : all.filter { $0.name == n || $0.name.hasPrefix(n + ".") }.map(\.layer)
            guard !matches.isEmpty else {
                throw InterventionError("layer-reset: no layer named '\(n)' (layers: \(all.map(\.name).joined(separator: ", ")))")
            }
            chosen += matches.filter { m in !chosen.contains { $0 === m } }
        }
        return chosen
    }

    /// Checks the names at every task start; resets there when `every` is 0.
    public func taskWillStart(_ training: any TrainingContext) throws {
        let layers = try selectedLayers(training)
        if every == 0 && training.position.task > 0 { try training.reset(layers) }
    }

    public func stepDidFinish(_ training: any TrainingContext) throws {
        if every > 0 && training.position.globalStep % every == 0 { try training.reset(selectedLayers(training)) }
    }
}
