/// One entry of a config's intervention list: `[[interventions]]` with `name = "redo"` and
/// parameter keys.
public struct InterventionSpec: Sendable, Equatable {
    public var name: String
    public var parameters: [String: InterventionValue]

    public init(_ name: String, _ parameters: [String: InterventionValue] = [:]) {
        self.name = name
        self.parameters = parameters
    }

    /// A spec written as on the command line, `NAME` or `NAME:key=value,key=value`; a value
    /// that reads as a number is a number, anything else text (`redo:tau=0.1,every=1000`).
    public init(commandLine text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1)
        var parameters: [String: InterventionValue] = [:]
        for pair in parts.count > 1 ? parts[1].split(separator: ",") : [] {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw InterventionError("--intervention '\(text)': '\(pair)' is not key=value") }
            parameters[kv[0]] = Double(kv[1]).map { .number($0) } ?? .text(kv[1])
        }
        self.init(String(parts.first ?? ""), parameters)
    }
}
