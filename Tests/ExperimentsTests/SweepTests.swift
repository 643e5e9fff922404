import Foundation
import Subprocesses
import Testing
@testable import Experiments

/// Sweep files, their expansion into runs, and the local and Slurm-script backends end to end.
@Suite(.serialized) struct SweepTests {
    /// A sweep over `grid` lines with the tiny run as its base (written to a fresh folder).
    static func sweepFile(_ grid: String, name: String = "grid-test") throws -> URL {
        let root = CLI.temporaryDirectory("sweep")
        try CLI.write(TinyRun.config(seed: 0), to: root.appendingPathComponent("tiny.toml"))
        let file = root.appendingPathComponent("sweep.toml")
        try CLI.write("name = \"\(name)\"\nconfig = \"tiny.toml\"\n[base.train]\nlog_every = 10\n" + grid, to: file)
        return file
    }

    /// A grid of more than 20,000 runs is refused before any run is built (a 1000 × 1000
    /// grid once grew to 3 GB).
    @Test func aHugeGridIsRefusedBeforeItIsBuilt() throws {
        let values = "[" + (0..<1_000).map(String.init).joined(separator: ", ") + "]"
        let file = try Self.sweepFile("[grid]\nseed = \(values)\n\"train.batch_size\" = \(values.replacingOccurrences(of: "[0, ", with: "["))\n")
        #expect(throws: ConfigError(file: file.path, "the grid's 1000 seed × 999 train.batch_size runs are more than the 20000 a sweep may plan")) {
            try SweepPlan(text: try String(contentsOf: file, encoding: .utf8), file: file.path)
        }
    }

    @Test func gridExpandsInFileOrderLastAxisFastest() throws {
        let file = try Self.sweepFile("""
            [grid]
            "stream.protocol" = ["random-labels", "label-permutation"]
            interventions = ["none", "redo+shrink-perturb"]
            "optimizer.lr" = [0.001, 0.0003]
            seed = [0, 1]
            [parameters.redo]
            tau = 0.2
            """)
        let plan = try SweepPlan(text: try String(contentsOf: file, encoding: .utf8), file: file.path)
        #expect(plan.axes.map(\.key) == ["stream.protocol", "interventions", "optimizer.lr", "seed"])
        #expect(plan.runs.count == 16)
        let r5 = plan.runs[5]  // indices (0, 1, 0, 1)
        #expect(r5.assignments.map(\.value) == ["random-labels", "redo+shrink-perturb", "0.001", "1"])
        #expect(r5.config.seed == 1 && r5.config.optimizer.learningRate == 0.001)
        #expect(r5.config.stream.protocolName.rawValue == "random-labels")
        #expect(r5.config.interventions.map(\.name) == ["redo", "shrink-perturb"])
        #expect(r5.config.interventions[0].parameters["tau"] == .number(0.2))
        #expect(r5.config.train.logEvery == 10 && r5.config.data.dataset == "gaussian-clusters")
        #expect(r5.config.name == "grid-test/stream.protocol=random-labels,interventions=redo+shrink-perturb,optimizer.lr=0.001")
        #expect(r5.relativePath == "runs/stream.protocol-random-labels/interventions-redo+shrink-perturb/optimizer.lr-0.001/seed-1")
        #expect(plan.runs[15].assignments.map(\.value) == ["label-permutation", "redo+shrink-perturb", "0.0003", "1"])
        #expect(plan.runs[15].config.interventions.map(\.name) == ["redo", "shrink-perturb"])
        #expect(plan.runs[8].config.interventions.isEmpty)
    }

    @Test func badSweepsNameTheProblem() throws {
        for (grid, message) in [("[grid]\n\"optimizer.lrr\" = [1]\n", "optimizer.lrr"),
                                ("[grid]\nseed = []\n", "grid.seed must be a non-empty array"),
                                ("[grid]\ninterventions = [\"no-such-thing\"]\n", "no-such-thing"),
                                ("[grids]\nseed = [1]\n", "unknown sweep key 'grids'")] {
            let file = try Self.sweepFile(grid)
            #expect {
                try SweepPlan(text: try String(contentsOf: file, encoding: .utf8), file: file.path)
            } throws: { error in
                "\(error)".contains(file.path) && "\(error)".contains(message)
            }
        }
    }

