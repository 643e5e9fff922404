import Networks

/// Every intervention of research.md §4 and the Plasticine extras, by config name.
///
/// Interventions in a list are independent hooks applied in list order at each hook point
/// (so `[sam, l2]` adds L2 to the SAM gradient, while `[l2, sam]` loses it). Architecture,
/// loss and optimiser choices are listed in `otherChoices` with the config key that selects
/// them.
///
/// ```swift
/// let specs = [InterventionSpec("redo", ["tau": 0.025]), InterventionSpec("weight-decay")]
/// let network = try InterventionCatalog.prepare(network, for: specs)
/// training.hooks = try InterventionCatalog.make(specs)
/// ```
public enum InterventionCatalog {
    /// The registered intervention types, in catalogue order.
    public static var types: [any ConfigurableIntervention.Type] {
        [L2Regularization.self, DecoupledWeightDecay.self, L2Init.self, ShrinkAndPerturb.self, ReDo.self,
         ContinualBackprop.self, ResetLastLayers.self, FullReset.self, LayerReset.self, OptimizerReset.self,
         SharpnessAwareMinimization.self, SpectralNormalization.self, GradientClipping.self,
         PlasticityInjection.self, NormalizeAndProject.self, ParsevalRegularization.self]
    }

    /// The catalogue entries of `types`.
    public static var entries: [InterventionInfo] { types.map { $0.info } }

    /// Builds one intervention; throws a one-line `InterventionError` for an unknown name or
    /// parameter, or a bad value.
    public static func make(_ spec: InterventionSpec) throws -> any ConfigurableIntervention {
        guard let type = types.first(where: { $0.info.name == spec.name }) else {
            throw InterventionError("unknown intervention '\(spec.name)' (valid: \(entries.map(\.name).joined(separator: ", ")))")
        }
        return try type.init(InterventionParameters(spec.parameters, info: type.info))
    }

    /// Builds a list in order; a name used more than once gets `-2`, `-3`, … appended to its
    /// hook name so checkpoint keys stay distinct.
    public static func make(_ specs: [InterventionSpec]) throws -> [any ConfigurableIntervention] {
        var seen: [String: Int] = [:]
        return try specs.map { spec in
            let hook = try make(spec)
            let count = (seen[spec.name] ?? 0) + 1
            seen[spec.name] = count
            if count > 1 { hook.name = "\(spec.name)-\(count)" }
            return hook
        }
    }

    /// The network the listed interventions need: with `plasticity-injection` listed, the
    /// network with its last `head_layers` Linear/Conv2d layers wrapped in an `InjectionHead`
    /// (build the optimiser over the returned network); otherwise `network` itself.
    public static func prepare(_ network: Network, for specs: [InterventionSpec]) throws -> Network {
        guard let spec = specs.first(where: { $0.name == PlasticityInjection.info.name }) else { return network }
        let injection = try PlasticityInjection(InterventionParameters(spec.parameters, info: PlasticityInjection.info))
        return try InjectionHead.wrapping(network, headLayers: injection.headLayers)
    }

    /// Catalogue entries that are not hooks: architecture, loss and optimiser choices, each
    /// with the config key that selects it.
    public static let otherChoices: [(kind: String, key: String, info: InterventionInfo)] = [
        ("architecture", "model.norm = \"layernorm\"", InterventionInfo(
            name: "layernorm", summary: "LayerNorm before every hidden activation, learnable gain/offset",
            source: "[U][D]; Ba et al. 2016", parameters: [("epsilon", "1e-5", "variance floor ε")])),
        ("architecture", "model.norm = \"batchnorm\"", InterventionInfo(
            name: "batchnorm", summary: "BatchNorm before every hidden activation",
            source: "[D]; Ioffe & Szegedy 2015", parameters: [("momentum", "0.1", "running-statistics momentum")])),
        ("architecture", "model.activation = \"crelu\"", InterventionInfo(
            name: "crelu", summary: "concatenated ReLU [relu(z), relu(−z)]; doubles the next layer's input width",
            source: "Abbas et al. 2023", parameters: [])),
        ("architecture", "FourierActivation layer (not yet an Architecture activation name)", InterventionInfo(
            name: "fourier", summary: "deep Fourier features [sin z, cos z]; doubles the next layer's input width",
            source: "Lewandowski et al. 2024; Plasticine", parameters: [])),
        ("loss", "loss.kind = \"two-hot\" | \"hl-gauss\"", InterventionInfo(
            name: "distributional", summary: "two-hot / HL-Gauss cross-entropy over bins instead of MSE",
            source: "[U][D]; Farebrother et al. 2024", parameters: [("bins", "51", "number of bins on [min, max]")])),
        ("optimizer", "TRAC(base:storage:)", InterventionInfo(
            name: "trac", summary: "parameter-free scaling of the base optimiser's movement from θ_ref (erfi coin betting)",
            source: "Muppidi et al. 2024; Plasticine",
            parameters: [("betas", "0.9…0.999999", "discount factors of the bettors"), ("s_init", "1e-8", "initial scale")])),
        ("optimizer", "PSGDKron(_:parameters:)", InterventionInfo(
            name: "psgd-kron", summary: "preconditioned SGD with Kronecker-factored whitening preconditioners",
            source: "Li 2018, 2024; Plasticine",
            parameters: [("momentum", "0.9", "β of the gradient average"), ("precond_lr", "0.1", "step of the Q update"),
                         ("max_dense", "1024", "largest axis with a triangular factor")])),
    ]
}
