import Experiments
import Foundation
import GRDB

/// A SQLite index of run directories (schema: docs/results-database.md), kept with GRDB.
///
/// Tables: `runs` (one row per run directory), `run_interventions` (run × intervention, in
/// order), `task_metrics` (run × task × metric → value, from `task_end` records); view
/// `final_metrics` (each run's metrics at its last finished task). Re-indexing a directory
/// updates only the runs whose files changed.
///
/// ```swift
/// let db = try ResultsDatabase(path: "runs/index.sqlite")
/// let report = try db.index([URL(fileURLWithPath: "runs")])
/// let table = try db.table(RunFilter(protocolName: "random-labels"), metrics: ["train_accuracy"])
/// ```
public final class ResultsDatabase {
    public let path: String
    private let queue: DatabaseQueue

    /// What one `index` call did.
    public struct IndexReport: Sendable {
        public var added = 0, updated = 0, unchanged = 0
        /// Directories that could not be read, with the reason.
        public var skipped: [String] = []
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        do {
            queue = try DatabaseQueue(path: path)
            try Self.migrator.migrate(queue)
        } catch {
            throw IndexError("\(path): cannot open the results database: \(error)")
        }
    }

    private static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                  id INTEGER PRIMARY KEY,
                  dir TEXT NOT NULL UNIQUE,
                  name TEXT NOT NULL,
                  study TEXT NOT NULL,
                  protocol TEXT NOT NULL,
                  interventions TEXT NOT NULL,
                  seed INTEGER NOT NULL,
                  status TEXT NOT NULL,
                  tasks_finished INTEGER NOT NULL,
                  global_step INTEGER NOT NULL,
                  parameters INTEGER,
                  seconds REAL,
                  started_at TEXT NOT NULL,
                  updated_at TEXT NOT NULL,
                  config_toml TEXT NOT NULL,
                  stamp TEXT NOT NULL);
                CREATE TABLE run_interventions (
                  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                  position INTEGER NOT NULL,
                  name TEXT NOT NULL,
                  PRIMARY KEY (run_id, position));
                CREATE TABLE task_metrics (
                  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                  task INTEGER NOT NULL,
                  metric TEXT NOT NULL,
                  value REAL NOT NULL,
                  PRIMARY KEY (run_id, task, metric));
                CREATE INDEX task_metrics_metric ON task_metrics(metric);
                CREATE VIEW final_metrics AS
                  SELECT r.id AS run_id, m.metric AS metric, m.value AS value
                  FROM runs r JOIN task_metrics m ON m.run_id = r.id AND m.task = r.tasks_finished - 1;
                """)
        }
        return m
    }

    /// Finds every run directory (a folder with `config.toml` and `metrics.jsonl`) under
    /// `roots` and adds or refreshes it.
    public func index(_ roots: [URL]) throws -> IndexReport {
        var report = IndexReport()
        for root in roots {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw IndexError("\(root.path): no such directory")
            }
            for dir in Self.runDirectories(under: root) {
                let run: IndexedRun
                do { run = try IndexedRun(directory: dir) } catch {
                    report.skipped.append("\(dir.url.path): \(error)")
                    continue
                }
                try queue.write { db in
                    let old = try String.fetchOne(db, sql: "SELECT stamp FROM runs WHERE dir = ?", arguments: [run.directory])
                    if old == run.stamp { report.unchanged += 1; return }
                    if old == nil { report.added += 1 } else { report.updated += 1 }
                    try Self.store(run, in: db)
                }
            }
        }
        return report
    }

    /// Run directories under `root` (or `root` itself), sorted by path.
    static func runDirectories(under root: URL) -> [RunDirectory] {
        let fm = FileManager.default
        func isRun(_ url: URL) -> Bool {
            let d = RunDirectory(url.path)
            return fm.fileExists(atPath: d.configURL.path) && fm.fileExists(atPath: d.metricsURL.path)
        }
        var found: [URL] = isRun(root) ? [root] : []
        if let walk = fm.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]) {
            for case let url as URL in walk {
                if url.lastPathComponent == "checkpoints" { walk.skipDescendants(); continue }
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true && isRun(url) {
                    found.append(url)
                    walk.skipDescendants()
                }
            }
        }
        return found.map { RunDirectory($0.standardizedFileURL.path) }.sorted { $0.url.path < $1.url.path }
    }

    private static func store(_ run: IndexedRun, in db: Database) throws {
        try db.execute(sql: "DELETE FROM runs WHERE dir = ?", arguments: [run.directory])
        let iso = ISO8601DateFormatter()
        try db.execute(sql: """
            INSERT INTO runs (dir, name, study, protocol, interventions, seed, status, tasks_finished, global_step,
                              parameters, seconds, started_at, updated_at, config_toml, stamp)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [run.directory, run.name, run.study, run.protocolName, run.interventions.joined(separator: "+"),
                             run.seed, run.status, run.taskMetrics.count, run.globalStep, run.parameters, run.seconds,
                             iso.string(from: run.startedAt), iso.string(from: run.updatedAt), run.configTOML, run.stamp])
        let id = db.lastInsertedRowID
        for (position, name) in run.interventions.enumerated() {
            try db.execute(sql: "INSERT INTO run_interventions VALUES (?, ?, ?)", arguments: [id, position, name])
        }
        for (task, metrics) in run.taskMetrics.enumerated() {
            for (metric, value) in metrics.sorted(by: { $0.key < $1.key }) where value.isFinite {
                try db.execute(sql: "INSERT INTO task_metrics VALUES (?, ?, ?, ?)", arguments: [id, task, metric, value])
            }
        }
    }

    /// Runs matching `filter`, one row each: identity, status, and for every metric its value
    /// at the last finished task and its mean over finished tasks. With no `metrics`, the
    /// accuracies that the index holds are shown.
    public func table(_ filter: RunFilter, metrics: [String] = []) throws -> ResultsTable {
        try queue.read { db in
            let known = try String.fetchAll(db, sql: "SELECT DISTINCT metric FROM task_metrics ORDER BY metric")
            if let unknown = metrics.first(where: { !known.contains($0) }) {
                throw IndexError("\(path): no run has metric '\(unknown)' (indexed: \(known.joined(separator: ", ")))")
            }
            let shown = metrics.isEmpty ? ["train_accuracy", "test_accuracy"].filter(known.contains) : metrics
            var clauses: [String] = [], arguments: [(any DatabaseValueConvertible)?] = []
            if let s = filter.study { clauses.append("study = ?"); arguments.append(s) }
            if let p = filter.protocolName { clauses.append("protocol = ?"); arguments.append(p) }
            if let i = filter.intervention {
                if i == "none" {
                    clauses.append("interventions = ''")
                } else {
                    clauses.append("EXISTS (SELECT 1 FROM run_interventions ri WHERE ri.run_id = runs.id AND ri.name = ?)")
                    arguments.append(i)
                }
            }
            let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, study, name, protocol, interventions, seed, status, tasks_finished, global_step, seconds, dir
                FROM runs \(whereSQL) ORDER BY study, name, seed, dir
                """, arguments: StatementArguments(arguments))
            var columns = ["study", "name", "protocol", "interventions", "seed", "status", "tasks", "steps", "seconds"]
            for m in shown { columns += ["\(m) last", "\(m) mean"] }
            columns.append("dir")
            let out: [[String]] = try rows.map { row in
                let id: Int64 = row["id"]
                var cells: [String] = [row["study"], row["name"], row["protocol"], row["interventions"],
                                       String(row["seed"] as Int), row["status"], String(row["tasks_finished"] as Int),
                                       String(row["global_step"] as Int),
                                       (row["seconds"] as Double?).map { String(format: "%.1f", $0) } ?? "-"]
                for m in shown {
                    let last = try Double.fetchOne(db, sql: "SELECT value FROM final_metrics WHERE run_id = ? AND metric = ?",
                                                   arguments: [id, m])
                    let mean = try Double.fetchOne(db, sql: "SELECT AVG(value) FROM task_metrics WHERE run_id = ? AND metric = ?",
                                                   arguments: [id, m])
                    cells += [last, mean].map { $0.map { String(format: "%.4f", $0) } ?? "-" }
                }
                cells.append(row["dir"])
                return cells
            }
            return ResultsTable(columns: columns, rows: out)
        }
    }
}

/// Which runs a query keeps; nil fields do not filter. `intervention` "none" keeps runs
/// without interventions.
public struct RunFilter: Sendable {
    public var study: String?
    public var protocolName: String?
    public var intervention: String?

    public init(study: String? = nil, protocolName: String? = nil, intervention: String? = nil) {
        self.study = study
        self.protocolName = protocolName
        self.intervention = intervention
    }
}

/// A table of strings with named columns, printed by the CLI as aligned text or CSV.
public struct ResultsTable: Sendable, Equatable {
    public let columns: [String]
    public let rows: [[String]]

    /// Columns padded to their widest cell, two spaces apart.
    public var text: String {
        let widths = columns.indices.map { c in ([columns[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        let line = { (cells: [String]) in
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(columns)] + rows.map(line)).joined(separator: "\n")
    }

    /// RFC 4180 CSV (cells with commas, quotes or newlines quoted).
    public var csv: String {
        let cell = { (s: String) in
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([columns] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\n")
    }
}
