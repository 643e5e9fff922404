import ArgumentParser
import Interventions

/// `plasticity interventions`: the catalogue of interventions against plasticity loss, with
/// their parameters, defaults and sources.
struct InterventionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interventions",
        abstract: "List the interventions, their parameters with defaults, and their sources.",
        discussion: """
            Interventions are listed in a config as [[interventions]] tables, applied in list
            order at every hook point; parameters not given take the defaults shown.
            Example:
              [[interventions]]
              name = "redo"
              tau = 0.025
              [[interventions]]
              name = "weight-decay"
              lambda = 1e-4
            Architecture, loss and optimiser choices are listed after the hooks with the
            config key that selects them.
            """)

    @Option(help: "Show only this entry (e.g. redo).") var name: String?

    func run() throws {
        let hooks = InterventionCatalog.entries.map { (kind: "intervention", key: "name = \"\($0.name)\"", info: $0) }
        let all = hooks + InterventionCatalog.otherChoices
        let shown = all.filter { name == nil || $0.info.name == name }
        guard !shown.isEmpty else {
            throw ValidationError("no entry named '\(name!)' (entries: \(all.map(\.info.name).joined(separator: ", ")))")
        }
        print(CatalogueTable.render(shown))
    }
}

/// The catalogue as aligned text: one block per entry, its parameters indented below it.
enum CatalogueTable {
    static func render(_ entries: [(kind: String, key: String, info: InterventionInfo)]) -> String {
        let nameWidth = entries.map(\.info.name.count).max() ?? 0
        let parameterWidth = entries.flatMap { $0.info.parameters.map(\.name.count) }.max() ?? 0
        let defaultWidth = entries.flatMap { $0.info.parameters.map(\.defaultValue.count) }.max() ?? 0
        var lines: [String] = []
        for (kind, key, info) in entries {
            lines.append(pad(info.name, nameWidth) + "  [\(kind)] \(info.summary)")
            lines.append(pad("", nameWidth) + "  source: \(info.source); select: \(key)")
            for p in info.parameters {
                lines.append(pad("", nameWidth) + "    " + pad(p.name, parameterWidth) + " = "
                             + pad(p.defaultValue, defaultWidth) + "  " + p.meaning)
            }
            lines.append("")
        }
        return lines.dropLast().joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(width - s.count, 0))
    }
}
