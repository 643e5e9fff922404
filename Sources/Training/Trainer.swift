import Networks
import Streams
import Tensors

/// How the trainer batches, evaluates and reports.
public struct TrainerOptions: Sendable, Equatable {
    /// Examples per optimiser step (capped at the task's size).
    public var batchSize = 128
    /// Log the training loss every this many steps (0: only at task ends).
    public var logEvery = 50
    /// Evaluate every eval set every this many steps (0: only at task ends).
    public var evalEvery = 0
    /// Examples per forward pass when evaluating.
    public var evalBatchSize = 500
    /// Clip the global gradient norm to this value, if set.
    public var gradientClip: Float? = nil
    /// Learning-rate schedule over global steps.
    public var schedule: LearningRateSchedule = .constant
    /// Seed of the batch order.
    public var seed: UInt64 = 0
    /// Train each task to convergence: end it early once the network's accuracy on the
    /// task's training data (evaluation mode) reaches this value, checked every
    /// `convergenceCheckEvery` steps; the task's steps are then a cap. Ash & Adams 2020 train
    /// every phase to 99 % training accuracy. nil: every task runs all its steps.
    public var stopAtTrainAccuracy: Double? = nil
    public var convergenceCheckEvery = 50

    public init() {}
}

/// The result of evaluating a network on one eval set.
public struct Evaluation: Sendable, Equatable {
    public var loss: Double
    /// Fraction of arg-max predictions equal to the label (classification) or to the arg-max
    /// of the target vector (regression); nil for scalar regression.
    public var accuracy: Double?
}

/// Trains a network with an optimiser over a task stream, calling hooks at task start,
/// after backward, after each step and at task end, and emitting `MetricsRecord`s; the hooks
/// see it as their `TrainingContext`.
///
/// Batch order is a pure function of (seed, task, epoch): epoch e of task k shuffles the
/// task's examples with `RandomGenerator(seed: seed, stream: k·2³² + e)` and takes
/// consecutive batches, dropping the remainder. So a run resumed from a position repeats
/// exactly the batches an uninterrupted run would have seen.
public final class Trainer: TrainingContext {
    public let network: Network
    public let optimizer: any Optimizer
    public let stream: any TaskStream
    public let loss: TrainingLoss
    public let options: TrainerOptions
    public let baseLearningRate: Float
    /// Interventions and diagnostics, called in order.
    public var hooks: [any TrainingHook] = []
    /// Randomness for hooks (resets, perturbations); saved in checkpoints.
    public var rng: RandomGenerator
    /// Where training stands.
    public private(set) var position: StreamPosition
    /// The task being trained.
    public private(set) var task: StreamTask
    /// The current batch.
    public let batchInputs = Tensor(shape: Shape(0))
    public private(set) var batchLabels: [Int] = []
    public let batchValues = Tensor(shape: Shape(0))
    /// The loss of the last step.
    public private(set) var lastLoss: Float = .nan
    /// The last finite training loss (nil before the first step of this session).
    public private(set) var lastFiniteLoss: Float?
    /// Sum of the training losses of the current task's steps so far (in Double); its mean,
    /// `task_mean_loss`, measures how fast a task is learned (an online plasticity measure).
    public var taskLossSum = 0.0
    /// Values hooks add to the next record (cleared after each record).
    var pendingMetrics = MetricsRecord()
    private var epochOrder: (task: Int, epoch: Int, order: [Int])?

    public init(network: Network, optimizer: any Optimizer, stream: any TaskStream, loss: LossKind,
                options: TrainerOptions = TrainerOptions(), position: StreamPosition = StreamPosition(),
                rng: RandomGenerator = RandomGenerator(seed: 0, stream: 99)) {
        self.network = network
        self.optimizer = optimizer
        self.stream = stream
        self.loss = TrainingLoss(loss)
        self.options = options
        self.position = position
        self.rng = rng
        baseLearningRate = optimizer.learningRate
        task = stream.task(Swift.min(position.task, stream.taskCount - 1))
    }

