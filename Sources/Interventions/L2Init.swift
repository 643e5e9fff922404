import Networks

/// L2-init, regenerative regularisation (Kumar et al. 2023, "Maintaining plasticity in
/// continual learning via regenerative regularization"): the loss gets λ‖θ − θ₀‖², θ₀ the
/// parameters at the start of training, so after backward g ← g + 2λ(θ − θ₀) — the exact
/// gradient of that term. Unlike L2 it pulls towards the initialisation, not towards 0.
///
/// θ₀ is captured at the first step (before any update: the initialisation) and saved in
/// checkpoints (`theta0`).
public final class L2Init: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "l2-init", summary: "regenerative regularisation: loss + λ‖θ−θ₀‖², adds 2λ(θ−θ₀) to gradients",
        source: "Kumar et al. 2023",
        parameters: [("lambda", "1e-4", "coefficient λ of λ‖θ − θ₀‖²")])
    public var name = L2Init.info.name
    public let lambda: Float
    /// The anchor θ₀ (empty until the first task starts).
    public private(set) var anchor: [Float] = []

    public init(_ p: InterventionParameters) throws { lambda = Float(try p.number("lambda", in: 0...(.infinity))) }

    public func gradientsComputed(_ training: any TrainingContext) {
        if anchor.isEmpty { anchor = training.network.parameterVector() }
        let s = training.network.storage, theta = s.values, g = s.gradients, c = 2 * lambda
        anchor.withUnsafeBufferPointer { theta0 in
            for i in 0..<s.count { g[i] += c * (theta[i] - theta0[i]) }
        }
    }

    public func checkpointState() -> [String: [Float]] { anchor.isEmpty ? [:] : ["theta0": anchor] }

    public func restore(_ state: [String: [Float]]) throws {
        if let a = state["theta0"] { anchor = a }
    }
}
