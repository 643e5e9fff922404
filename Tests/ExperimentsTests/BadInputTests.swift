import Foundation
import Networks
import Tensors
import Testing
@testable import Experiments

/// Bad configs and data give one clear error line and a non-zero exit.
@Suite struct BadInputTests {
    func runConfig(_ text: String) throws -> (status: Int32, stderr: String, path: String) {
        let root = CLI.temporaryDirectory("bad")
        let cfg = root.appendingPathComponent("config.toml")
        try CLI.write(text, to: cfg)
        let r = try CLI.run(["run", cfg.path, "--out", root.appendingPathComponent("run").path])
        return (r.status, r.stderr, cfg.path)
    }

    func expectOneLineError(_ r: (status: Int32, stderr: String, path: String), contains fragment: String) {
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)")
    }

    @Test func malformedTOML() throws {
        let r = try runConfig("seed = 1\n[stream\nprotocol = 3\n")
        expectOneLineError(r, contains: "\(r.path):2: invalid TOML")
    }

    @Test func tableHeaderThatAbortedTOMLKitIsAnError() throws {
        let r = try runConfig("name = \"x\"\n[@data]\n")
        expectOneLineError(r, contains: "\(r.path):2: invalid TOML: a table header's key must start with a letter")
    }

    @Test func unknownProtocol() throws {
        let r = try runConfig("[stream]\ntasks = 2\nprotocol = \"random-lables\"\n")
        expectOneLineError(r, contains: "\(r.path):3: stream.protocol: unknown value \"random-lables\" (choose one of: random-labels,")
    }

    @Test func unknownKeyAndWrongType() throws {
        let unknown = try runConfig("[stream]\nstepz = 3\n")
        expectOneLineError(unknown, contains: "\(unknown.path):2: stream.stepz: unknown key")
        let wrong = try runConfig("[optimizer]\nname = \"sgd\"\nlr = \"fast\"\n")
        expectOneLineError(wrong, contains: "\(wrong.path):3: optimizer.lr: expected a number, got string \"fast\"")
    }

    @Test func missingConfigAndDataDirectory() throws {
        let missing = try CLI.run(["run", "/nonexistent/config.toml", "--out", CLI.temporaryDirectory("m").path])
        expectOneLineError((missing.status, missing.stderr, ""), contains: "/nonexistent/config.toml: no such file")
        let r = try runConfig("[data]\ndir = \"/nonexistent/fmnist\"\n")
        expectOneLineError(r, contains: "/nonexistent/fmnist: data directory does not exist (Fashion-MNIST: install Debian's dataset-fashion-mnist); set data.dir in the config to the folder holding the files")
        #expect(!r.stderr.contains("--data-dir"), "run has no --data-dir flag")
    }

    /// Each command says how it is given a data directory: `run` and `study` by the config's
    /// `data.dir`, `diagnose` and `lmc --data` by `--data-dir`.
    @Test func missingDataDirectorySaysHowThisCommandSetsIt() throws {
        let root = CLI.temporaryDirectory("missing-data")
        let model = root.appendingPathComponent("m.safetensors")
        var rng = RandomGenerator(seed: 0)
        try Architecture(family: .mlp, widths: [4]).build(inputShape: Shape(784), outputs: 10, rng: &rng).saveSafetensors(to: model)
        let flag = "/nonexistent/fmnist: data directory does not exist (Fashion-MNIST: install Debian's dataset-fashion-mnist); pass --data-dir DIR, the folder holding the files"
        let diagnose = try CLI.run(["diagnose", model.path, "--arch", "mlp[4]", "--data", "fashion-mnist", "--data-dir", "/nonexistent/fmnist"])
        expectOneLineError((diagnose.status, diagnose.stderr, ""), contains: flag)
        let lmc = try CLI.run(["lmc", model.path, model.path, "--arch", "mlp[4]", "--data", "fashion-mnist", "--data-dir", "/nonexistent/fmnist",
                               "--out", root.appendingPathComponent("lmc").path])
        expectOneLineError((lmc.status, lmc.stderr, ""), contains: flag)
        // lmc with the data from a config: the config's key.
        let cfg = root.appendingPathComponent("c.toml")
        try CLI.write("[model]\nwidths = [4]\n[data]\ndir = \"/nonexistent/fmnist\"\n", to: cfg)
        let fromConfig = try CLI.run(["lmc", model.path, model.path, "--config", cfg.path, "--out", root.appendingPathComponent("lmc2").path])
        expectOneLineError((fromConfig.status, fromConfig.stderr, ""), contains: "; set data.dir in the config to the folder holding the files")
        // A study's runs are `run`s: their logs say data.dir too.
        let study = root.appendingPathComponent("s.toml")
        try CLI.write("""
            name = "s"
            title = "t"
            claim = "c"
            source = "p"
            [base.data]
            dir = "/nonexistent/fmnist"
            [scales.quick.stream]
            tasks = 1
            """, to: study)
        let s = try CLI.run(["study", study.path, "--out", root.appendingPathComponent("study").path, "--jobs", "1"])
        #expect(s.status != 0)
        let log = try String(contentsOf: root.appendingPathComponent("study/configs/runs_default_default_seed-0.log"), encoding: .utf8)
        #expect(log.contains("set data.dir in the config") && !log.contains("--data-dir"), "\(log)")
    }

    @Test func truncatedIDX() throws {
        let data = CLI.temporaryDirectory("idx")
        let images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28] + [UInt8](repeating: 1, count: 100)
        try Data(images).write(to: data.appendingPathComponent("train-images-idx3-ubyte"))
        let r = try runConfig("[data]\ndir = \"\(data.path)\"\n")
        expectOneLineError(r, contains: "train-images-idx3-ubyte: truncated: header promises 7840 values [10, 28, 28], file holds 100")
    }

    @Test func resumeOfSomethingThatIsNotARun() throws {
        let r = try CLI.run(["run", "--resume", CLI.temporaryDirectory("empty").path])
        #expect(r.status != 0 && r.stderr.contains("config.toml: no such file: not a run directory"))
    }
}
