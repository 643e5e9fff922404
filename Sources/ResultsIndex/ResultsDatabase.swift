import Experiments
import Foundation
import GRDB

/// A SQLite index of run directories (schema: docs/results-database.md), kept with GRDB.
///
/// Tables: `runs` (one row per run directory), `run_interventions` (run × intervention, in
/// order), `task_metrics` (run × task × metric → value, from `task_end` records, tasks
/// numbered from 1 as in results.csv and the console); view
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

    /// Opens (creating if needed) the database at `path` and brings its schema up to date; with
    /// `readOnly` (for queries) opens an existing database without writing to it, and refuses a
    /// file that does not hold this index's complete schema (an empty file, another database, a
    /// database from an older version: `plasticity index` brings it up to date).
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        let queue: DatabaseQueue
        do {
            var configuration = Configuration()
            configuration.readonly = readOnly
            queue = try DatabaseQueue(path: path, configuration: configuration)
            if !readOnly { try Self.migrator.migrate(queue) }
        } catch {
            throw IndexError("\(path): cannot open the results database: \(error)")
        }
        if readOnly {
            let complete = (try? queue.read { try Self.migrator.hasCompletedMigrations($0) }) ?? false
            guard complete else {
                throw IndexError("\(path): not a PlasticityLab results index, or one from an older version (run `plasticity index DIR --db \(path)`)")
            }
        }
        self.queue = queue
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
        m.registerMigration("v2: divergence") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN diverged_at_step INTEGER")
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN last_finite_loss REAL")
        }
        m.registerMigration("v3: tasks numbered from 1") { db in
            // Through negative numbers: task = task + 1 in one pass would collide with the
            // next task's primary key halfway.
            try db.execute(sql: """
                UPDATE task_metrics SET task = -(task + 1);
                UPDATE task_metrics SET task = -task;
                DROP VIEW final_metrics;
                CREATE VIEW final_metrics AS
                  SELECT r.id AS run_id, m.metric AS metric, m.value AS value
                  FROM runs r JOIN task_metrics m ON m.run_id = r.id AND m.task = r.tasks_finished;
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
                do {
                    try queue.write { db in
                        let old = try String.fetchOne(db, sql: "SELECT stamp FROM runs WHERE dir = ?", arguments: [run.directory])
                        if old == run.stamp { report.unchanged += 1; return }
                        if old == nil { report.added += 1 } else { report.updated += 1 }
                        try Self.store(run, in: db)
                    }
                } catch {
                    // SQLite's own message ("database or disk is full") names no file.
                    throw IndexError("\(path): cannot store \(dir.url.path): \(error)")
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
                              parameters, seconds, started_at, updated_at, config_toml, stamp,
                              diverged_at_step, last_finite_loss)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [run.directory, run.name, run.study, run.protocolName, run.interventions.joined(separator: "+"),
                             run.seed, run.status, run.taskMetrics.count, run.globalStep, run.parameters, run.seconds,
                             iso.string(from: run.startedAt), iso.string(from: run.updatedAt), run.configTOML, run.stamp,
                             run.divergedAtStep, run.lastFiniteLoss])
        let id = db.lastInsertedRowID
        for (position, name) in run.interventions.enumerated() {
            try db.execute(sql: "INSERT INTO run_interventions VALUES (?, ?, ?)", arguments: [id, position, name])
        }
        for (index, metrics) in run.taskMetrics.enumerated() {
            for (metric, value) in metrics.sorted(by: { $0.key < $1.key }) where value.isFinite {
                try db.execute(sql: "INSERT INTO task_metrics VALUES (?, ?, ?, ?)", arguments: [id, index + 1, metric, value])
            }
        }
    }

    /// Runs `body` in a read transaction; a SQLite error names the database.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch let error as DatabaseError {
            throw IndexError("\(path): \(error)")
        }
    }
}