    public var taskSteps: Int { task.steps }
    public var taskCount: Int { stream.taskCount }

    public func report(_ name: String, _ value: MetricValue) { pendingMetrics[name] = value }
    public func reported(_ name: String) -> MetricValue? { pendingMetrics[name] }

    /// Whether every task has been trained.
    public var isFinished: Bool { position.task >= stream.taskCount }

    /// Fills the batch of step `step` of the current task.
    func loadBatch(step: Int) {
        let n = task.train.count, b = Swift.min(options.batchSize, n), perEpoch = n / b
        let epoch = step / perEpoch, first = (step % perEpoch) * b
        if epochOrder?.task != task.index || epochOrder?.epoch != epoch {
            var r = RandomGenerator(seed: options.seed, stream: UInt64(task.index) << 32 | UInt64(epoch))
            epochOrder = (task.index, epoch, r.permutation(n))
        }
        task.train.fill(epochOrder!.order[first..<(first + b)], inputs: batchInputs, labels: &batchLabels, values: batchValues)
    }

    public func announceUnitReset(layer: String, units: [Int]) {
        guard !units.isEmpty else { return }
        for h in hooks { h.unitsWereReset(self, layer: layer, units: units) }
    }

    /// Zeroes the gradients, runs forward and backward on the current batch and returns the
    /// loss: once per step, and again when a hook asks (SAM re-evaluates at a perturbed point).
    @discardableResult
    public func computeGradients() -> Float {
        network.zeroGradients()
        let output = network.forward(batchInputs, mode: .training)
        let value = loss(output, labels: batchLabels, values: batchValues)
        network.backward(loss.gradient, inputGradient: false)
        return value
    }

    /// Trains until `stop` says so or the stream ends. `record` receives every metrics record;
    /// `safePoint` is called after every step and every task end, where a checkpoint may be
    /// written (the position then fully describes the state).
    public func run(until stop: (StreamPosition) -> Bool = { _ in false },
                    record: (MetricsRecord) throws -> Void,
                    safePoint: (Trainer) throws -> Void = { _ in }) throws {
        while !isFinished {
            if task.index != position.task { task = stream.task(position.task) }
            if position.step == 0 {
                for h in hooks { try h.taskWillStart(self) }
                epochOrder = nil
                taskLossSum = 0
            }
            while position.step < task.steps {
                if stop(position) { return }
                try trainStep()
                if reachedTrainAccuracy() { break }
                if position.step < task.steps {
                    if options.logEvery > 0 && position.step % options.logEvery == 0 {
                        try checkParametersFinite()
                        try record(stepRecord())
                    }
                    if options.evalEvery > 0 && position.step % options.evalEvery == 0 {
                        try record(evaluationRecord(event: "eval"))
                    }
                    try safePoint(self)
                }
            }
            if stop(position) { return }
            try checkParametersFinite()
            for h in hooks { try h.taskDidFinish(self) }
            try record(evaluationRecord(event: "task_end"))
            position = StreamPosition(task: position.task + 1, step: 0, globalStep: position.globalStep)
            try safePoint(self)
        }
    }

    /// Whether the task has converged by `options.stopAtTrainAccuracy`, at a check step.
    private func reachedTrainAccuracy() -> Bool {
        guard let target = options.stopAtTrainAccuracy, position.step % Swift.max(options.convergenceCheckEvery, 1) == 0,
              let accuracy = evaluate(task.train).accuracy else { return false }
        return accuracy >= target
    }

