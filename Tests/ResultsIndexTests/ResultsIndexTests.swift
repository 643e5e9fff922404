import Experiments
import Foundation
import Subprocesses
import GRDB
import Testing
@testable import ResultsIndex

/// The results database over real run directories: three tiny finished runs and one
/// stopped half-way, indexed, re-indexed, queried through the API and the CLI.
@Suite(.serialized) struct ResultsIndexTests {
    /// Runs the fixture once per test process: demo/plain seeds 0 and 1, demo/redo seed 0
    /// (label-permutation, with ReDo), and other/plain stopped after 40 of 60 steps.
    static let root: URL = {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("plasticity-index-\(UUID().uuidString)")
        let runs: [(path: String, name: String, seed: Int, protocolName: String, extra: String, stop: Int?)] = [
            ("demo/plain-0", "demo/plain", 0, "random-labels", "", nil),
            ("demo/plain-1", "demo/plain", 1, "random-labels", "", nil),
            ("demo/redo-0", "demo/redo", 0, "label-permutation", "[[interventions]]\nname = \"redo\"\ntau = 0.1\nevery = 10\n", nil),
            ("other/half", "other/plain", 2, "random-labels", "", 40),
        ]
        for r in runs {
            let text = """
                name = "\(r.name)"
                seed = \(r.seed)
                [data]
                dataset = "gaussian-clusters"
                count = 256
                classes = 4
                dimension = 8
                [stream]
                protocol = "\(r.protocolName)"
                tasks = 2
                steps_per_task = 30
                [model]
                widths = [16]
                [train]
                batch_size = 32
                log_every = 10
                checkpoint_every = 0
                \(r.extra)
                """
            let dir = RunDirectory(root.appendingPathComponent(r.path).path)
            let run = try! ExperimentRun(config: try! ExperimentConfig.parse(text, file: r.path), directory: dir, resume: false)
            let stop = r.stop
            try! run.run(resume: false, stop: { p in stop.map { p.globalStep >= $0 } ?? false })
        }
        return root
    }()

    /// The `task_end` metric values of a run, read straight from its metrics.jsonl.
    static func taskEnds(_ path: String, _ metric: String) throws -> [Double] {
        let text = try String(contentsOf: root.appendingPathComponent(path).appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return o["event"] as? String == "task_end" ? (o[metric] as! NSNumber).doubleValue : nil
        }
    }

    @Test func indexesRunsAndTheirTaskMetrics() throws {
        let path = Self.root.appendingPathComponent("api.sqlite").path
        let db = try ResultsDatabase(path: path)
        let first = try db.index([Self.root])
        #expect((first.added, first.updated, first.unchanged, first.skipped.count) == (4, 0, 0, 0))
        let again = try db.index([Self.root])
        #expect((again.added, again.unchanged) == (0, 4))

        let queue = try DatabaseQueue(path: path)
        try queue.read { d in
            let rows = try Row.fetchAll(d, sql: "SELECT name, study, protocol, interventions, seed, status, tasks_finished, global_step, config_toml FROM runs ORDER BY dir")
            #expect(rows.map { $0["name"] as String } == ["demo/plain", "demo/plain", "demo/redo", "other/plain"])
            #expect(rows.map { $0["study"] as String } == ["demo", "demo", "demo", "other"])
            #expect(rows.map { $0["protocol"] as String } == ["random-labels", "random-labels", "label-permutation", "random-labels"])
            #expect(rows.map { $0["interventions"] as String } == ["", "", "redo", ""])
            #expect(rows.map { $0["status"] as String } == ["finished", "finished", "finished", "incomplete"])
            #expect(rows.map { $0["tasks_finished"] as Int } == [2, 2, 2, 1])
            #expect(rows.map { $0["global_step"] as Int } == [60, 60, 60, 40])
            #expect((rows[2]["config_toml"] as String).contains("name = \"redo\""))
            let redo = try Double.fetchAll(d, sql: """
                SELECT value FROM task_metrics JOIN runs ON runs.id = run_id
                WHERE dir LIKE '%/demo/redo-0' AND metric = 'train_accuracy' ORDER BY task
                """)
            #expect(redo == (try Self.taskEnds("demo/redo-0", "train_accuracy")))
            let final = try Double.fetchOne(d, sql: """
                SELECT value FROM final_metrics JOIN runs ON runs.id = run_id WHERE dir LIKE '%/other/half' AND metric = 'train_loss'
                """)
            #expect(final == (try Self.taskEnds("other/half", "train_loss")).last)
        }
    }

