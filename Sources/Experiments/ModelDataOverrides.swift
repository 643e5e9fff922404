import Networks

/// Command-line replacements for a config's `[model]` and `[data]` (as `plasticity lmc` and
/// `diagnose` take them): an architecture given as a family with its fields, or as a one-line
/// spec (`mlp[128,128] relu norm=layernorm`), and a dataset with its fields. The values go
/// through the config file parser, so they are validated, and named in errors, exactly as in
/// a config file ("command-line options").
public struct ModelDataOverrides: Sendable, Equatable {
    /// A family (`mlp`, `cnn`, `cnn-deep`, `resnet`) or a one-line spec.
    public var architecture: String?
    /// Hidden widths, comma-separated (with a family).
    public var widths: String?
    public var activation: String?
    public var norm: String?
    public var blocksPerStage: Int?
    public var dataset: String?
    public var dataDirectory: String?
    public var dataCount: Int?
    public var dataSeed: Int?

    public init() {}

    /// Whether `architecture` is a one-line spec rather than a family name.
    public var architectureIsSpec: Bool { architecture?.contains(where: { $0 == "[" || $0 == " " }) ?? false }

    /// `base` with the overridden `[model]` and `[data]` sections replaced.
    public func applied(to base: ExperimentConfig) throws -> ExperimentConfig {
        var toml = ""
        if let architecture, !architectureIsSpec {
            toml += "[model]\narch = \(tomlString(architecture))\n"
            if let widths { toml += "widths = [\(widths)]\n" }
            if let activation { toml += "activation = \(tomlString(activation))\n" }
            if let norm { toml += "norm = \(tomlString(norm))\n" }
            if let blocksPerStage { toml += "blocks_per_stage = \(blocksPerStage)\n" }
        }
        if let dataset {
            toml += "[data]\ndataset = \(tomlString(dataset))\n"
            if let dataDirectory { toml += "dir = \(tomlString(dataDirectory))\n" }
            if let dataCount { toml += "count = \(dataCount)\n" }
            if let dataSeed { toml += "seed = \(dataSeed)\n" }
        }
        let flags = try ExperimentConfig.parse(toml, file: "command-line options")
        var out = base
        if let architecture, architectureIsSpec {
            out.model = try Architecture(parsing: architecture)
        } else if architecture != nil {
            out.model = flags.model
        }
        if dataset != nil { out.data = flags.data }
        return out
    }
}
