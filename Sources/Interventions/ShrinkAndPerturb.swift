import Networks

/// Shrink-and-perturb (Ash & Adams 2020, "On warm-starting neural network training"; [S]):
/// at every task boundary, θ ← λθ + σε with ε a freshly initialised network's parameters
/// (every layer re-drawn from its own initialiser with `training.rng`, in network order;
/// LayerNorm/BatchNorm gains are 1 and offsets 0 in ε). Optimiser state is kept.
public final class ShrinkAndPerturb: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "shrink-perturb", summary: "at each task boundary θ ← λθ + σε, ε a freshly initialised network",
        source: "Ash & Adams 2020; [S]",
        parameters: [("lambda", "0.8", "shrink factor λ"), ("sigma", "0.01", "perturbation scale σ")])
    public var name = ShrinkAndPerturb.info.name
    public let lambda: Float
    public let sigma: Float

    public init(_ p: InterventionParameters) throws {
        lambda = Float(try p.number("lambda", in: 0...(.infinity)))
        sigma = Float(try p.number("sigma", in: 0...(.infinity)))
    }

    public func taskWillStart(_ training: any TrainingContext) throws {
        guard training.position.task > 0 else { return }
        let theta = training.network.parameterVector()
        for (_, layer) in training.parameterisedLayers { try layer.reinitialize(using: &training.rng) }
        let s = training.network.storage, eps = s.values, l = lambda, sg = sigma
        theta.withUnsafeBufferPointer { t in
            for i in 0..<s.count { eps[i] = l * t[i] + sg * eps[i] }
        }
    }
}
