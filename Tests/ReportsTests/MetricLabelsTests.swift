import Foundation
import Testing
@testable import Reports

/// Metric words: the lookup, per-layer names, and the table in docs/metrics.md.
@Suite struct MetricLabelsTests {
    @Test func labelsAndPerLayerNames() {
        #expect(MetricLabels.label("dormant.tau0.1") == "dormant units (τ = 0.1), fraction")
        #expect(MetricLabels.label("dead.layers.1") == "dead units, fraction, layers.1")
        #expect(MetricLabels.label("param_norm.layers.0") == "parameter norm ‖θ‖₂, layers.0")
        #expect(MetricLabels.label("something.new") == "something.new")
    }

    @Test func docsTableIsTheCodesTable() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/metrics.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Metric names in reports").dropFirst().first?
            .components(separatedBy: "\n## ").first)
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `") }.map { line -> (String, String) in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return (cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")), cells[1])
        }
        #expect(rows.map(\.0) == MetricLabels.words.map(\.name))
        #expect(rows.map(\.1) == MetricLabels.words.map(\.label))
    }
}
