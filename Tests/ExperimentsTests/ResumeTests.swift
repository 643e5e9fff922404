import Foundation
import Subprocesses
import Testing
@testable import Experiments

/// A killed or stopped run, resumed, ends bit-identical to an uninterrupted one.
@Suite(.serialized) struct ResumeTests {
    static let config = """
        name = "resume-test"
        seed = 5
        [stream]
        protocol = "random-labels"
        tasks = 3
        steps_per_task = 400
        subset = 512
        [model]
        widths = [256, 128]
        [optimizer]
        name = "adam"
        [train]
        batch_size = 64
        log_every = 20
        checkpoint_every = 50
        """

    /// Runs the config uninterrupted once per test process and returns its directory.
    static let reference: URL = {
        let root = CLI.temporaryDirectory("reference")
        let cfg = root.appendingPathComponent("config.toml")
        try! CLI.write(config, to: cfg)
        let r = try! CLI.run(["run", cfg.path, "--out", root.appendingPathComponent("run").path])
        precondition(r.status == 0, "reference run failed: \(r.stderr)")
        return root.appendingPathComponent("run")
    }()

    func expectIdentical(_ a: URL, _ b: URL) throws {
        for file in ["model.safetensors", "metrics.jsonl"] {
            let x = try Data(contentsOf: a.appendingPathComponent(file)), y = try Data(contentsOf: b.appendingPathComponent(file))
            #expect(x == y, "\(file) differs (\(x.count) vs \(y.count) bytes)")
        }
        let records = try RunDirectory(b.path).metrics()
        #expect(records.filter { $0["event"] as? String == "task_end" }.count == 3)
    }

    @Test func stopAndResumeIsBitIdentical() throws {
        let root = CLI.temporaryDirectory("stop")
        let cfg = root.appendingPathComponent("config.toml"), dir = root.appendingPathComponent("run")
        try CLI.write(Self.config, to: cfg)
        let first = try CLI.run(["run", cfg.path, "--out", dir.path, "--stop-after", "530"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.safetensors").path))
        #expect(RunDirectory(dir.path).checkpoints().last?.step == 500)
        let second = try CLI.run(["run", "--resume", dir.path])
        #expect(second.status == 0, "\(second.stderr)")
        try expectIdentical(Self.reference, dir)
    }

    @Test func sigkillMidTaskThenResumeIsBitIdentical() throws {
        let root = CLI.temporaryDirectory("kill")
        let cfg = root.appendingPathComponent("config.toml"), dir = root.appendingPathComponent("run")
        try CLI.write(Self.config, to: cfg)
        let process = try CLI.start(["run", cfg.path, "--out", dir.path])
        let deadline = Date().addingTimeInterval(60)
        while (RunDirectory(dir.path).checkpoints().last?.step ?? 0) < 450 && process.isRunning && Date() < deadline {
            usleep(2_000)
        }
        #expect(process.isRunning, "the run finished before it could be killed")
        process.send(SIGKILL)
        #expect(try CLI.finish(process, within: 60).termination == .signalled(SIGKILL))
        let killedAt = RunDirectory(dir.path).checkpoints().last?.step ?? 0
        #expect(killedAt >= 450 && killedAt < 1200)
        let resumed = try CLI.run(["run", "--resume", dir.path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try expectIdentical(Self.reference, dir)
    }

    @Test func refusesToOverwriteARun() throws {
        let again = try CLI.run(["run", Self.reference.appendingPathComponent("config.toml").path, "--out", Self.reference.path])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already holds a run; use --resume"))
    }
}
