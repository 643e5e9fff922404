import Foundation
import GRDB
import Testing
@testable import ResultsIndex

/// The index numbers tasks from 1, as results.csv and metrics.jsonl do, and renumbers a
/// database written when it counted from 0.
@Suite struct IndexTaskNumberingTests {
    @Test func tasksAreNumberedFromOne() throws {
        let path = ResultsIndexTests.root.appendingPathComponent("numbering.sqlite").path
        _ = try ResultsDatabase(path: path).index([ResultsIndexTests.root])
        try DatabaseQueue(path: path).read { d in
            let tasks = try Int.fetchAll(d, sql: """
                SELECT DISTINCT task FROM task_metrics JOIN runs ON runs.id = run_id WHERE dir LIKE '%/demo/plain-0' ORDER BY task
                """)
            #expect(tasks == [1, 2])
            let last = try Double.fetchOne(d, sql: """
                SELECT value FROM final_metrics JOIN runs ON runs.id = run_id WHERE dir LIKE '%/demo/plain-0' AND metric = 'train_loss'
                """)
            #expect(last == (try ResultsIndexTests.taskEnds("demo/plain-0", "train_loss")).last)
        }
    }

    /// A database of the earlier schema (tasks from 0) is renumbered when opened.
    @Test func olderDatabasesAreRenumbered() throws {
        let path = ResultsIndexTests.root.appendingPathComponent("old-\(UUID().uuidString).sqlite").path
        try DatabaseQueue(path: path).write { d in
            try d.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1'), ('v2: divergence');
                CREATE TABLE runs (id INTEGER PRIMARY KEY, dir TEXT NOT NULL UNIQUE, name TEXT NOT NULL, study TEXT NOT NULL,
                  protocol TEXT NOT NULL, interventions TEXT NOT NULL, seed INTEGER NOT NULL, status TEXT NOT NULL,
                  tasks_finished INTEGER NOT NULL, global_step INTEGER NOT NULL, parameters INTEGER, seconds REAL,
                  started_at TEXT NOT NULL, updated_at TEXT NOT NULL, config_toml TEXT NOT NULL, stamp TEXT NOT NULL,
                  diverged_at_step INTEGER, last_finite_loss REAL);
                CREATE TABLE run_interventions (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                  position INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (run_id, position));
                CREATE TABLE task_metrics (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                  task INTEGER NOT NULL, metric TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (run_id, task, metric));
                CREATE VIEW final_metrics AS SELECT r.id AS run_id, m.metric AS metric, m.value AS value
                  FROM runs r JOIN task_metrics m ON m.run_id = r.id AND m.task = r.tasks_finished - 1;
                INSERT INTO runs VALUES (1, '/r', 'r', '', 'random-labels', '', 0, 'finished', 2, 60, NULL, NULL, '', '', '', 's', NULL, NULL);
                INSERT INTO task_metrics VALUES (1, 0, 'train_loss', 0.5), (1, 1, 'train_loss', 0.25);
                """)
        }
        _ = try ResultsDatabase(path: path)
        try DatabaseQueue(path: path).read { d in
            let tasks = try Int.fetchAll(d, sql: "SELECT task FROM task_metrics ORDER BY task")
            let last = try Double.fetchOne(d, sql: "SELECT value FROM final_metrics WHERE metric = 'train_loss'")
            #expect(tasks == [1, 2] && last == 0.25)
        }
    }
}
