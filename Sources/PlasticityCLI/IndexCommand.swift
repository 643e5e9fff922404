import ArgumentParser
import Foundation
import ResultsIndex

/// `plasticity index`: build or update the SQLite results database of run directories.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or update a SQLite database of runs, configs and per-task metrics.",
        discussion: """
            Finds every run directory (config.toml + metrics.jsonl) under each DIR and stores it in
            the database (default DIR/index.sqlite for the first DIR); unchanged runs are skipped.
            The schema is in docs/results-database.md; query it with `plasticity query`, sqlite3
            or pandas.
            Examples:
              plasticity index runs/swiss
              plasticity index runs/a runs/b --db results.sqlite
            """)

    @Argument(help: "Directories holding run directories (searched recursively).") var directories: [String]
    @Option(help: "The database file (default: DIR/index.sqlite of the first DIR).") var db: String?

    func run() throws {
        do {
            let path = db ?? URL(fileURLWithPath: directories[0]).appendingPathComponent("index.sqlite").path
            let report = try ResultsDatabase(path: path).index(directories.map { URL(fileURLWithPath: $0) })
            for line in report.skipped { Console.error("skipped \(line)") }
            Console.line("\(path): \(report.added) added, \(report.updated) updated, \(report.unchanged) unchanged, \(report.skipped.count) skipped")
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// `plasticity query`: print runs and their final metrics from a results database.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print indexed runs with their metrics, filtered by study, protocol or intervention.",
        discussion: """
            One row per run: identity, status, and for each --metric its value at the last finished
            task and its mean over finished tasks (default: the accuracies).
            Examples:
              plasticity query --db runs/swiss/index.sqlite --protocol random-labels
              plasticity query --db runs/index.sqlite --intervention redo --metric test_accuracy --csv
            """)

    @Option(help: "The database written by `plasticity index`.") var db: String
    @Option(help: "Keep runs of this study (or sweep).") var study: String?
    @Option(name: .customLong("protocol"), help: "Keep runs of this stream protocol.") var protocolName: String?
    @Option(help: "Keep runs using this intervention (`none`: runs without any).") var intervention: String?
    @Option(help: "A metric to show (repeatable).") var metric: [String] = []
    @Flag(help: "Print CSV instead of aligned columns.") var csv = false

    func run() throws {
        do {
            guard FileManager.default.fileExists(atPath: db) else { throw IndexError("\(db): no such database; run `plasticity index DIR` first") }
            let table = try ResultsDatabase(path: db, readOnly: true).table(RunFilter(study: study, protocolName: protocolName, intervention: intervention),
                                                             metrics: metric)
            Console.line(csv ? table.csv : table.text)
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}
