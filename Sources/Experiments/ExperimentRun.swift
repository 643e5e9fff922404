import Foundation
import Interventions
import Networks
import Streams
import Tensors
import Training

/// A snapshot of a running experiment for progress lines.
public struct RunProgress: Sendable {
    /// The task the progress is about, numbered from 1 as everywhere a user reads (console,
    /// metrics.jsonl, results.csv, the results index); at a task end, the task just finished.
    public var task: Int
    public var tasks: Int
    public var step: Int
    public var stepsInTask: Int
    public var globalStep: Int
    public var totalSteps: Int
    public var loss: Float
    public var stepsPerSecond: Double
    /// Accuracy on the last finished task's own training data, if any.
    public var lastTaskAccuracy: Double?
    public var etaSeconds: Double { stepsPerSecond > 0 ? Double(totalSteps - globalStep) / stepsPerSecond : 0 }
}

/// One experiment in one run directory: builds data, stream, network, optimiser and trainer
/// from a config, trains with checkpoints, and resumes from the newest checkpoint.
public final class ExperimentRun {
    public let config: ExperimentConfig
    public let directory: RunDirectory
    public let trainer: Trainer
    private let totalSteps: Int
    private let lock: RunLock
    /// Checkpoints skipped on resume because they could not be read (newest first), with why.
    public private(set) var skippedCheckpoints: [String] = []
    /// Whether a resume may continue under a config that differs from its checkpoint's.
    private let allowConfigChange: Bool
    /// The changed keys a resume continued under (with `allowConfigChange`), recorded in the metrics.
    public private(set) var configChanges: [String] = []
    /// The sittings whose work this run holds (restored from the checkpoint, then this one).
    public private(set) var sittings: [RunSitting] = []

    /// Prepares a run. With `resume`, the directory's `config.toml` must exist and the newest
    /// checkpoint (if any) is restored; otherwise `config` is written into a new directory.
    /// The network's training footprint (batch and probe batch) must fit `budget`; `source`
    /// names the config in that error (default: the run's config.toml). A resume refuses a
    /// config.toml edited since the checkpoint, naming the changed keys, unless
    /// `allowConfigChange`.
    public init(config: ExperimentConfig, directory: RunDirectory, resume: Bool,
                budget: MemoryBudget = .builtIn, source: String? = nil, allowConfigChange: Bool = false) throws {
        self.config = config
        self.directory = directory
        self.allowConfigChange = allowConfigChange
        try FileSystem.createDirectory(directory.url)
        lock = try RunLock(directory)
        BLAS.setThreads(config.train.threads)
        let (train, test) = try config.data.load(budget: budget)
        let stream = try config.stream.makeStream(train: train, test: test)
        let classification = stream.task(0).train.labels != nil
        let lossKind = try config.loss.resolved(classification: classification)
        guard classification == lossKind.isClassification else {
            throw ConfigError(file: directory.configURL.path,
                              "loss.kind \"\(config.loss.kind)\" does not fit the \(stream.name) stream's \(classification ? "class labels" : "regression targets")")
        }
        var rng = RandomGenerator(seed: config.seed)
        let outputs = lossKind.outputCount(targetWidth: stream.outputWidth)
        let batch = config.train.batchSize, groups = config.diagnostics.groups
        let probe = groups.isEmpty ? 0 : config.diagnostics.probeSize, curvature = groups.contains { $0.hasPrefix("hessian") }
        try budget.check(config.model, inputShape: stream.exampleShape, outputs: outputs, input: "\(source ?? directory.configURL.path): model",
                         usage: "training on batches of \(batch)" + (probe > 0 ? ", diagnostics on \(probe) probe examples" : "")) {
            $0.trainingBytes(batch: batch) + (probe > 0 ? $0.diagnosisBytes(probe: probe, curvature: curvature) : 0)
        }
        let network = try InterventionCatalog.prepare(
            try config.model.build(inputShape: stream.exampleShape, outputs: outputs, rng: &rng), for: config.interventions)
        var options = TrainerOptions()
        options.batchSize = config.train.batchSize
        options.logEvery = config.train.logEvery
        options.evalEvery = config.train.evalEvery
        options.seed = config.seed
        options.gradientClip = config.optimizer.clipNorm > 0 ? Float(config.optimizer.clipNorm) : nil
        options.stopAtTrainAccuracy = config.train.stopAccuracy > 0 ? config.train.stopAccuracy : nil
        options.convergenceCheckEvery = config.train.stopCheckEvery
        totalSteps = (0..<stream.taskCount).reduce(0) { $0 + stream.task($1).steps }
        options.schedule = config.optimizer.learningRateSchedule(totalSteps: totalSteps)
        trainer = Trainer(network: network, optimizer: config.optimizer.make(network, seed: config.seed), stream: stream,
                          loss: lossKind, options: options, rng: rng.split())
        let model = config.model, shape = stream.exampleShape
        let diagnostics = try config.diagnostics.makeHook(stream: stream, loss: lossKind) {
            var fresh = RandomGenerator(seed: config.seed)
            return try model.build(inputShape: shape, outputs: outputs, rng: &fresh)
        }
        trainer.hooks = (diagnostics.map { [$0] } ?? []) + (try InterventionCatalog.make(config.interventions))
        try directory.prepare(resuming: resume)
        if !resume { try FileSystem.write(config.toml, to: directory.configURL) }
    }

