import Networks

/// Sharpness-aware minimisation (Foret et al. 2021; [D]): after backward, with g the current
/// gradient, ε = ρ·g/‖g‖₂ (global norm over all parameters, computed in Double); the
/// parameters move to θ + ε, the gradient is recomputed there on the same batch
/// (`training.computeGradients()`), θ is restored bit-exactly from a copy, and the optimiser
/// then steps with the gradient of the perturbed point. Skipped when ‖g‖ = 0.
///
/// Order matters: the recomputation replaces the gradient, so put SAM first in the list —
/// interventions before it that add to gradients (L2, Parseval, …) would be overwritten.
/// The extra forward runs in training mode (BatchNorm statistics update twice per step),
/// and the trainer's logged loss stays the one at θ.
public final class SharpnessAwareMinimization: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "sam", summary: "gradient taken at θ + ρ·g/‖g‖ (put it first: it recomputes gradients)",
        source: "Foret et al. 2021; [D]",
        parameters: [("rho", "0.05", "radius ρ of the ascent step")])
    public var name = SharpnessAwareMinimization.info.name
    public let rho: Float
    private var saved: [Float] = []

    public init(_ p: InterventionParameters) throws { rho = Float(try p.number("rho", in: 0...(.infinity))) }

    public func gradientsComputed(_ training: any TrainingContext) {
        let s = training.network.storage, theta = s.values, g = s.gradients, n = s.count
        var sum = 0.0
        for i in 0..<n { sum += Double(g[i]) * Double(g[i]) }
        guard sum > 0 else { return }
        let scale = rho / Float(sum.squareRoot())
        if saved.count != n { saved = [Float](repeating: 0, count: n) }
        saved.withUnsafeMutableBufferPointer { copy in
            for i in 0..<n { copy[i] = theta[i]; theta[i] += scale * g[i] }
        }
        training.computeGradients()
        saved.withUnsafeBufferPointer { theta.update(from: $0.baseAddress!, count: n) }
    }
}
