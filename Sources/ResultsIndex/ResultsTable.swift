import Foundation

/// A table of strings with named columns, printed by the CLI as aligned text or CSV.
public struct ResultsTable: Sendable, Equatable {
    public let columns: [String]
    public let rows: [[String]]

    /// Columns padded to their widest cell, two spaces apart; an empty cell (a lone run's
    /// study, a run without interventions) shows as "-", so every column stays in place.
    public var text: String {
        let shown = rows.map { $0.map { $0.isEmpty ? "-" : $0 } }
        let widths = columns.indices.map { c in ([columns[c]] + shown.map { $0[c] }).map(\.count).max() ?? 0 }
        let line = { (cells: [String]) in
            var text = zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        return ([line(columns)] + shown.map(line)).joined(separator: "\n")
    }

    /// RFC 4180 CSV (cells with commas, quotes or newlines quoted).
    public var csv: String {
        let cell = { (s: String) in
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([columns] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\n")
    }
}
