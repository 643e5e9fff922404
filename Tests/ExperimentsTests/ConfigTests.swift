import Testing
@testable import Experiments
import Streams

/// Config parsing: defaults, every section, and the resolved round trip.
@Suite struct ConfigTests {
    @Test func defaultsAndOverrides() throws {
        let c = try ExperimentConfig.parse("""
            seed = 3
            [stream]
            protocol = "label-drift"
            fraction = 0.1
            [model]
            arch = "cnn"
            norm = "batchnorm"
            [optimizer]
            name = "sgd"
            lr = 1
            momentum = 0.9
            nesterov = true
            """, file: "c.toml")
        #expect(c.seed == 3 && c.stream.seed == 3 && c.stream.protocolName == .labelDrift && c.stream.fraction == 0.1)
        #expect(c.model.family == .cnn && c.model.norm == .batchnorm && c.model.widths == [32, 64, 128])
        #expect(c.optimizer.learningRate == 1 && c.optimizer.nesterov && c.train.batchSize == 128)
    }

    @Test func resolvedTOMLRoundTrips() throws {
        var c = ExperimentConfig()
        c.name = "a \"quoted\" name"
        c.stream.tasks = 7
        c.optimizer.learningRate = 3e-4
        c.loss.kind = "hl-gauss"
        c.stream = StreamSpec(.targetOffset)
        c.stream.shiftPerTask = 2.5
        #expect(try ExperimentConfig.parse(c.toml, file: "r.toml") == c)
    }

    /// The probe task's target and length, and training each task to a target accuracy.
    @Test func probeAndConvergenceSettings() throws {
        let text = "[train]\nstop_accuracy = 0.99\nstop_check_every = 25\n[diagnostics]\ngroups = [\"probe\"]\nprobe_target = \"random_labels\"\nprobe_steps = 120\n"
        let c = try ExperimentConfig.parse(text, file: "c.toml")
        #expect(c.train.stopAccuracy == 0.99 && c.train.stopCheckEvery == 25)
        #expect(c.diagnostics.probeTarget == "random_labels" && c.diagnostics.probeSteps == 120)
        #expect(try ExperimentConfig.parse(c.toml, file: "r.toml") == c)
        let defaults = ExperimentConfig()
        #expect(defaults.train.stopAccuracy == 0 && defaults.diagnostics.probeTarget == "fresh_outputs" && defaults.diagnostics.probeSteps == 500)
        #expect(throws: ConfigError(file: "c.toml", line: 2, "train.stop_accuracy: must be in [0, 1] (0 = off), got 1.5")) {
            try ExperimentConfig.parse("[train]\nstop_accuracy = 1.5\n", file: "c.toml")
        }
        #expect(throws: ConfigError.self) { try ExperimentConfig.parse("[diagnostics]\nprobe_target = \"labels\"\n", file: "c.toml") }
    }

    @Test func lossMustFitTheTargets() throws {
        let c = try ExperimentConfig.parse("[loss]\nkind = \"two-hot\"\nbins = 21\nmin = -2\nmax = 12\n", file: "c.toml")
        #expect(try c.loss.resolved(classification: false) == .distributional(.twoHot, minimum: -2, maximum: 12, bins: 21))
        #expect(throws: ConfigError(file: "c.toml", line: 3, "loss.max: must exceed loss.min")) {
            try ExperimentConfig.parse("[loss]\nmin = 1\nmax = 0\n", file: "c.toml")
        }
    }

    @Test func architectureErrorsNameTheKey() throws {
        #expect(throws: ConfigError(file: "c.toml", line: 2, "model.activation: unknown 'relux' (valid: relu, leaky_relu, tanh, sigmoid, gelu, identity, crelu, fourier)")) {
            try ExperimentConfig.parse("[model]\nactivation = \"relux\"\n", file: "c.toml")
        }
    }

    @Test func interventionsAndDiagnostics() throws {
        let text = """
            [diagnostics]
            groups = ["units", "features"]
            every = 100
            trace_samples = 12
            [[interventions]]
            name = "redo"
            tau = 0.025
            [[interventions]]
            name = "shrink-perturb"
            """
        let c = try ExperimentConfig.parse(text, file: "c.toml")
        #expect(c.interventions.map(\.name) == ["redo", "shrink-perturb"])
        #expect(c.interventions[0].parameters["tau"] == .number(0.025))
        #expect(c.diagnostics.groups == ["units", "features"] && c.diagnostics.every == 100)
        #expect(c.diagnostics.traceSamples == 12 && ExperimentConfig().diagnostics.traceSamples == 30)
        #expect(try ExperimentConfig.parse(c.toml, file: "r.toml") == c)
    }

    @Test func badInterventionsAndGroupsNameTheLine() throws {
        do {
            _ = try ExperimentConfig.parse("[[interventions]]\nname = \"redo\"\ntua = 0.1\n", file: "c.toml")
            Issue.record("accepted an unknown parameter")
        } catch {
            #expect("\(error)".hasPrefix("c.toml:2: interventions.name: redo: unknown parameter 'tua'"))
        }
        #expect(throws: ConfigError.self) { try ExperimentConfig.parse("[diagnostics]\ngroups = [\"dormancy\"]\n", file: "c.toml") }
        #expect(throws: ConfigError.self) { try ExperimentConfig.parse("[diagnostics]\ntrace_samples = 1\n", file: "c.toml") }
    }
}
