import Networks

/// Coupled L2 regularisation, independent of the optimiser: after backward, every gradient
/// gets g ← g + λθ, the gradient of the loss term (λ/2)‖θ‖² (PyTorch's `weight_decay`
/// convention). With Adam the decay is then rescaled by the adaptive step, unlike
/// `weight-decay` (Loshchilov & Hutter 2019). [D] studies both.
///
/// ```swift
/// training.hooks = [try L2Regularization.make(["lambda": 1e-4])]
/// ```
public final class L2Regularization: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "l2", summary: "coupled L2: adds λθ to every gradient (loss + λ/2‖θ‖²)",
        source: "[D]; Krogh & Hertz 1991",
        parameters: [("lambda", "1e-4", "L2 coefficient λ (research.md: 1e-5 … 1e-3)")])
    public var name = L2Regularization.info.name
    public let lambda: Float

    public init(_ p: InterventionParameters) throws { lambda = Float(try p.number("lambda", in: 0...(.infinity))) }

    public func gradientsComputed(_ training: any TrainingContext) {
        let s = training.network.storage, theta = s.values, g = s.gradients, l = lambda
        for i in 0..<s.count { g[i] += l * theta[i] }
    }
}
