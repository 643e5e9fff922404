import Networks

/// Global gradient-norm clipping as an intervention (`clip_grad_norm_`): g ← g·c/(‖g‖ + 1e-6)
/// when ‖g‖ > c. Placed in the list, it clips what the interventions before it produced and
/// the ones after it see clipped gradients (the trainer's own `gradientClip` runs after all
/// hooks). Reports the pre-clip norm as `grad_norm`.
public final class GradientClipping: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "gradient-clip", summary: "clips the global gradient norm to max_norm (clip_grad_norm_)",
        source: "Pascanu et al. 2013",
        parameters: [("max_norm", "1.0", "largest allowed global L2 norm of the gradient")])
    public var name = GradientClipping.info.name
    public let maxNorm: Float

    public init(_ p: InterventionParameters) throws { maxNorm = Float(try p.number("max_norm", in: 0...(.infinity))) }

    public func gradientsComputed(_ training: any TrainingContext) {
        let norm = clipGradientNorm(training.network.storage, maxNorm: maxNorm)
        training.report("grad_norm", Double(norm))
    }
}
