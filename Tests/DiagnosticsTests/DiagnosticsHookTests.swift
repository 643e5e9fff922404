import Testing
import Datasets
import Networks
import Streams
import Tensors
import Training
@testable import Diagnostics

@Suite struct DiagnosticsHookTests {
    /// 64 examples in 4 classes; label permutation, 2 tasks of 20 steps, logged every 5 steps.
    static let data: LabelledDataset = {
        var inputs = [Float](repeating: 0, count: 64 * 4)
        for i in 0..<64 { inputs[i * 4 + i % 4] = 3; inputs[i * 4 + (i / 4) % 4] += 0.5 }
        return LabelledDataset(exampleShape: Shape(4), inputs: inputs, labels: (0..<64).map { $0 % 4 }, classCount: 4)
    }()

    static func makeNetwork() -> Network {
        var rng = RandomGenerator(seed: 1)
        return Network(Sequential(Linear(4, 8, rng: &rng), Activation(.relu), Linear(8, 8, rng: &rng),
                                  Activation(.relu), Linear(8, 4, rng: &rng)))
    }

    static func probe() -> ProbeBatch {
        let x = Tensor(shape: Shape(16, 4), values: Array(data.inputs[0..<64]))
        return ProbeBatch(inputs: x, targets: .labels(Array(data.labels[0..<16])))
    }

    static func trainerWithHook() throws -> (Trainer, DiagnosticsHook) {
        var spec = StreamSpec(.labelPermutation)
        spec.tasks = 2
        spec.stepsPerTask = 20
        spec.subset = 0
        let stream = try spec.makeStream(train: data, test: data)
        let net = makeNetwork()
        var options = TrainerOptions()
        options.batchSize = 16
        options.logEvery = 5
        let trainer = Trainer(network: net, optimizer: Adam(net.storage, learningRate: 0.01), stream: stream,
                              loss: .crossEntropy(), options: options)
        var probeSettings = ProbeTaskSettings()
        probeSettings.steps = 20
        probeSettings.batchSize = 8
        let hook = DiagnosticsHook(probe: probe(), groups: [
            .units(), .preactivations, .parameters, .features(),
            .probe(makeNetwork: makeNetwork, settings: probeSettings),
        ], every: 5)
        trainer.hooks = [hook]
        return (trainer, hook)
    }

    @Test func writesMetricsAtTheScheduledSteps() throws {
        let (trainer, _) = try Self.trainerWithHook()
        var records: [MetricsRecord] = []
        try trainer.run(record: { records.append($0) })
        let measured = records.filter { $0["diagnostics.global_step"] != nil }
        let steps: [MetricValue] = [5, 10, 15, 20, 25, 30, 35, 40].map { MetricValue.int($0) }
        #expect(measured.map { $0["diagnostics.global_step"]! } == steps)
        for r in measured {
            #expect(r["global_step"] == r["diagnostics.global_step"])
            for name in ["dormant.tau0.1", "dormant.tau0.1.layers.0", "grad_dormant.tau0.1.layers.2", "preact.std.layers.2",
                         "preact.mean_drift_init.layers.0", "param_norm.layers.4.bias", "dist_from_init", "grad_norm",
                         "sign_flip_fraction.task_start", "srank.delta0.01", "feature_norm"] {
                #expect(r[name] != nil, "\(name) missing at \(r["global_step"]!)")
            }
            let taskEnd = r["event"] == .string("task_end")
            #expect((r["probe.loss"] != nil) == taskEnd)
            #expect(r["event"] == (taskEnd ? .string("task_end") : .string("step")))
        }
        // During task 0 the task-start reference is the initial one.
        let first = measured[0]
        #expect(first["dist_from_task_start"] == first["dist_from_init"] && first["dist_from_init"]!.number! > 0)
        let task1 = measured[5]
        #expect(task1["dist_from_task_start"]!.number! < task1["dist_from_init"]!.number!)
    }

    @Test func resumedRunReportsExactlyWhatAnUninterruptedOneDoes() throws {
        let (full, _) = try Self.trainerWithHook()
        var reference: [MetricsRecord] = []
        try full.run(record: { reference.append($0) })

        let (first, firstHook) = try Self.trainerWithHook()
        try first.run(until: { $0.globalStep >= 27 }, record: { _ in })
        let (second, secondHook) = try Self.trainerWithHook()
        try second.network.load(first.network.stateDict())
        try second.optimizer.loadStateVectors(first.optimizer.stateVectors(), stepCount: first.optimizer.stepCount)
        try secondHook.restore(firstHook.checkpointState())
        #expect(secondHook.references == firstHook.references && secondHook.references.initial != nil)
        second.rng = first.rng
        second.taskLossSum = first.taskLossSum
        second.restore(position: first.position)
        var resumed: [MetricsRecord] = []
        try second.run(record: { resumed.append($0) })
        let tail = reference.filter { ($0["global_step"]?.number ?? 0) > 27 }
        #expect(resumed == tail)
    }

    @Test func resetsAreReportedAtTheNextMeasurementAndSurviveACheckpoint() throws {
        let (trainer, hook) = try Self.trainerWithHook()
        try trainer.run(until: { $0.globalStep >= 7 }, record: { _ in })
        var rng = RandomGenerator(seed: 3)
        let layer = trainer.network.hiddenLayers[1]
        layer.resetUnits([0, 5], rng: &rng)
        hook.noteReset(layer: layer.name, units: [5, 0], globalStep: 7)
        let restored = try Self.trainerWithHook().1
        try restored.restore(hook.checkpointState())
        #expect(restored.checkpointState() == hook.checkpointState())
        #expect(hook.checkpointState()["resets.7.layers.2"] == [0, 5])
        var records: [MetricsRecord] = []
        try trainer.run(until: { $0.globalStep >= 16 }, record: { records.append($0) })
        let at10 = records.first { $0["diagnostics.global_step"] == .int(10) }!
        #expect(at10["dormant_again.tau0.1.layers.2"] != nil && at10["dormant_again.tau0.1.layers.0"] == nil)
        #expect(at10["dormant_again.tau0"] == at10["dormant_again.tau0.layers.2"])
        let at15 = records.first { $0["diagnostics.global_step"] == .int(15) }!
        #expect(at15["dormant_again.tau0.1"] == nil)
    }

    @Test func namedGroupsAndErrors() throws {
        #expect(try DiagnosticGroup.named("units").name == "units")
        #expect(throws: DiagnosticError.self) { try DiagnosticGroup.named("probe") }
        #expect(throws: DiagnosticError.self) { try DiagnosticGroup.named("curvatures") }
        #expect(try DiagnosticGroup.named("probe", makeNetwork: Self.makeNetwork).cadence == .taskEnds)
    }
}