    /// Opens a run directory for resuming: reads its resolved `config.toml`.
    public static func resuming(_ directory: RunDirectory, budget: MemoryBudget = .builtIn,
                                allowConfigChange: Bool = false) throws -> ExperimentRun {
        try ExperimentRun(config: try ExperimentConfig.load(path: try directory.existingConfigPath()), directory: directory, resume: true,
                          budget: budget, allowConfigChange: allowConfigChange)
    }

    /// Restores the newest readable checkpoint, if any, and returns the metrics length to
    /// keep. Unreadable checkpoints (damaged on disk) are skipped for older ones and noted.
    private func restoreNewest() throws -> UInt64 {
        try directory.restoreNewestCheckpoint(skipped: &skippedCheckpoints, read: Checkpoint.read) { file, url in
            configChanges = try ConfigFingerprint.checkResume(file.metadata, config: config.toml, configFile: directory.configURL.path,
                                                              checkpoint: url.lastPathComponent, allowed: allowConfigChange)
            let keep = try Checkpoint.restore(trainer, from: file, url: url)
            sittings = RunSitting.decode(file.metadata)
            return keep
        }
    }

    /// Trains to the end of the stream (or until `stop` returns true, or `interrupted` does
    /// at a safe point), writing metrics and checkpoints. Returns the summary once the
    /// stream is finished, the run diverged (NaN/Inf loss or parameter) or it was
    /// interrupted (after writing a final checkpoint); nil if `stop` ended it.
    @discardableResult
    public func run(resume: Bool, stop: @escaping (StreamPosition) -> Bool = { _ in false },
                    interrupted: @escaping () -> Bool = { false },
                    progress: (RunProgress) -> Void = { _ in }) throws -> RunSummary? {
        let keep = resume ? try restoreNewest() : 0
        if resume { try? FileManager.default.removeItem(at: directory.summaryURL) }
        sittings.append(.current(from: trainer.position.globalStep))
        let metrics = try MetricsWriter(url: directory.metricsURL, truncatingTo: keep)
        if !configChanges.isEmpty {
            let p = trainer.position
            try metrics.write(MetricsRecord([("event", .string("config_change")), ("task", .int(p.task + 1)), ("step", .int(p.step)),
                                             ("global_step", .int(p.globalStep)), ("changes", .string(configChanges.joined(separator: "; "))),
                                             ("code_version", .string(BuildInfo.commit))]).jsonLine)
        }
        let events = try EventFileWriter(directory: directory.url, resumedAt: resume ? trainer.position.globalStep : nil)
        let start = Date(), startStep = trainer.position.globalStep
        var lastAccuracy: Double?
        var lastReport = Date.distantPast
        do {
            try trainer.run(until: stop, record: { record in
                try metrics.write(record.jsonLine)
                try events.write(record)
                if record["event"] == .string("task_end") { lastAccuracy = record["train_accuracy"]?.number }
            }, safePoint: { trainer in
                let p = trainer.position
                let atTaskEnd = p.step == 0
                let due = self.config.train.checkpointEvery > 0 && p.globalStep % self.config.train.checkpointEvery == 0
                let stopping = interrupted() && !trainer.isFinished
                if atTaskEnd || due || stopping { try self.checkpoint(bytes: metrics.bytes) }
                if stopping { throw Interruption() }
                let now = Date()
                if now.timeIntervalSince(lastReport) >= 0.5 || atTaskEnd {
                    lastReport = now
                    let elapsed = now.timeIntervalSince(start)
                    // At a task end the position has moved on to the next task (0-based p.task),
                    // whose 1-based number is the finished task's.
                    progress(RunProgress(task: atTaskEnd ? p.task : p.task + 1, tasks: trainer.stream.taskCount,
                                         step: atTaskEnd ? trainer.task.steps : p.step, stepsInTask: trainer.task.steps,
                                         globalStep: p.globalStep, totalSteps: self.totalSteps, loss: trainer.lastLoss,
                                         stepsPerSecond: elapsed > 0 ? Double(p.globalStep - startStep) / elapsed : 0,
                                         lastTaskAccuracy: lastAccuracy))
                }
            })
        } catch let divergence as DivergenceError {
            return try summarize(.diverged, since: start, divergence: divergence)
        } catch is Interruption {
            return try summarize(.interrupted, since: start)
        }
        guard trainer.isFinished else { return nil }
        try trainer.network.saveSafetensors(to: directory.modelURL, metadata: ["format": "pt", "config": config.name])
        return try summarize(.finished, since: start)
    }

