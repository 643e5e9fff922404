/// A named set of diagnostics computed together from one `DiagnosticContext`: the unit of
/// configuration (`groups = ["units", "features"]`) and of extension. A new group (curvature,
/// eNTK, gradient interference) is a value of this type, built in its own file and listed in
/// `DiagnosticGroup.named(_:makeNetwork:)`:
///
/// ```swift
/// extension DiagnosticGroup {
///     public static func curvature(settings: CurvatureSettings = .init()) -> DiagnosticGroup {
///         DiagnosticGroup(name: "curvature", cadence: .taskEnds, usesGradient: false) { context in
///             try curvatureMetrics(context, settings: settings)
///         }
///     }
/// }
/// ```
public struct DiagnosticGroup {
    /// When a scheduled hook computes the group.
    public enum Cadence: Sendable, Equatable {
        /// At every scheduled measurement (every N steps and at task ends).
        case everyMeasurement
        /// Only at task ends (expensive groups: the probe task, curvature).
        case taskEnds
    }

    /// The config name (`units`).
    public let name: String
    public let cadence: Cadence
    /// Whether the group reads `DiagnosticContext.gradient`; the hook computes the probe
    /// gradient only when some group due does.
    public let usesGradient: Bool
    /// Computes the group's values.
    public let compute: (DiagnosticContext) throws -> DiagnosticValues

    public init(name: String, cadence: Cadence = .everyMeasurement, usesGradient: Bool = false,
                compute: @escaping (DiagnosticContext) throws -> DiagnosticValues) {
        self.name = name
        self.cadence = cadence
        self.usesGradient = usesGradient
        self.compute = compute
    }
}
