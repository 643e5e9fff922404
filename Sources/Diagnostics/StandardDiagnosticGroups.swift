import Networks
import Tensors

/// The built-in groups. Names and formulas: `docs/metrics.md`.
extension DiagnosticGroup {
    /// `dead`, `dormant.tau<τ>`, `low_activity`, `linearised`, `saturated`, `active_fraction`,
    /// `grad_dormant.tau<τ>`, `dormant_again.tau<τ>` (`unitMetrics`).
    public static func units(_ settings: UnitMetricSettings = UnitMetricSettings()) -> DiagnosticGroup {
        DiagnosticGroup(name: "units", usesGradient: true) { try unitMetrics($0, settings: settings) }
    }

    /// `preact.mean`, `preact.std` and their drifts (`preactivationMetrics`).
    public static var preactivations: DiagnosticGroup {
        DiagnosticGroup(name: "preactivations", compute: preactivationMetrics)
    }

    /// `param_norm`, `dist_from_init`, `dist_from_task_start`, `grad_norm`,
    /// `sign_flip_fraction` (`parameterMetrics`).
    public static var parameters: DiagnosticGroup {
        DiagnosticGroup(name: "parameters", usesGradient: true) { try parameterMetrics($0) }
    }

    /// `srank.delta<δ>`, `effective_rank`, `stable_rank`, `numerical_rank`, `feature_norm`,
    /// `feature_variance` (`featureMetrics`).
    public static func features(delta: Double = 0.01) -> DiagnosticGroup {
        DiagnosticGroup(name: "features") { try featureMetrics(features: $0.features, delta: delta) }
    }

    /// `probe.loss`, `probe.loss_fresh`, `probe.plasticity_loss` on the probe inputs
    /// (`probeTaskPlasticity`); task ends only. The fresh network is trained once per probe
    /// batch and its loss reused, since it does not depend on the measured network.
    public static func probe(makeNetwork: @escaping () throws -> Network,
                             settings: ProbeTaskSettings = ProbeTaskSettings()) -> DiagnosticGroup {
        let fresh = FreshProbeLoss()
        return DiagnosticGroup(name: "probe", cadence: .taskEnds) { context in
            let inputs = context.probe.inputs
            let values = try probeTaskPlasticity(of: context.network, makeNetwork: makeNetwork, inputs: inputs,
                                                 settings: settings, freshLoss: fresh.inputs === inputs ? fresh.loss : nil)
            fresh.inputs = inputs
            fresh.loss = values["probe.loss_fresh"]
            return values
        }
    }

    /// Config names of the groups `named` knows.
    public static let standardNames = ["units", "preactivations", "parameters", "features", "probe", "hessian", "hessian_blocks",
                                       "hessian_density", "entk", "interference"]

    /// The group called `name` with default settings (the `probe` group with
    /// `probeSettings`). `makeNetwork` builds a fresh network of the run's architecture; only
    /// the `probe` group needs it. `traceSamples` caps the Hutchinson samples of the
    /// `hessian` group (its main cost: one product each). `hessian` is the whole network's
    /// curvature (`HessianOptions.wholeNetwork`); `hessian_blocks` adds each layer block's
    /// λ_max and the largest-|λ| eigenvalue.
    public static func named(_ name: String, makeNetwork: (() throws -> Network)? = nil,
                             probeSettings: ProbeTaskSettings = ProbeTaskSettings(),
                             traceSamples: Int = 100) throws -> DiagnosticGroup {
        switch name {
        case "units": return .units()
        case "preactivations": return .preactivations
        case "parameters": return .parameters
        case "features": return .features()
        case "probe":
            guard let make = makeNetwork else { throw DiagnosticError("the probe group needs a network factory") }
            return .probe(makeNetwork: make, settings: probeSettings)
        case "hessian":
            let options = HessianOptions.wholeNetwork(traceSamples: traceSamples)
            return DiagnosticGroup(name: "hessian", cadence: .taskEnds) { try hessianMetrics(network: $0.network, probe: $0.probe, options: options) }
        case "hessian_blocks":
            return DiagnosticGroup(name: "hessian_blocks", cadence: .taskEnds) {
                try hessianMetrics(network: $0.network, probe: $0.probe, options: .blocks)
            }
        case "hessian_density":
            return DiagnosticGroup(name: "hessian_density", cadence: .taskEnds) {
                hessianDensityValues(try hessianSpectralDensity(network: $0.network, probe: $0.probe))
            }
        case "entk":
            return DiagnosticGroup(name: "entk", cadence: .taskEnds) { try entkMetrics(network: $0.network, probe: $0.probe) }
        case "interference":
            return DiagnosticGroup(name: "interference", cadence: .taskEnds) { try interferenceMetrics(network: $0.network, probe: $0.probe) }
        default:
            throw DiagnosticError("unknown diagnostic group '\(name)' (valid: \(standardNames.joined(separator: ", ")))")
        }
    }
}

/// The fresh network's probe loss for one probe batch, kept by the `probe` group. It holds
/// the batch itself, so a later batch can never be mistaken for it by address.
private final class FreshProbeLoss {
    var inputs: Tensor?
    var loss: Double?
}
