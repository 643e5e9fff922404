import Datasets
import Foundation
import Networks
import Subprocesses
import Tensors
import Testing
@testable import Experiments

/// Sizes refused before allocation, non-finite data refused by name, a resume that checks the
/// config it continues, and a study that owns its directory and takes its runs down with it.
@Suite(.serialized) struct HostileInputTests {
    func expectOneLine(_ r: (status: Int32, stdout: String, stderr: String), _ fragment: String) {
        #expect(r.status == 1, "status \(r.status): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)")
    }

    /// A small mlp[4] checkpoint for 784 inputs and 10 classes.
    func model(_ root: URL, poison: Float? = nil) throws -> URL {
        var rng = RandomGenerator(seed: 0)
        let network = try Architecture(family: .mlp, widths: [4]).build(inputShape: Shape(784), outputs: 10, rng: &rng)
        if let poison { network.parameters[0].parameter.value[7] = poison }
        let url = root.appendingPathComponent(poison == nil ? "m.safetensors" : "bad.safetensors")
        try network.saveSafetensors(to: url)
        return url
    }

    @Test func absurdArchitecturesAndPointCountsAreRefusedByName() throws {
        let root = CLI.temporaryDirectory("hostile-sizes")
        let m = try model(root)
        try NPYArray.write(shape: [4, 784], values: [Float](repeating: 0.5, count: 4 * 784), to: root.appendingPathComponent("x.npy").path)
        let x = root.appendingPathComponent("x.npy").path
        expectOneLine(try CLI.run(["diagnose", m.path, "--arch", "mlp[99999999999] relu", "--probe", x]),
                      "error: --arch: needs 32.2 PiB (mlp[99999999999] relu norm=none on [784] → 10 outputs: 7.95e+13 parameters, diagnosis on 4 probe examples), above the memory limit of 8 GiB; raise it with --memory-limit GB or PLASTICITY_MEMORY_LIMIT_GB=GB")
        expectOneLine(try CLI.run(["diagnose", m.path, "--arch", "mlp[4096,4096] relu", "--probe", x, "--memory-limit", "0.25"]),
                      "error: --arch: needs ")
        expectOneLine(try CLI.run(["diagnose", m.path, "--arch", "mlp[4]", "--probe", x, "--memory-limit", "lots"]),
                      "error: --memory-limit: 'lots' is not a memory limit in GiB")
        let lmc = try CLI.run(["lmc", m.path, m.path, "--arch", "mlp[4]", "--data", "mnist1d", "--points", "1000000000000",
                               "--out", root.appendingPathComponent("l").path])
        #expect(lmc.status == 64 && lmc.stderr == "error: --points must be 2…10001, got 1000000000000 (see --help)\n", "\(lmc.stderr)")
        let cfg = root.appendingPathComponent("big.toml")
        try CLI.write("[data]\ndataset = \"gaussian-clusters\"\ncount = 100\n[model]\nwidths = [16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384]\n", to: cfg)
        expectOneLine(try CLI.run(["run", cfg.path, "--out", root.appendingPathComponent("big").path]),
                      "error: \(cfg.path): model: needs 28.3 GiB (mlp[16384,16384,16384,16384,16384,16384,16384,16384] relu norm=none on [20] → 10 outputs: 1.88e+09 parameters, training on batches of 128)")
    }

    @Test func nonFiniteCheckpointsAndProbesAreRefusedByName() throws {
        let root = CLI.temporaryDirectory("hostile-nan")
        let good = try model(root), bad = try model(root, poison: .nan)
        let x = root.appendingPathComponent("x.npy").path
        var values = [Float](repeating: 0.5, count: 4 * 784)
        values[2 * 784 + 9] = .infinity
        try NPYArray.write(shape: [4, 784], values: values, to: x)
        var clean = values
        clean[2 * 784 + 9] = 0.5
        let finite = root.appendingPathComponent("finite.npy").path
        try NPYArray.write(shape: [4, 784], values: clean, to: finite)
        expectOneLine(try CLI.run(["diagnose", bad.path, "--arch", "mlp[4]", "--probe", finite]),
                      "error: \(bad.path): key 'layers.1.weight' holds nan at flat index 7 of 3136: parameters and buffers must be finite")
        expectOneLine(try CLI.run(["lmc", good.path, bad.path, "--arch", "mlp[4]", "--data", "fashion-mnist",
                                   "--out", root.appendingPathComponent("l").path]),
                      "key 'layers.1.weight' holds nan at flat index 7 of 3136")
        expectOneLine(try CLI.run(["diagnose", good.path, "--arch", "mlp[4]", "--probe", x]),
                      "error: \(x): inf at index [2, 9] (flat 1577): probe inputs must be finite")
    }

    static let smallRun = """
        seed = 1
        [data]
        dataset = "gaussian-clusters"
        count = 200
        [model]
        widths = [8]
        [stream]
        tasks = 2
        steps_per_task = 50
        [train]
        checkpoint_every = 20
        """

