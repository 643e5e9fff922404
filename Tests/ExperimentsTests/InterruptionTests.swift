import Foundation
import Testing
import Networks
import Subprocesses
@testable import Experiments

/// SIGINT/SIGTERM checkpoint and exit cleanly, a damaged newest checkpoint or a stray
/// temporary file does not stop a resume, a SIGKILL during checkpoint writes never leaves a
/// partial checkpoint, and a second process is refused the run directory.
@Suite(.serialized) struct InterruptionTests {
    /// Starts `ResumeTests.config` into a fresh directory and waits until its newest
    /// checkpoint reaches `step`; returns the process and the run directory.
    func startRun(untilCheckpoint step: Int, config: String = ResumeTests.config) throws -> (Subprocess, URL) {
        let root = CLI.temporaryDirectory("interrupt")
        let cfg = root.appendingPathComponent("config.toml"), dir = root.appendingPathComponent("run")
        try CLI.write(config, to: cfg)
        let process = try CLI.start(["run", cfg.path, "--out", dir.path])
        let deadline = Date().addingTimeInterval(60)
        while (RunDirectory(dir.path).checkpoints().last?.step ?? 0) < step && process.isRunning && Date() < deadline {
            usleep(2_000)
        }
        return (process, dir)
    }

    func summary(_ dir: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("summary.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func signalCheckpointsExitsCleanlyAndResumesBitIdentically(_ signal: Int32, _ expectedStatus: Int32) throws {
        let (process, dir) = try startRun(untilCheckpoint: 450)
        #expect(process.isRunning, "the run finished before it could be interrupted")
        process.send(signal)
        #expect(try CLI.finish(process, within: 120).termination == .exited(expectedStatus))
        let s = try summary(dir)
        #expect(s["status"] as? String == "interrupted")
        // The final checkpoint is at the step where the signal was honoured, past the last
        // periodic one (every 50 steps) unless the signal landed exactly on one.
        let last = try #require(RunDirectory(dir.path).checkpoints().last?.step)
        #expect(last >= 450 && last < 1200)
        let records = try RunDirectory(dir.path).metrics()
        #expect((records.last?["global_step"] as? Int ?? 0) <= last)
        // Both signals take the same path; the bit-identical resume is checked once.
        guard signal == SIGINT else { return }
        let resumed = try CLI.run(["run", "--resume", dir.path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try summary(dir)["status"] as? String == "finished")
        try ResumeTests().expectIdentical(ResumeTests.reference, dir)
    }

    @Test func damagedNewestCheckpointAndStrayTemporaryFileAreSkipped() throws {
        let root = CLI.temporaryDirectory("damaged")
        let cfg = root.appendingPathComponent("config.toml"), dir = root.appendingPathComponent("run")
        try CLI.write(ResumeTests.config, to: cfg)
        let first = try CLI.run(["run", cfg.path, "--out", dir.path, "--stop-after", "530"])
        #expect(first.status == 0, "\(first.stderr)")
        let run = RunDirectory(dir.path)
        #expect(run.checkpoints().last?.step == 500 && run.checkpoints().count >= 2)
        // A kill in the middle of an old-style, non-atomic write: the newest file is cut short.
        let newest = run.checkpointURL(step: 500)
        let bytes = try Data(contentsOf: newest)
        try bytes.prefix(bytes.count / 2).write(to: newest)
        // A kill in the middle of an atomic write: a hidden temporary file.
        let stray = run.checkpointsURL.appendingPathComponent(".step-00000550.safetensors.tmp-999")
        try bytes.prefix(100).write(to: stray)
        let resumed = try CLI.run(["run", "--resume", dir.path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.hasPrefix("warning: skipped damaged checkpoint: \(newest.path): "), "\(resumed.stderr)")
        #expect(resumed.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: stray.path))
        try ResumeTests().expectIdentical(ResumeTests.reference, dir)
    }

    @Test func checkpointThatDoesNotFitTheRunIsAOneLineError() throws {
        let root = CLI.temporaryDirectory("hostile")
        let cfg = root.appendingPathComponent("config.toml"), dir = root.appendingPathComponent("run")
        try CLI.write(ResumeTests.config, to: cfg)
        #expect(try CLI.run(["run", cfg.path, "--out", dir.path, "--stop-after", "60"]).status == 0)
        let url = RunDirectory(dir.path).checkpointURL(step: 50)
        var file = try SafetensorsFile.read(contentsOf: url)
        file.metadata["task"] = "7"
        try file.write(to: url)
        let r = try CLI.run(["run", "--resume", dir.path])
        #expect(r.status != 0)
        #expect(r.stderr == "error: \(url.path): checkpoint position (task 7, step 50, global step 50) does not fit this run's 3-task stream\n")
        // metrics.jsonl shorter than the checkpoint says: refused rather than padded.
        file.metadata["task"] = "0"
        try file.write(to: url)
        try Data().write(to: dir.appendingPathComponent("metrics.jsonl"))
        let short = try CLI.run(["run", "--resume", dir.path])
        #expect(short.status != 0)
        #expect(short.stderr.contains("metrics.jsonl: holds 0 bytes, fewer than the"), "\(short.stderr)")
    }

    @Test func sigkillDuringLargeCheckpointWritesLeavesOnlyCompleteCheckpoints() throws {
        // A 1024×1024 MLP with Adam: every checkpoint is ~22 MB and one is written every
        // step, so most of the run's time is spent writing checkpoints.
        let config = ResumeTests.config
            .replacingOccurrences(of: "widths = [256, 128]", with: "widths = [1024, 1024]")
            .replacingOccurrences(of: "checkpoint_every = 50", with: "checkpoint_every = 1\nkeep_checkpoints = 2")
        for delay: UInt32 in [30_000, 110_000, 190_000] {
            let (process, dir) = try startRun(untilCheckpoint: 1, config: config)
            usleep(delay)
            process.send(SIGKILL)
            #expect(try CLI.finish(process, within: 60).termination == .signalled(SIGKILL))
            let run = RunDirectory(dir.path)
            let checkpoints = run.checkpoints()
            #expect(!checkpoints.isEmpty)
            for c in checkpoints { #expect(throws: Never.self) { _ = try Checkpoint.read(c.url) } }
            let newest = try #require(checkpoints.last?.step)
            let resumed = try CLI.run(["run", "--resume", dir.path, "--stop-after", "\(newest + 2)"])
            #expect(resumed.status == 0 && resumed.stderr.isEmpty, "\(resumed.stderr)")
            #expect(run.checkpoints().last?.step == newest + 2)
        }
    }

    @Test func secondProcessOnTheSameRunDirectoryIsRefused() throws {
        let (process, dir) = try startRun(untilCheckpoint: 50)
        #expect(process.isRunning)
        let metricsBefore = try Data(contentsOf: dir.appendingPathComponent("metrics.jsonl")).count
        let second = try CLI.run(["run", "--resume", dir.path])
        let fresh = try CLI.run(["run", dir.appendingPathComponent("config.toml").path, "--out", dir.path])
        process.send(SIGKILL)
        _ = try CLI.finish(process, within: 60)
        let pid = process.processIdentifier
        for r in [second, fresh] {
            #expect(r.status != 0)
            #expect(r.stderr == "error: \(dir.path): is in use by another plasticity process (pid \(pid)); wait for it to finish or choose another --out\n")
        }
        #expect(try Data(contentsOf: dir.appendingPathComponent("metrics.jsonl")).count >= metricsBefore)
        // The lock dies with its process: now a resume may proceed.
        let resumed = try CLI.run(["run", "--resume", dir.path, "--stop-after", "60"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
    }
}
