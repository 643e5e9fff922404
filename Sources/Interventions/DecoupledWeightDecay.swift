import Networks

/// Decoupled weight decay (Loshchilov & Hutter 2019), independent of the optimiser: after
/// each optimiser step, θ ← θ − η·λ·θ with η the learning rate of that step (the schedule's
/// current rate). AdamW decays before its update, θ ← θ(1 − ηλ) − Δ; here the decay follows
/// it, θ ← (θ − Δ)(1 − ηλ), which differs only by the O(η²λ) term ηλΔ.
public final class DecoupledWeightDecay: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "weight-decay", summary: "decoupled decay after each step: θ ← θ − η·λ·θ (η = current learning rate)",
        source: "Loshchilov & Hutter 2019; [D]",
        parameters: [("lambda", "1e-4", "decay coefficient λ (research.md: 1e-5 … 1e-3)")])
    public var name = DecoupledWeightDecay.info.name
    public let lambda: Float

    public init(_ p: InterventionParameters) throws { lambda = Float(try p.number("lambda", in: 0...(.infinity))) }

    public func stepDidFinish(_ training: any TrainingContext) {
        let s = training.network.storage, theta = s.values
        let factor = 1 - training.optimizer.learningRate * lambda
        for i in 0..<s.count { theta[i] *= factor }
    }
}
