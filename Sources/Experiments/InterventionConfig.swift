import Interventions
import TOMLKit

extension ConfigReader {
    /// The `[[interventions]]` list: each table's `name` picks a catalogue entry and every
    /// other key is one of its parameters (numbers, booleans as 0/1, or strings), checked by
    /// the catalogue so an unknown intervention or parameter is an error naming its line.
    func interventionSpecs() throws -> [InterventionSpec] {
        try tables("interventions").map { t in
            let name = try t.string("name", "")
            guard !name.isEmpty else { throw t.error("name", "every [[interventions]] entry needs a name") }
            var parameters: [String: InterventionValue] = [:]
            for (key, value) in t.entries() where key != "name" {
                switch value.type {
                case .int: parameters[key] = .number(Double(value.int ?? 0))
                case .double: parameters[key] = .number(value.double ?? 0)
                case .bool: parameters[key] = .number(value.bool == true ? 1 : 0)
                case .string: parameters[key] = .text(value.string ?? "")
                default: throw t.error(key, "expected a number, boolean or string")
                }
            }
            let spec = InterventionSpec(name, parameters)
            do { _ = try InterventionCatalog.make(spec) } catch { throw t.error("name", "\(error)") }
            return spec
        }
    }
}

extension InterventionSpec {
    /// This spec as a `[[interventions]]` TOML table.
    var toml: String {
        var out = "\n[[interventions]]\nname = \"\(name)\"\n"
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
            switch value {
            case .number(let d): out += "\(key) = \(d)\n"
            case .text(let s): out += "\(key) = \"\(s)\"\n"
            }
        }
        return out
    }
}
