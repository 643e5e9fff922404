import Foundation
import Testing
@testable import Experiments

/// A run whose loss blows up stops with status "diverged" (where, and the last finite loss);
/// in a study the other runs carry on and the report names the diverged one.
@Suite struct DivergenceTests {
    static let config = """
        name = "blow-up"
        seed = 1
        [stream]
        protocol = "random-labels"
        tasks = 2
        steps_per_task = 50
        subset = 256
        [model]
        widths = [32]
        [optimizer]
        name = "sgd"
        lr = 1e12
        [train]
        batch_size = 32
        log_every = 10
        """

    @Test func hugeLearningRateStopsTheRunWithStatusDiverged() throws {
        let root = CLI.temporaryDirectory("diverge")
        let cfg = root.appendingPathComponent("config.toml"), dir = root.appendingPathComponent("run")
        try CLI.write(Self.config, to: cfg)
        let r = try CLI.run(["run", cfg.path, "--out", dir.path])
        #expect(r.status == 3)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.hasPrefix("error: \(dir.path): diverged: loss became NaN at task 1 step "), "\(r.stderr)")
        let data = try Data(contentsOf: dir.appendingPathComponent("summary.json"))
        let s = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(s["status"] as? String == "diverged")
        let at = try #require(s["diverged_at"] as? [String: Any])
        #expect(at["quantity"] as? String == "loss" && at["task"] as? Int == 1)
        let step = try #require(at["step"] as? Int)
        #expect(step >= 2 && step <= 50)
        // The last finite loss is the loss of the step before, huge but finite.
        let last = try #require(s["last_finite_loss"] as? Double)
        #expect(last.isFinite && last > 10)
        #expect(RunSummary.status(at: dir.appendingPathComponent("summary.json")) == .diverged)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.safetensors").path))
    }

    @Test func studyContinuesPastADivergedRunAndReportsIt() throws {
        let study = """
            name = "divergence-check"
            title = "Divergence check"
            claim = "None."
            source = "A test"
            seeds = 1
            [base.stream]
            protocol = "random-labels"
            tasks = 2
            steps_per_task = 30
            subset = 256
            [base.model]
            widths = [32]
            [base.train]
            batch_size = 32
            [scales.quick.train]
            log_every = 10
            [[groups]]
            label = "random labels"
            [groups.config.stream]
            protocol = "random-labels"
            [[variants]]
            label = "sane"
            [[variants]]
            label = "blow-up"
            [variants.config.optimizer]
            name = "sgd"
            lr = 1e12
            """
        let root = CLI.temporaryDirectory("study-diverge")
        let file = root.appendingPathComponent("study.toml")
        try CLI.write(study, to: file)
        let out = root.appendingPathComponent("out")
        let r = try CLI.run(["study", file.path, "--out", out.path, "--jobs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("random labels / blow-up / seed 0: DIVERGED"), "\(r.stdout)")
        #expect(r.stdout.contains("1 run(s) diverged (NaN/Inf loss or parameter; their metrics stop where they diverged): random labels/blow-up/seed 0."))
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("1 run(s) diverged"))
        // The sane run finished both tasks.
        let sane = try RunDirectory(out.appendingPathComponent("runs/random-labels/sane/seed-0").path).metrics()
        #expect(sane.filter { $0["event"] as? String == "task_end" }.count == 2)
        // Rerunning the study skips both: the diverged run is done, not retried.
        let again = try CLI.run(["study", file.path, "--out", out.path, "--jobs", "2"])
        #expect(again.status == 0 && !again.stdout.contains("[1/2]"), "\(again.stdout)")
    }
}