    private func trainStep() throws {
        loadBatch(step: position.step)
        lastLoss = computeGradients()
        guard lastLoss.isFinite else {
            throw DivergenceError(quantity: "loss", value: lastLoss, task: position.task + 1, step: position.step + 1,
                                  globalStep: position.globalStep + 1, lastFiniteLoss: lastFiniteLoss)
        }
        lastFiniteLoss = lastLoss
        for h in hooks { try h.gradientsComputed(self) }
        if let clip = options.gradientClip { clipGradientNorm(network.storage, maxNorm: clip) }
        optimizer.learningRate = options.schedule.rate(base: baseLearningRate, step: position.globalStep)
        optimizer.step()
        taskLossSum += Double(lastLoss)
        position.step += 1
        position.globalStep += 1
        for h in hooks { try h.stepDidFinish(self) }
    }

    /// Throws `DivergenceError` if a parameter is NaN or infinite (checked at every logged
    /// step and task end, and before every checkpoint; the loss is checked every step).
    public func checkParametersFinite() throws {
        let values = network.storage.valueBuffer
        guard let bad = values.first(where: { !$0.isFinite }) else { return }
        throw DivergenceError(quantity: "a parameter", value: bad, task: position.task + 1, step: position.step,
                              globalStep: position.globalStep, lastFiniteLoss: lastFiniteLoss)
    }

    private func header(_ event: String) -> MetricsRecord {
        MetricsRecord([("event", .string(event)), ("task", .int(position.task + 1)), ("step", .int(position.step)),
                       ("global_step", .int(position.globalStep))])
    }

    private func withPending(_ r: MetricsRecord) -> MetricsRecord {
        var out = r
        for (k, v) in pendingMetrics.fields { out[k] = v }
        pendingMetrics = MetricsRecord()
        return out
    }

    private func stepRecord() -> MetricsRecord {
        var r = header("step")
        r.set("loss", Double(lastLoss))
        r.set("lr", Double(optimizer.learningRate))
        return withPending(r)
    }

    private func evaluationRecord(event: String) -> MetricsRecord {
        var r = header(event)
        r.set("loss", Double(lastLoss))
        r.set("task_mean_loss", taskLossSum / Double(Swift.max(position.step, 1)))
        if options.stopAtTrainAccuracy != nil && event == "task_end" { r["task_steps"] = .int(position.step) }
        for (name, data) in task.evaluation {
            let e = evaluate(data)
            r.set("\(name)_loss", e.loss)
            if let a = e.accuracy { r.set("\(name)_accuracy", a) }
        }
        return withPending(r)
    }

    /// Mean loss and accuracy of the network (evaluation mode) on `data`.
    public func evaluate(_ data: TaskData) -> Evaluation {
        let x = Tensor(shape: Shape(0)), values = Tensor(shape: Shape(0))
        var labels: [Int] = [], totalLoss = 0.0, correct = 0
        let n = data.count
        let scoresAccuracy: Bool
        switch data.targets {
        case .classes: scoresAccuracy = true
        case .values(_, let w): scoresAccuracy = w > 1
        }
        var start = 0
        while start < n {
            let end = Swift.min(start + options.evalBatchSize, n)
            data.fill(Array(start..<end)[...], inputs: x, labels: &labels, values: values)
            let out = network.forward(x, mode: .evaluation)
            totalLoss += Double(loss(out, labels: labels, values: values)) * Double(end - start)
            if scoresAccuracy {
                let predicted: [Int]
                if case .distributional = loss.kind {
                    let p = loss.predictions(of: out)
                    predicted = argmaxRows(p, width: values.shape[1])
                } else {
                    predicted = argmaxRows(out)
                }
                let truth = loss.kind.isClassification ? labels : argmaxRows(values.values, width: values.shape[1])
                correct += zip(predicted, truth).filter { $0 == $1 }.count
            }
            start = end
        }
        return Evaluation(loss: totalLoss / Double(Swift.max(n, 1)), accuracy: scoresAccuracy ? Double(correct) / Double(Swift.max(n, 1)) : nil)
    }

    /// Moves to `position` (used when resuming from a checkpoint).
    public func restore(position: StreamPosition) {
        self.position = position
        if !isFinished { task = stream.task(position.task) }
        epochOrder = nil
    }
}
