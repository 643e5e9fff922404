import Networks

/// A described, configurable intervention against plasticity loss: a training hook plus the
/// catalogue entry `plasticity interventions` prints.
public protocol Intervention: TrainingHook {
    /// The catalogue entry of this intervention type.
    static var info: InterventionInfo { get }
}

/// What the catalogue shows for an intervention: its config name, what it does, the paper it
/// comes from, and its parameters with defaults.
public struct InterventionInfo: Sendable {
    public let name: String
    public let summary: String
    public let source: String
    public let parameters: [(name: String, defaultValue: String, meaning: String)]

    public init(name: String, summary: String, source: String,
                parameters: [(name: String, defaultValue: String, meaning: String)]) {
        self.name = name
        self.summary = summary
        self.source = source
        self.parameters = parameters
    }
}