    /// An edited config.toml is refused on resume with the changed keys; with
    /// --allow-config-change the run continues and metrics.jsonl records the change.
    @Test func resumeRefusesAnEditedConfigUnlessAllowed() throws {
        let root = CLI.temporaryDirectory("hostile-resume")
        let cfg = root.appendingPathComponent("c.toml"), dir = root.appendingPathComponent("run")
        try CLI.write(Self.smallRun, to: cfg)
        let first = try CLI.run(["run", cfg.path, "--out", dir.path, "--stop-after", "30"])
        #expect(first.status == 0, "\(first.stderr)")
        let config = dir.appendingPathComponent("config.toml")
        let text = try String(contentsOf: config, encoding: .utf8)
        try CLI.write(text.replacingOccurrences(of: "\nlr = 0.001\n", with: "\nlr = 0.01\n"), to: config)
        expectOneLine(try CLI.run(["run", "--resume", dir.path]),
                      "error: \(config.path): differs from the config step-00000020.safetensors was trained under (optimizer.lr: 0.001 → 0.01); restore the original values, or resume with --allow-config-change")
        let allowed = try CLI.run(["run", "--resume", dir.path, "--allow-config-change"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stderr.contains("warning: resumed under a changed config: optimizer.lr: 0.001 → 0.01"))
        let change = try #require(try RunDirectory(dir.path).metrics().first { $0["event"] as? String == "config_change" })
        #expect(change["global_step"] as? Int == 20 && change["changes"] as? String == "optimizer.lr: 0.001 → 0.01")
        // The unedited case resumes silently.
        let again = root.appendingPathComponent("again")
        _ = try CLI.run(["run", cfg.path, "--out", again.path, "--stop-after", "30"])
        let plain = try CLI.run(["run", "--resume", again.path])
        #expect(plain.status == 0 && !plain.stderr.contains("changed config"), "\(plain.stderr)")
    }

    static let slowStudy = """
        name = "slow"
        title = "t"
        claim = "c"
        source = "s"
        seeds = 2
        [base.data]
        dataset = "gaussian-clusters"
        count = 500
        [base.stream]
        protocol = "random-labels"
        tasks = 2
        steps_per_task = 1000000
        subset = 256
        [base.model]
        widths = [128]
        [base.train]
        batch_size = 32
        log_every = 100
        checkpoint_every = 1000
        [[groups]]
        label = "random labels"
        metric = "train_accuracy"
        [[variants]]
        label = "baseline"
        """

    /// A second study on the same directory is refused; a study killed by SIGKILL takes its
    /// runs down (each checkpoints and stops) instead of leaving orphans, and a rerun started
    /// at once resumes every run past where it was killed.
    @Test func studyLocksItsDirectoryAndItsRunsDieWithIt() throws {
        let root = CLI.temporaryDirectory("hostile-study")
        let file = root.appendingPathComponent("slow.toml"), out = root.appendingPathComponent("s")
        try CLI.write(Self.slowStudy, to: file)
        let study = try CLI.start(["study", file.path, "--out", out.path, "--jobs", "2"])
        let runs = ["seed-0", "seed-1"].map { RunDirectory(out.appendingPathComponent("runs/random-labels/baseline/\($0)").path) }
        let deadline = Date().addingTimeInterval(60)
        while runs.contains(where: { $0.checkpoints().isEmpty }) && Date() < deadline { usleep(20_000) }
        #expect(runs.allSatisfy { !$0.checkpoints().isEmpty }, "the runs did not start")
        let second = try CLI.run(["study", file.path, "--out", out.path, "--jobs", "2"])
        #expect(second.status == 1 && second.stderr.contains("\(out.path): is in use by another plasticity process (pid \(study.processIdentifier))"),
                "\(second.stderr)")
        study.send(SIGKILL)
        _ = try CLI.finish(study, within: 60)
        let killedAt = runs.map { $0.checkpoints().last?.step ?? 0 }
        // Rerun at once: each old run notices within a second that its study is gone,
        // checkpoints and exits; the new runs wait for their locks and resume.
        let rerun = try CLI.start(["study", file.path, "--out", out.path, "--jobs", "2"])
        let resumed = Date().addingTimeInterval(90)
        // Beyond where an old run could have got in its last second (about 15,000 steps).
        while zip(runs, killedAt).contains(where: { ($0.checkpoints().last?.step ?? 0) <= $1 + 40_000 }) && rerun.isRunning && Date() < resumed {
            usleep(50_000)
        }
        #expect(rerun.isRunning, "the rerun ended early (killed at \(killedAt), now \(runs.map { $0.checkpoints().last?.step ?? 0 }))")
        rerun.send(SIGINT)
        let ended = try CLI.finish(rerun, within: 120)
        let stdout = ended.standardOutput
        #expect(ended.termination == .exited(130), "\(stdout)")
        #expect(!stdout.contains("FAILED"), "\(stdout)")
        for (run, step) in zip(runs, killedAt) {
            #expect((run.checkpoints().last?.step ?? 0) > step, "\(run.url.path) did not resume past step \(step)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: run.summaryURL)) as? [String: Any])
            #expect(summary["status"] as? String == "interrupted", "killed at \(killedAt): \(stdout)")
        }
    }
}