    @Test func localSweepRunsEveryRunResumesAndIndexes() throws {
        let file = try Self.sweepFile("[grid]\n\"stream.protocol\" = [\"random-labels\", \"label-permutation\"]\nseed = [0, 1]\n")
        let out = file.deletingLastPathComponent().appendingPathComponent("out")
        let first = try CLI.run(["sweep", file.path, "--out", out.path, "--jobs", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("4 runs = 2 stream.protocol × 2 seed; 0 already done, 4 to run"))
        #expect(first.stdout.contains("4 runs: 4 done, 0 diverged, 0 running, 0 failed, 0 pending"))
        #expect(first.stdout.contains("4 added"))
        for run in try SweepDirectory(out.path).runs() {
            #expect(FileManager.default.fileExists(atPath: run.directory.summaryURL.path))
        }
        let again = try CLI.run(["sweep", file.path, "--out", out.path])
        #expect(again.stdout.contains("4 already done, 0 to run") && again.stdout.contains("4 unchanged"), "\(again.stdout)")
        let query = try CLI.run(["query", "--db", out.appendingPathComponent("index.sqlite").path, "--study", "grid-test", "--csv"])
        #expect(query.stdout.split(separator: "\n").count == 5, "\(query.stdout)\(query.stderr)")
    }

    /// Issue 45: a second `sweep start` on a directory another process is sweeping is refused
    /// in one line naming the directory and the owner, before it plans or runs anything.
    @Test func aSecondSweepOnOneDirectoryIsRefused() throws {
        let file = try Self.sweepFile("[grid]\nseed = [0, 1]\n")
        let out = file.deletingLastPathComponent().appendingPathComponent("out")
        do {
            let held = try SweepDirectory(out.path).lock()
            let second = try CLI.run(["sweep", file.path, "--out", out.path])
            #expect(second.status == 1)
            #expect(second.stderr == "error: \(out.path): is in use by another plasticity process (pid \(getpid())); wait for it to finish or choose another --out\n")
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("runs.tsv").path))
            withExtendedLifetime(held) {}
        }
        // Released with its owner: the next sweep runs.
        let after = try CLI.run(["sweep", file.path, "--out", out.path])
        #expect(after.status == 0, "\(after.stderr)")
    }

    /// A diverged run is reported with where it diverged and is not retried.
    @Test func divergedRunsAreReportedAndNotRetried() throws {
        let file = try Self.sweepFile("[grid]\n\"optimizer.lr\" = [0.001, 1e30]\n")
        let out = file.deletingLastPathComponent().appendingPathComponent("out")
        let first = try CLI.run(["sweep", file.path, "--out", out.path])
        #expect(first.status == 0, "\(first.stderr)")
        let status = try CLI.run(["sweep", "status", out.path])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("2 runs: 1 done, 1 diverged, 0 running, 0 failed, 0 pending"), "\(status.stdout)")
        #expect(status.stdout.contains("diverged runs/optimizer.lr-1e+30: loss became non-finite at global step "), "\(status.stdout)")
        let retry = try CLI.run(["sweep", file.path, "--out", out.path])
        #expect(retry.stdout.contains("2 already done, 0 to run"), "\(retry.stdout)")
    }

    /// A run whose attempt exited non-zero is failed, with its last error line, and is retried.
    @Test func failedRunsAreReportedAndRetried() throws {
        let file = try Self.sweepFile("[grid]\nseed = [0, 1]\n")
        let plan = try SweepPlan(text: try String(contentsOf: file, encoding: .utf8), file: file.path)
        let dir = SweepDirectory(file.deletingLastPathComponent().appendingPathComponent("out").path)
        try dir.prepare(plan)
        try "setup\nerror: boom\n".write(to: dir.logBase(1).appendingPathExtension("log"), atomically: true, encoding: .utf8)
        try "1\n".write(to: dir.logBase(1).appendingPathExtension("exit"), atomically: true, encoding: .utf8)
        let states = try dir.states()
        #expect(states.map(\.state) == [.pending, .failed])
        #expect(states[1].detail == "error: boom")
        #expect(try dir.unfinished() == [0, 1])
    }

    /// A run directory whose config was edited is refused by name and key, as in a study.
    @Test func aChangedRunConfigIsRefusedByKey() throws {
        let file = try Self.sweepFile("[grid]\nseed = [0, 1]\n")
        let plan = try SweepPlan(text: try String(contentsOf: file, encoding: .utf8), file: file.path)
        let dir = SweepDirectory(file.deletingLastPathComponent().appendingPathComponent("out").path)
        try dir.prepare(plan)
        try dir.prepare(plan)
        let config = try #require(try dir.runs().last?.directory.configURL)
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(of: "seed = 1\n", with: "seed = 7\n").write(to: config, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError(file: config.path, "this run was made with a different config than the sweep's run 1 plans (seed: 7 → 1; stream.seed: 7 → 1); move the directory away or use another --out")) {
            try dir.prepare(plan)
        }
    }

    /// The generated array script, run by bash as Slurm would run its task 1.
    @Test func slurmScriptRunsOneArrayTask() throws {
        let file = try Self.sweepFile("[grid]\nseed = [0, 1, 2]\n[slurm]\npartition = \"debug\"\ntime = \"00:10:00\"\n")
        let out = file.deletingLastPathComponent().appendingPathComponent("out")
        let r = try CLI.run(["sweep", file.path, "--out", out.path, "--backend", "slurm", "--jobs", "2", "--no-submit"])
        #expect(r.status == 0, "\(r.stderr)")
        let dir = SweepDirectory(out.path)
        let script = try #require(try FileManager.default.contentsOfDirectory(at: dir.slurmURL, includingPropertiesForKeys: nil).first)
        let text = try String(contentsOf: script, encoding: .utf8)
        #expect(text.contains("#SBATCH --array=0,1,2%2\n") && text.contains("#SBATCH --partition=debug\n") && text.contains("#SBATCH --time=00:10:00\n"))
        let task = try Subprocess.run("/bin/bash", [script.path], environment: ["SLURM_ARRAY_TASK_ID": "1", "PATH": "/usr/bin:/bin"],
                                   timeout: CLI.deadline)
        #expect(task.status == 0 && !task.timedOut, "\(task.tail())")
        #expect(try dir.states().map(\.state) == [.pending, .done, .pending])
        #expect(try String(contentsOf: dir.logBase(1).appendingPathExtension("exit"), encoding: .utf8) == "0\n")
    }
}
