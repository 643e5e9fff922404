import Networks

/// An intervention the catalogue can build from a config: its parameters are declared, with
/// defaults, in `info`, and `init` reads them from a checked `InterventionParameters`.
///
/// Adding an intervention is one new file with a type conforming to this protocol plus one
/// line in `InterventionCatalog.types`.
public protocol ConfigurableIntervention: Intervention {
    /// Builds the intervention; throws an `InterventionError` naming a bad parameter.
    init(_ parameters: InterventionParameters) throws
    /// The checkpoint key of this hook; the catalogue makes it unique within a list.
    var name: String { get set }
}

extension ConfigurableIntervention {
    /// Builds the intervention from numeric parameters, defaults for the rest.
    public static func make(_ parameters: [String: Double] = [:]) throws -> Self {
        try Self(InterventionParameters(parameters.mapValues(InterventionValue.number), info: info))
    }
}
