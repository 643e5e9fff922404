import Foundation
import Subprocesses
import Testing
@testable import Experiments

/// A study continued from files copied elsewhere (as `results/` is committed and cloned):
/// finished runs are done, a changed design is refused by name, RUN.md gets a row per
/// sitting, and the Slurm backend's array covers exactly the unfinished runs.
@Suite struct StudyContinuationTests {
    static let study = """
        name = "tiny"
        title = "t"
        claim = "c"
        source = "s"
        seeds = 2
        [base.stream]
        protocol = "random-labels"
        tasks = 2
        steps_per_task = 20
        subset = 128
        [base.model]
        widths = [16]
        [base.train]
        batch_size = 32
        log_every = 10
        checkpoint_every = 0
        [[groups]]
        label = "random labels"
        metric = "train_accuracy"
        [[variants]]
        label = "baseline"
        [[variants]]
        label = "L2"
        [variants.config.optimizer]
        weight_decay = 1e-3
        """

    /// Copies only what results/ commits (config.toml, summary.json, metrics.jsonl.gz, study.toml)
    /// of a finished study, then reruns it from the copy: nothing runs again, RUN.md has two
    /// rows, and the report rebuilds with the same claims.
    @Test func committedFinishedRunsAreDone() throws {
        let root = CLI.temporaryDirectory("study-continue")
        let file = root.appendingPathComponent("tiny.toml")
        try CLI.write(Self.study, to: file)
        let first = root.appendingPathComponent("first")
        let r = try CLI.run(["study", file.path, "--out", first.path, "--jobs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let copy = root.appendingPathComponent("clone")
        let fm = FileManager.default
        for run in ["random-labels/baseline/seed-0", "random-labels/baseline/seed-1", "random-labels/l2/seed-0", "random-labels/l2/seed-1"] {
            let to = copy.appendingPathComponent("runs/\(run)")
            try fm.createDirectory(at: to, withIntermediateDirectories: true)
            for name in ["config.toml", "summary.json", "metrics.jsonl.gz"] {
                try fm.copyItem(at: first.appendingPathComponent("runs/\(run)/\(name)"), to: to.appendingPathComponent(name))
            }
        }
        for name in ["study.toml", "RUN.md"] { try fm.copyItem(at: first.appendingPathComponent(name), to: copy.appendingPathComponent(name)) }
        let again = try CLI.run(["study", file.path, "--out", copy.path, "--jobs", "1"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stdout.contains("[1/4]"), "\(again.stdout)")
        let runMD = try String(contentsOf: copy.appendingPathComponent("RUN.md"), encoding: .utf8)
        let rows = runMD.split(separator: "\n").filter { $0.hasPrefix("| 20") }
        #expect(rows.count == 2 && rows[0].contains("| 4 | 4 / 4 |") && rows[1].contains("| 0 | 4 / 4 |"), "\(runMD)")
        #expect(runMD.contains("plasticity study \(file.path) --scale quick --jobs 1 --out \(copy.path)"))
        #expect(runMD.contains("Runs by the commit of the binary that made them") && runMD.contains("` 4.\n"), "\(runMD)")
        let original = try Data(contentsOf: first.appendingPathComponent("results.csv.gz"))
        let rebuilt = try CLI.run(["report", copy.path])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(try Data(contentsOf: copy.appendingPathComponent("results.csv.gz")) == original, "rebuilt byte for byte")
    }

    /// A run directory made with another config stops the study before anything runs.
    @Test func aChangedDesignIsRefusedByName() throws {
        let root = CLI.temporaryDirectory("study-changed")
        let file = root.appendingPathComponent("tiny.toml")
        try CLI.write(Self.study, to: file)
        let out = root.appendingPathComponent("out")
        #expect(try CLI.run(["study", file.path, "--out", out.path, "--jobs", "2"]).status == 0)
        try CLI.write(Self.study.replacingOccurrences(of: "weight_decay = 1e-3", with: "weight_decay = 1e-2"), to: file)
        let r = try CLI.run(["study", file.path, "--out", out.path, "--jobs", "2"])
        let config = out.appendingPathComponent("runs/random-labels/l2/seed-0/config.toml").path
        #expect(r.status != 0)
        #expect(r.stderr.hasPrefix("error: \(config):"), "\(r.stderr)")
        #expect(r.stderr.contains("this run was made with a different config than the study plans (optimizer.weight_decay: 0.001 → 0.01)"), "\(r.stderr)")
    }

    /// `--backend slurm --no-submit`: the array lists the unfinished runs only, each resumed with
    /// the right subcommand, and bash runs one array task as Slurm would.
    @Test func slurmArrayCoversTheUnfinishedRuns() throws {
        let root = CLI.temporaryDirectory("study-slurm")
        let file = root.appendingPathComponent("tiny.toml")
        try CLI.write(Self.study, to: file)
        let out = root.appendingPathComponent("out")
        let r = try CLI.run(["study", file.path, "--out", out.path, "--backend", "slurm", "--sbatch=--time=00:10:00", "--no-submit"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("0 runs already done, 4 to run"), "\(r.stdout)")
        let slurm = out.appendingPathComponent("slurm")
        let script = try #require(try FileManager.default.contentsOfDirectory(at: slurm, includingPropertiesForKeys: nil)
            .first { $0.pathExtension == "sbatch" })
        let text = try String(contentsOf: script, encoding: .utf8)
        #expect(text.contains("#SBATCH --array=0,1,2,3\n") && text.contains("#SBATCH --time=00:10:00"), "\(text)")
        #expect(text.components(separatedBy: "'run --resume'").count == 5)
        let task = try Subprocess.run("/bin/bash", [script.path], environment: ["SLURM_ARRAY_TASK_ID": "2", "PATH": "/usr/bin:/bin"],
                                   timeout: CLI.deadline)
        #expect(task.status == 0 && !task.timedOut, "\(task.tail())")
        let ran = RunDirectory(out.appendingPathComponent("runs/random-labels/l2/seed-0").path)
        #expect(RunSummary.status(at: ran.summaryURL) == .finished)
        let next = try CLI.run(["study", file.path, "--out", out.path, "--backend", "slurm", "--no-submit"])
        #expect(next.stdout.contains("1 runs already done, 3 to run"), "\(next.stdout)")
        let scripts = try FileManager.default.contentsOfDirectory(at: slurm, includingPropertiesForKeys: nil).filter { $0.pathExtension == "sbatch" }
        #expect(try scripts.contains { try String(contentsOf: $0, encoding: .utf8).contains("#SBATCH --array=0,1,3\n") })
    }
}

/// A study's runs are made by the study's own binary even when the path it was started from
/// is rebuilt while it runs (issue 42: a rebuild mid-study once made seed pairs with two
/// different binaries).
@Suite struct StudyBinaryPinningTests {
    @Test func runsLaunchedAfterTheBinaryIsReplacedStillUseTheStudysBinary() throws {
        let root = CLI.temporaryDirectory("study-pinned"), bin = root.appendingPathComponent("bin")
        let fm = FileManager.default
        try fm.createDirectory(at: bin, withIntermediateDirectories: true)
        let binary = bin.appendingPathComponent("plasticity")
        try fm.copyItem(at: CLI.executable, to: binary)
        for resources in try fm.contentsOfDirectory(atPath: CLI.executable.deletingLastPathComponent().path) where resources.hasSuffix(".resources") {
            try fm.createSymbolicLink(at: bin.appendingPathComponent(resources),
                                      withDestinationURL: CLI.executable.deletingLastPathComponent().appendingPathComponent(resources))
        }
        let file = root.appendingPathComponent("tiny.toml"), out = root.appendingPathComponent("out")
        try CLI.write(StudyContinuationTests.study.replacingOccurrences(of: "steps_per_task = 20", with: "steps_per_task = 2000"), to: file)
        let study = try Subprocess(binary.path, ["study", file.path, "--out", out.path, "--jobs", "1"],
                                   standardOutput: .capture, standardError: .capture)
        let firstRun = out.appendingPathComponent("runs/random-labels/baseline/seed-0/config.toml")
        let deadline = Date().addingTimeInterval(60)
        while !fm.fileExists(atPath: firstRun.path) && study.isRunning && Date() < deadline { usleep(5_000) }
        #expect(study.isRunning, "the study ended before its binary could be replaced")
        // "Rebuild": a new file renamed over the path, as a linker writes it.
        let rebuilt = bin.appendingPathComponent("plasticity.new")
        try CLI.write("#!/bin/sh\necho 'error: the rebuilt binary ran' >&2\nexit 3\n", to: rebuilt)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: rebuilt.path)
        #expect(rename(rebuilt.path, binary.path) == 0)
        let r = try CLI.finish(study)
        #expect(r.status == 0, "\(r.tail())")
        #expect(r.standardOutput.contains("[4/4]") && !r.standardOutput.contains("FAILED"), "\(r.standardOutput)")
    }
}