    /// Thrown from a safe point to unwind the trainer once an interruption is checkpointed.
    private struct Interruption: Error {}

    private func summarize(_ status: RunSummary.Status, since start: Date, divergence: DivergenceError? = nil) throws -> RunSummary {
        let summary = try RunSummary(status: status, directory: directory, config: config,
                                     parameters: trainer.network.parameterCount, seconds: Date().timeIntervalSince(start),
                                     sittings: sittings, divergence: divergence)
        try summary.write(to: directory.summaryURL)
        return summary
    }

    private func checkpoint(bytes: UInt64) throws {
        try trainer.checkParametersFinite()
        let step = trainer.position.globalStep
        try Checkpoint.save(trainer, metricsBytes: bytes, config: config.toml, sittings: sittings, to: directory.checkpointURL(step: step))
        for old in directory.checkpoints().dropLast(config.train.keepCheckpoints) {
            try? FileManager.default.removeItem(at: old.url)
        }
    }
}

extension OptimizerConfig {
    /// The optimiser over `network`'s parameters.
    func make(_ network: Network, seed: UInt64) -> any Optimizer {
        let storage = network.storage, lr = Float(learningRate), wd = Float(weightDecay)
        switch name {
        case .trac:
            let base = Adam(storage, learningRate: lr, beta1: Float(beta1), beta2: Float(beta2), epsilon: Float(epsilon), weightDecay: wd)
            return TRAC(base: base, storage: storage)
        case .psgdKron:
            return PSGDKron(storage, parameters: network.parameters, learningRate: lr, momentum: Float(momentum), seed: seed)
        case .sgd:
            return SGD(storage, learningRate: lr, momentum: Float(momentum), nesterov: nesterov, weightDecay: wd)
        case .adamw:
            return Adam(storage, learningRate: lr, beta1: Float(beta1), beta2: Float(beta2), epsilon: Float(epsilon),
                        weightDecay: wd, decoupledWeightDecay: true)
        case .adam:
            return Adam(storage, learningRate: lr, beta1: Float(beta1), beta2: Float(beta2), epsilon: Float(epsilon), weightDecay: wd)
        }
    }

    func learningRateSchedule(totalSteps: Int) -> LearningRateSchedule {
        switch schedule {
        case .cosine: .cosine(totalSteps: totalSteps, minimumRate: Float(minimumLearningRate))
        case .step: .step(every: stepEvery, gamma: Float(gamma))
        case .constant: .constant
        }
    }
}
