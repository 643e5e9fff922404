import Testing
import Datasets
import Networks
import Streams
import Tensors
@testable import Training

/// The trainer's loop: hook order, batch order, evaluation and divergence handling.
@Suite struct TrainerTests {
    /// 64 examples in 4 separable classes: feature c is large for class c.
    static let data: LabelledDataset = {
        var inputs = [Float](repeating: 0, count: 64 * 4)
        for i in 0..<64 { inputs[i * 4 + i % 4] = 3 }
        return LabelledDataset(exampleShape: Shape(4), inputs: inputs, labels: (0..<64).map { $0 % 4 }, classCount: 4)
    }()

    func trainer(_ p: StreamProtocol = .labelPermutation, lr: Float = 0.05, steps: Int = 20,
                 stopAt: Double? = nil) throws -> Trainer {
        var spec = StreamSpec(p)
        spec.tasks = 2
        spec.stepsPerTask = steps
        spec.subset = 0
        let stream = try spec.makeStream(train: Self.data, test: Self.data)
        var rng = RandomGenerator(seed: 1)
        let net = Network(Sequential(Linear(4, 8, rng: &rng), Activation(.relu), Linear(8, 4, rng: &rng)))
        var options = TrainerOptions()
        options.batchSize = 16
        options.logEvery = 5
        options.stopAtTrainAccuracy = stopAt
        options.convergenceCheckEvery = 10
        return Trainer(network: net, optimizer: SGD(net.storage, learningRate: lr), stream: stream,
                       loss: .crossEntropy(), options: options)
    }

    /// Records every hook call.
    final class Recorder: TrainingHook {
        var calls: [String] = []
        let name = "recorder"
        func taskWillStart(_ t: any TrainingContext) { calls.append("start\(t.position.task)") }
        func gradientsComputed(_ t: any TrainingContext) { if t.position.step == 0 { calls.append("grad") } }
        func stepDidFinish(_ t: any TrainingContext) { if t.position.step == t.taskSteps { calls.append("last-step") } }
        func taskDidFinish(_ t: any TrainingContext) { calls.append("end\(t.position.task)"); t.report("hook_value", .int(7)) }
    }

    @Test func hooksRunInOrderAndRecordsAreWritten() throws {
        let t = try trainer()
        let recorder = Recorder()
        t.hooks = [recorder]
        var records: [MetricsRecord] = []
        try t.run(record: { records.append($0) })
        #expect(recorder.calls == ["start0", "grad", "last-step", "end0", "start1", "grad", "last-step", "end1"])
        #expect(t.isFinished && t.position.globalStep == 40)
        let ends = records.filter { $0["event"] == .string("task_end") }
        #expect(ends.count == 2 && ends[0]["train_accuracy"] != nil && ends[0]["test_accuracy"] != nil)
        #expect(records.filter { $0["event"] == .string("step") }.count == 6)
        #expect(ends.allSatisfy { $0["hook_value"] == .int(7) })
    }

    @Test func learnsTheSeparableTask() throws {
        let t = try trainer(lr: 0.5, steps: 200)
        var accuracy: Double?
        try t.run(record: { if $0["event"] == .string("task_end") { accuracy = $0["train_accuracy"]?.number } })
        #expect(accuracy == 1)
    }

    /// Notes, at every 10th step, the first step of each task whose training accuracy is 1.
    final class FirstConverged: TrainingHook {
        var steps: [Int: Int] = [:]
        let name = "first-converged"
        func stepDidFinish(_ context: any TrainingContext) {
            let t = context as! Trainer, k = t.position.task
            if steps[k] == nil, t.position.step % 10 == 0, t.evaluate(t.task.train).accuracy == 1 { steps[k] = t.position.step }
        }
    }

    /// With a convergence target each task ends at the first check where the target is met:
    /// for task 0 an unstopped run of the same trainer finds that step independently (task 1
    /// then starts from a different network, so only its own stop is checked).
    @Test func tasksStopAtTheTargetTrainAccuracy() throws {
        let reference = try trainer(lr: 0.5, steps: 200)
        let watcher = FirstConverged()
        reference.hooks = [watcher]
        try reference.run(record: { _ in })
        let first = try #require(watcher.steps[0])
        #expect(first > 0 && first < 200)

        let t = try trainer(lr: 0.5, steps: 200, stopAt: 1)
        var ends: [MetricsRecord] = []
        try t.run(record: { if $0["event"] == .string("task_end") { ends.append($0) } })
        try #require(ends.count == 2)
        #expect(ends[0]["task_steps"] == .int(first))
        let second = try #require(ends[1]["task_steps"]?.number)
        #expect(second < 200 && Int(second) % 10 == 0)
        #expect(ends.allSatisfy { $0["train_accuracy"]?.number == 1 })
        #expect(t.position.globalStep == first + Int(second))
        // Without a target every task runs all its steps.
        #expect(reference.position.globalStep == 400)
    }

    @Test func batchesArePureFunctionsOfPosition() throws {
        let a = try trainer(), b = try trainer()
        a.loadBatch(step: 7)
        b.loadBatch(step: 3)
        b.loadBatch(step: 7)
        #expect(a.batchInputs.values == b.batchInputs.values && a.batchLabels == b.batchLabels)
        a.loadBatch(step: 0)
        let epoch0 = a.batchLabels
        a.loadBatch(step: 4)
        #expect(a.batchLabels != epoch0 || a.batchInputs.values != b.batchInputs.values)
    }

    @Test func divergenceStopsWithWhereAndTheLastFiniteLoss() throws {
        // An infinite learning rate: step 1's loss is finite, its update makes the
        // parameters non-finite, so step 2's loss is NaN.
        let reference = try trainer()
        reference.loadBatch(step: 0)
        let firstLoss = reference.computeGradients()
        let t = try trainer(lr: .infinity)
        let error = #expect(throws: DivergenceError.self) { try t.run(record: { _ in }) }
        #expect(error?.quantity == "loss" && error?.value.isNaN == true)
        #expect(error?.task == 1 && error?.step == 2 && error?.globalStep == 2)
        #expect(error?.lastFiniteLoss == firstLoss)
        #expect(error?.description.hasPrefix("diverged: loss became NaN at task 1 step 2 (global step 2), last finite loss ") == true)
    }

    @Test func nonFiniteParameterIsDivergence() throws {
        let t = try trainer()
        try t.checkParametersFinite()
        t.network.storage.values[3] = .infinity
        let error = #expect(throws: DivergenceError.self) { try t.checkParametersFinite() }
        #expect(error?.quantity == "a parameter" && error?.value == .infinity)
    }

    @Test func stopConditionHaltsBeforeTheStep() throws {
        let t = try trainer()
        try t.run(until: { $0.globalStep >= 25 }, record: { _ in })
        #expect(t.position == StreamPosition(task: 1, step: 5, globalStep: 25))
    }

    @Test func metricsLinesAreValidJSON() {
        var r = MetricsRecord([("event", .string("a\"b")), ("x", .double(.nan)), ("n", .int(3))])
        r.set("y", 0.5)
        #expect(r.jsonLine == "{\"event\": \"a\\\"b\", \"x\": null, \"n\": 3, \"y\": 0.5}")
    }
}
