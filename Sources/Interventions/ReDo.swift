import Networks
import Training

/// ReDo, recycling dormant neurons (Sokar et al. 2023, "The dormant neuron phenomenon in deep
/// reinforcement learning"): every F steps, each hidden unit whose score
/// s_i = a_i / ((1/H) Σ_k a_k) is ≤ τ, a_i = mean |h_i| over a batch, is re-initialised:
/// incoming weights and bias re-drawn from the layer's initialiser, outgoing weights set to
/// 0 (so a recycled unit starts with no effect on the output; for τ = 0 the function is
/// unchanged), and the optimiser state of exactly those entries zeroed. τ = 0 recycles only units that are silent on the whole batch.
///
/// The batch is the trainer's current one (`trainer.batchInputs`) run forward in evaluation
/// mode right after the step (BatchNorm uses its running statistics), so no extra data is
/// drawn. All layers are scored from one forward pass, then reset, and each reset is
/// announced to the other hooks (`Trainer.announceUnitReset`). Reports
/// `redo_dormant_fraction` (before the reset) and `redo_reset_units`.
public final class ReDo: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "redo", summary: "every F steps re-initialises τ-dormant units (incoming re-drawn, outgoing zeroed, optimiser state reset)",
        source: "Sokar et al. 2023",
        parameters: [("tau", "0.1", "dormancy threshold τ on the normalised score s_i"),
                     ("every", "1000", "F: steps between recycling passes")])
    public var name = ReDo.info.name
    public let tau: Float
    public let every: Int

    public init(_ p: InterventionParameters) throws {
        tau = Float(try p.number("tau", in: 0...(.infinity)))
        every = try p.integer("every", in: 1...Int.max)
    }

    public func stepDidFinish(_ trainer: Trainer) throws {
        guard trainer.position.globalStep % every == 0 else { return }
        _ = trainer.network.forward(trainer.batchInputs, mode: .evaluation)
        var dormant: [(HiddenLayer, [Int])] = []
        var units = 0
        for layer in trainer.network.hiddenLayers {
            guard let activity = layer.meanAbsoluteActivation() else { continue }
            units += activity.count
            dormant.append((layer, DormancyScores.dormant(activity.map(Double.init), threshold: Double(tau))))
        }
        var indices: [Int] = [], reset = 0
        for (layer, chosen) in dormant where !chosen.isEmpty {
            indices += layer.resetUnits(chosen, rng: &trainer.rng)
            trainer.announceUnitReset(layer: layer.name, units: chosen)
            reset += chosen.count
        }
        trainer.optimizer.resetState(indices: indices)
        trainer.pendingMetrics.set("redo_dormant_fraction", units > 0 ? Double(reset) / Double(units) : nil)
        trainer.pendingMetrics["redo_reset_units"] = .int(reset)
    }
}
