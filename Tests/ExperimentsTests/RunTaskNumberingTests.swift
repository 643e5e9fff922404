import Foundation
import Testing
@testable import Experiments

/// Tasks are numbered from 1 in the progress line, the summary table, metrics.jsonl and
/// summary.json, and the progress line at a task end shows the task just finished.
@Suite struct RunTaskNumberingTests {
    static let config = """
        name = "numbering"
        [data]
        dataset = "gaussian-clusters"
        count = 128
        classes = 4
        dimension = 8
        [stream]
        protocol = "random-labels"
        tasks = 3
        steps_per_task = 20
        [model]
        widths = [8]
        [train]
        batch_size = 16
        log_every = 5
        checkpoint_every = 0
        """

    static func records(_ dir: URL) throws -> [[String: Any]] {
        try String(contentsOf: dir.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    @Test func progressAndMetricsNumberTasksFromOne() throws {
        let dir = CLI.temporaryDirectory("numbering")
        let run = try ExperimentRun(config: try ExperimentConfig.parse(Self.config, file: "n.toml"),
                                    directory: RunDirectory(dir.path), resume: false)
        var ends: [RunProgress] = []
        try run.run(resume: false, progress: { p in if p.step == p.stepsInTask { ends.append(p) } })
        let records = try Self.records(dir)
        let taskEnds = records.filter { $0["event"] as? String == "task_end" }
        #expect(taskEnds.map { $0["task"] as? Int } == [1, 2, 3])
        #expect(Set(records.filter { $0["event"] as? String == "step" }.compactMap { $0["task"] as? Int }) == [1, 2, 3])
        #expect(records.first { $0["event"] as? String == "step" }?["task"] as? Int == 1)
        // One progress report per task end, naming that task, with that task's accuracy.
        #expect(ends.map(\.task) == [1, 2, 3] && ends.allSatisfy { $0.tasks == 3 })
        #expect(ends.map(\.lastTaskAccuracy) == taskEnds.map { ($0["train_accuracy"] as? NSNumber)?.doubleValue })
    }

    @Test func consoleProgressShowsEachFinishedTaskOnce() throws {
        let dir = CLI.temporaryDirectory("numbering-cli")
        let cfg = dir.appendingPathComponent("n.toml")
        try CLI.write(Self.config, to: cfg)
        let r = try CLI.run(["run", cfg.path, "--out", dir.appendingPathComponent("run").path])
        #expect(r.status == 0, "\(r.stderr)")
        let ends = r.stdout.split(separator: "\n").filter { $0.contains("step 20/20") }.map { $0.prefix(8) }
        #expect(ends == ["task 1/3", "task 2/3", "task 3/3"], "\(r.stdout)")
        let table = r.stdout.split(separator: "\n").drop { !$0.hasPrefix("task  ") }.dropFirst().prefix(3)
        #expect(table.map { $0.prefix(6).trimmingCharacters(in: .whitespaces) } == ["1", "2", "3"])
    }
}
