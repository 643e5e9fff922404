import Networks

/// Normalize-and-project, NaP (Lyle et al. 2024, "Normalization and effective learning rates
/// in reinforcement learning"): with a normalisation layer before every nonlinearity, a
/// layer's function is invariant to the scale of its incoming weights, and growing weight
/// norms silently shrink the effective learning rate. NaP fixes the norms: after every step
///     W ← W · ‖W₀‖ / ‖W‖          for every Linear/Conv2d weight,
/// and, with `norm_params` = 1, each LayerNorm/BatchNorm's gain and offset are projected
/// jointly: (γ, β) ← (γ, β) · √(‖γ₀‖² + ‖β₀‖²) / √(‖γ‖² + ‖β‖²) (Plasticine projects the pair
/// the same way). Biases of Linear/Conv2d layers are left free. ‖·‖₀ are the norms when the
/// first task starts, saved in checkpoints (`norms`, in network order).
///
/// Use it with `model.norm = "layernorm"`: without normalisation the projection changes the
/// network's function.
public final class NormalizeAndProject: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "normalize-project", summary: "after each step projects every weight (and norm-layer gain/offset) back to its initial norm; use with layernorm",
        source: "Lyle et al. 2024 (NaP)",
        parameters: [("norm_params", "1", "also project LayerNorm/BatchNorm (gain, offset) pairs (0/1)")])
    public var name = NormalizeAndProject.info.name
    public let projectNormParameters: Bool
    /// Target norms, in the order of `groups` (empty until the first task starts).
    public private(set) var targetNorms: [Float] = []
    private var groups: [[Parameter]]?

    public init(_ p: InterventionParameters) throws { projectNormParameters = try p.flag("norm_params") }

    /// The parameter groups projected as one vector each, in network order.
    func parameterGroups(_ network: Network) -> [[Parameter]] {
        network.namedLayers.compactMap { _, layer in
            if let u = layer as? any UnitLayer { return [u.weight] }
            guard projectNormParameters, let n = layer as? any NormalizationLayer else { return nil }
            return [n.weight, n.bias]
        }
    }

    public func taskWillStart(_ training: any TrainingContext) {
        if groups == nil { groups = parameterGroups(training.network) }
        if targetNorms.isEmpty { targetNorms = groups!.map(norm) }
    }

    public func stepDidFinish(_ training: any TrainingContext) {
        if groups == nil { groups = parameterGroups(training.network) }
        for (group, target) in zip(groups!, targetNorms) {
            let current = norm(group)
            guard current > 0 else { continue }
            let scale = target / current
            for p in group { let v = p.value; for i in 0..<p.count { v[i] *= scale } }
        }
    }

    private func norm(_ group: [Parameter]) -> Float {
        var s = 0.0
        for p in group { let v = p.value; for i in 0..<p.count { s += Double(v[i]) * Double(v[i]) } }
        return Float(s.squareRoot())
    }

    public func checkpointState() -> [String: [Float]] { targetNorms.isEmpty ? [:] : ["norms": targetNorms] }

    public func restore(_ state: [String: [Float]]) throws {
        if let n = state["norms"] { targetNorms = n }
    }
}
