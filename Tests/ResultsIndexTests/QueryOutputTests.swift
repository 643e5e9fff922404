import Foundation
import Testing
@testable import ResultsIndex

/// `plasticity query`'s text table keeps every column in place, and its errors are one line
/// ending in a newline.
@Suite struct QueryOutputTests {
    /// The column each header starts at, and the start of each cell of `line`.
    static func starts(_ line: Substring) -> [Int] {
        var out: [Int] = [], previous: Character = " "
        for (i, c) in line.enumerated() {
            if c != " " && previous == " " { out.append(i) }
            previous = c
        }
        return out
    }

    @Test func emptyCellsKeepTheColumnsInPlace() {
        let table = ResultsTable(columns: ["study", "name", "interventions", "seed"],
                                 rows: [["", "lone", "", "0"], ["demo", "demo/redo", "redo", "1"]])
        let lines = table.text.split(separator: "\n")
        #expect(lines == ["study  name       interventions  seed",
                          "-      lone       -              0",
                          "demo   demo/redo  redo           1"])
        for line in lines.dropFirst() { #expect(Self.starts(line) == Self.starts(lines[0])) }
        #expect(table.csv == "study,name,interventions,seed\n,lone,,0\ndemo,demo/redo,redo,1")
    }

    /// The fixture's runs through the CLI: every row's cells start under their headers.
    @Test func cliRowsAlignWithTheHeader() throws {
        let path = ResultsIndexTests.root.appendingPathComponent("aligned.sqlite").path
        _ = try ResultsDatabase(path: path).index([ResultsIndexTests.root])
        let r = try CLI.run(["query", "--db", path, "--metric", "train_loss"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        for line in lines.dropFirst() { #expect(Self.starts(line).count == Self.starts(lines[0]).count - 2, "\(line)") }
        let header = lines[0]
        let column = { (name: String) in header.distance(from: header.startIndex, to: header.range(of: name)!.lowerBound) }
        for line in lines.dropFirst() {
            let cells = Self.starts(line)
            // "train_loss last" and "train_loss mean" are two-word headers: one cell each.
            #expect(cells.contains(column("interventions")) && cells.contains(column("seed")) && cells.contains(column("dir")), "\(line)")
        }
        #expect(r.stdout.hasSuffix("\n") && !r.stdout.hasSuffix("\n\n"))
    }

    @Test func unknownMetricIsOneLineWithANewline() throws {
        let path = ResultsIndexTests.root.appendingPathComponent("unknown.sqlite").path
        _ = try ResultsDatabase(path: path).index([ResultsIndexTests.root])
        let r = try CLI.run(["query", "--db", path, "--metric", "no_such_metric"])
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("error: \(path): no run has metric 'no_such_metric' (indexed: "))
        #expect(r.stderr.hasSuffix(")\n") && r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
    }
}