    @Test func queryFiltersByStudyProtocolAndIntervention() throws {
        let db = try ResultsDatabase(path: Self.root.appendingPathComponent("query.sqlite").path)
        _ = try db.index([Self.root])
        let names = { (f: RunFilter) in try db.table(f).rows.map { "\($0[1]) \($0[4])" } }
        #expect(try names(RunFilter(study: "demo")) == ["demo/plain 0", "demo/plain 1", "demo/redo 0"])
        #expect(try names(RunFilter(protocolName: "random-labels")) == ["demo/plain 0", "demo/plain 1", "other/plain 2"])
        #expect(try names(RunFilter(intervention: "redo")) == ["demo/redo 0"])
        #expect(try names(RunFilter(study: "demo", intervention: "none")) == ["demo/plain 0", "demo/plain 1"])
        let table = try db.table(RunFilter(intervention: "redo"), metrics: ["train_accuracy"])
        #expect(Array(table.columns[9...10]) == ["train_accuracy last", "train_accuracy mean"])
        let values = try Self.taskEnds("demo/redo-0", "train_accuracy")
        #expect(table.rows[0][9] == String(format: "%.4f", values.last!))
        #expect(table.rows[0][10] == String(format: "%.4f", values.reduce(0, +) / Double(values.count)))
        #expect(throws: IndexError.self) { try db.table(RunFilter(), metrics: ["no_such_metric"]) }
    }

    /// A run whose loss blows up is indexed with status "diverged", where and its last finite loss.
    @Test func divergedRunsKeepTheirStatus() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("plasticity-diverged-\(UUID().uuidString)")
        let text = """
            name = "blow-up"
            [data]
            dataset = "gaussian-clusters"
            count = 256
            [stream]
            tasks = 2
            steps_per_task = 30
            [model]
            widths = [16]
            [optimizer]
            name = "sgd"
            lr = 1e12
            [train]
            batch_size = 32
            log_every = 10
            """
        let dir = RunDirectory(root.appendingPathComponent("run").path)
        let summary = try ExperimentRun(config: try ExperimentConfig.parse(text, file: "blow-up.toml"), directory: dir, resume: false)
            .run(resume: false)
        let divergence = try #require(summary?.divergence)
        let db = try ResultsDatabase(path: root.appendingPathComponent("index.sqlite").path)
        _ = try db.index([root])
        try DatabaseQueue(path: root.appendingPathComponent("index.sqlite").path).read { d in
            let row = try #require(try Row.fetchOne(d, sql: "SELECT status, diverged_at_step, last_finite_loss FROM runs"))
            #expect(row["status"] as String == "diverged")
            #expect(row["diverged_at_step"] as Int? == divergence.globalStep)
            #expect(row["last_finite_loss"] as Double? == divergence.lastFiniteLoss.map(Double.init))
        }
    }

    @Test func cliIndexesAndQueries() throws {
        let path = Self.root.appendingPathComponent("cli.sqlite").path
        let index = try CLI.run(["index", Self.root.path, "--db", path])
        #expect(index.status == 0, "\(index.stderr)")
        #expect(index.stdout.contains("4 added, 0 updated, 0 unchanged, 0 skipped"))
        let query = try CLI.run(["query", "--db", path, "--protocol", "label-permutation", "--metric", "train_loss", "--csv"])
        #expect(query.status == 0, "\(query.stderr)")
        let lines = query.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("study,name,protocol,interventions,seed,status,tasks,steps,seconds,train_loss last,train_loss mean,dir"))
        #expect(lines[1].hasPrefix("demo,demo/redo,label-permutation,redo,0,finished,2,60,"))
        let missing = try CLI.run(["query", "--db", Self.root.appendingPathComponent("nope.sqlite").path])
        #expect(missing.status != 0 && missing.stderr.contains("nope.sqlite: no such database"))
    }

    /// Issue 45: `query` opens its database read-only. An empty file (or any file without this
    /// index's schema) is refused in one line naming it, and is left as it was: the query wrote a
    /// schema into it.
    @Test func queryReadsWithoutWriting() throws {
        let empty = Self.root.appendingPathComponent("empty.sqlite")
        try Data().write(to: empty)
        let query = try CLI.run(["query", "--db", empty.path])
        #expect(query.status == 1 && query.stderr == "error: \(empty.path): not a PlasticityLab results index, or one from an older version (run `plasticity index DIR --db \(empty.path)`)\n")
        #expect(try Data(contentsOf: empty).isEmpty)
        // A complete index is queried read-only: its bytes do not change.
        let path = Self.root.appendingPathComponent("readonly.sqlite").path
        _ = try ResultsDatabase(path: path).index([Self.root])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let table = try ResultsDatabase(path: path, readOnly: true).table(RunFilter(protocolName: "label-permutation"), metrics: ["train_loss"])
        #expect(table.csv.split(separator: "\n").count == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}

/// Runs the built `plasticity` executable, which sits next to the test bundle.
enum CLI {
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("plasticity").path) && dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        let r = try Subprocess.run(dir.appendingPathComponent("plasticity").path, arguments, timeout: 420)
        guard !r.timedOut else { throw SubprocessError("plasticity \(arguments.joined(separator: " ")) ran past 420 s and was killed; \(r.tail())") }
        return (r.status, r.standardOutput, r.standardError)
    }
}
