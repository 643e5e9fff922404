import Diagnostics
import Foundation
import Interventions
import Networks
import Streams
import Training

/// A complete, resolved experiment: what `plasticity run config.toml` trains. Every field has
/// a default, so a config only states what differs; `toml` writes all of them back out, and
/// that resolved file is what a run directory stores and resumes from.
///
/// ```toml
/// seed = 0
/// [data]
/// dataset = "fashion-mnist"
/// [stream]
/// protocol = "random-labels"
/// tasks = 10
/// steps_per_task = 500
/// [model]
/// arch = "mlp"
/// widths = [256, 256]
/// norm = "layernorm"
/// [optimizer]
/// name = "adamw"
/// lr = 1e-3
/// weight_decay = 1e-4
/// ```
public struct ExperimentConfig: Equatable, Sendable {
    /// A label for reports.
    public var name = "experiment"
    /// Seeds the network's initialisation, the stream and the batch order.
    public var seed: UInt64 = 0
    public var data = DataConfig()
    public var stream = StreamSpec(.randomLabels)
    public var model = try! Architecture(family: .mlp)
    public var optimizer = OptimizerConfig()
    public var loss = LossConfig()
    public var train = TrainConfig()
    /// Interventions applied in list order (`[[interventions]]`).
    public var interventions: [InterventionSpec] = []
    public var diagnostics = DiagnosticsConfig()

    public init() {}
}

/// Which base dataset a stream draws from.
public struct DataConfig: Equatable, Sendable {
    /// fashion-mnist | mnist (IDX files in `dir`) | cifar10 | cifar100 (binary files in `dir`) |
    /// mnist1d | gaussian-clusters (generated from `seed`) | npy (`inputs`/`labels` files).
    public var dataset = "fashion-mnist"
    /// Directory of the files ("" = the dataset's default location).
    public var directory = ""
    /// Generated datasets: examples per split, seed, and (gaussian-clusters) classes and dimension.
    public var count = 5000
    public var seed: UInt64 = 0
    public var classes = 10
    public var dimension = 20
    /// npy: training inputs [N, …] and integer labels [N]; optional held-out pair.
    public var inputs = ""
    public var labels = ""
    public var testInputs = ""
    public var testLabels = ""
    public static let datasets = ["fashion-mnist", "mnist", "cifar10", "cifar100", "mnist1d", "gaussian-clusters", "npy"]

    /// The default dataset (Fashion-MNIST from its Debian location), or `dataset` with defaults.
    public init(dataset: String = "fashion-mnist") { self.dataset = dataset }
}

/// Which diagnostic groups run during training, how often, and on what probe batch.
public struct DiagnosticsConfig: Equatable, Sendable {
    /// Group names (units, preactivations, parameters, features, probe, hessian, entk,
    /// interference); empty = no diagnostics.
    public var groups: [String] = []
    /// Measure every this many steps (0: only at task ends).
    public var every = 0
    public var atTaskEnds = true
    /// Probe examples: the first `probe_size` training examples of task 1 (with their targets),
    /// or the inputs of `probe_file` (an .npy array [N, …]).
    public var probeSize = 256
    public var probeFile = ""
    /// The `probe` group's task: "fresh_outputs" (MSE to a fresh network's outputs) or
    /// "random_labels" (cross-entropy on uniform random labels), trained for `probeSteps`
    /// Adam steps (research spec section 2, Lyle et al. 2023).
    public var probeTarget = ProbeTaskSettings.Target.freshNetworkOutputs.rawValue
    public var probeSteps = 500
    /// Most Hutchinson samples of the `hessian` group (one Hessian-vector product each).
    public var traceSamples = 30
}

/// The optimiser and its hyper-parameters (PyTorch names and defaults).
public struct OptimizerConfig: Equatable, Sendable {
    /// The optimiser, as `[optimizer] name` spells it.
    public enum Kind: String, CaseIterable, Sendable {
        case sgd, adam, adamw
        /// TRAC around Adam.
        case trac
        case psgdKron = "psgd-kron"
    }

    /// The learning-rate schedule, as `[optimizer] schedule` spells it.
    public enum Schedule: String, CaseIterable, Sendable {
        case constant, cosine, step
    }

    public var name = Kind.adam
    public var learningRate = 1e-3
    public var momentum = 0.0
    public var nesterov = false
    public var weightDecay = 0.0
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var epsilon = 1e-8
    public var schedule = Schedule.constant
    public var minimumLearningRate = 0.0
    public var stepEvery = 1000
    public var gamma = 0.1
    /// Global gradient-norm clip (0 = off).
    public var clipNorm = 0.0
}

/// The training loss; "auto" picks cross-entropy for classes and MSE for regression.
public struct LossConfig: Equatable, Sendable {
    /// auto | cross-entropy | mse | huber | two-hot | hl-gauss.
    public var kind = "auto"
    public var labelSmoothing = 0.0
    public var delta = 1.0
    public var bins = 51
    public var minimum = -10.0
    public var maximum = 10.0
    /// HL-Gauss σ (0 = 0.75 × bin width).
    public var sigma = 0.0
    public static let kinds = ["auto"] + LossKind.names

    /// The loss for a stream whose targets are classes (or regression values).
    public func resolved(classification: Bool) throws -> LossKind {
        let name = kind != "auto" ? kind : classification ? "cross-entropy" : "mse"
        return try LossKind(name: name, labelSmoothing: Float(labelSmoothing), delta: Float(delta), minimum: Float(minimum),
                            maximum: Float(maximum), bins: bins, sigma: sigma > 0 ? Float(sigma) : nil)
    }
}

/// Batching, logging, evaluation and checkpointing.
public struct TrainConfig: Equatable, Sendable {
    public var batchSize = 128
    public var logEvery = 50
    public var evalEvery = 0
    /// Write a checkpoint every this many steps (0: only at task ends).
    public var checkpointEvery = 500
    /// Checkpoints kept on disk (older ones are deleted).
    public var keepCheckpoints = 2
    /// OpenBLAS threads; results are bit-identical only for the same count.
    public var threads = 1
    /// Train each task to convergence: end it once its training accuracy reaches this value,
    /// checked every `stopCheckEvery` steps (`steps_per_task` is then a cap); 0 = off.
    public var stopAccuracy = 0.0
    public var stopCheckEvery = 50
}

extension ExperimentConfig {
    /// Reads and validates a config file.
    public static func load(path: String) throws -> ExperimentConfig {
        guard FileManager.default.fileExists(atPath: path) else { throw ConfigError(file: path, "no such file") }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, "cannot read the file as UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses TOML text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> ExperimentConfig {
        let root = try ConfigReader(text: text, file: file)
        var c = ExperimentConfig()
        c.name = try root.string("name", c.name)
        c.seed = UInt64(try root.int("seed", 0, min: 0))

        let data = try root.table("data")
        c.data.dataset = try data.choice("dataset", c.data.dataset, DataConfig.datasets)
        c.data.directory = try data.string("dir", c.data.directory)
        c.data.count = try data.int("count", c.data.count, min: 1, max: ConfigLimits.examples)
        c.data.seed = UInt64(try data.int("seed", 0, min: 0))
        c.data.classes = try data.int("classes", c.data.classes, min: 2, max: ConfigLimits.classes)
        c.data.dimension = try data.int("dimension", c.data.dimension, min: 1, max: ConfigLimits.width)
        c.data.inputs = try data.string("inputs", c.data.inputs)
        c.data.labels = try data.string("labels", c.data.labels)
        c.data.testInputs = try data.string("test_inputs", c.data.testInputs)
        c.data.testLabels = try data.string("test_labels", c.data.testLabels)
        if c.data.count * c.data.dimension > ConfigLimits.generatedValues {
            throw data.error("dimension", "count × dimension = \(c.data.count * c.data.dimension) values exceeds \(ConfigLimits.generatedValues)")
        }
        if c.data.dataset == "npy" && (c.data.inputs.isEmpty || c.data.labels.isEmpty) {
            throw data.error("inputs", "the npy dataset needs data.inputs and data.labels")
        }
        if ["cifar10", "cifar100"].contains(c.data.dataset) && c.data.directory.isEmpty {
            throw data.error("dir", "\(c.data.dataset) needs data.dir (the folder of its binary files)")
        }
        try data.finish()

        let s = try root.table("stream")
        let protocolName = try s.choice("protocol", c.stream.protocolName.rawValue, StreamProtocol.allCases.map(\.rawValue))
        var spec = StreamSpec(StreamProtocol(rawValue: protocolName)!)
        spec.tasks = try s.int("tasks", spec.tasks, min: 1, max: ConfigLimits.tasks)
        spec.stepsPerTask = try s.int("steps_per_task", spec.stepsPerTask, min: 1, max: ConfigLimits.steps)
        spec.subset = try s.int("subset", spec.subset, min: 0, max: ConfigLimits.examples)
        spec.testSubset = try s.int("test_subset", spec.testSubset, min: 0, max: ConfigLimits.examples)
        spec.seed = UInt64(try s.int("seed", Int(c.seed), min: 0))
        spec.fraction = try s.double("fraction", spec.fraction)
        spec.shiftPerTask = Float(try s.double("shift_per_task", Double(spec.shiftPerTask)))
        spec.classesPerTask = try s.int("classes_per_task", spec.classesPerTask, min: 1, max: ConfigLimits.classes)
        spec.firstTaskSteps = try s.int("first_task_steps", spec.firstTaskSteps, min: 0, max: ConfigLimits.steps)
        try s.finish()
        c.stream = spec

        let m = try root.table("model")
        let family = try m.choice("arch", "mlp", Architecture.Family.allCases.map(\.rawValue))
        let widths = try m.intArray("widths", nil)
        if let w = widths?.first(where: { $0 > ConfigLimits.width }) {
            throw m.error("widths", "width \(w) exceeds \(ConfigLimits.width)")
        }
        let activation = try m.string("activation", "relu")
        let norm = try m.choice("norm", "none", Architecture.Norm.allCases.map(\.rawValue))
        let blocks = try m.int("blocks_per_stage", 1, min: 1, max: ConfigLimits.blocks)
        do {
            c.model = try Architecture(family: Architecture.Family(rawValue: family)!, widths: widths, activation: activation,
                                       norm: Architecture.Norm(rawValue: norm)!, blocksPerStage: blocks)
        } catch let e as ArchitectureError {
            throw m.error(e.field, e.message)
        }
        try m.finish()

        let o = try root.table("optimizer")
        c.optimizer.name = try o.choice("name", c.optimizer.name)
        c.optimizer.learningRate = try o.double("lr", c.optimizer.learningRate)
        c.optimizer.momentum = try o.double("momentum", c.optimizer.momentum)
        c.optimizer.nesterov = try o.bool("nesterov", c.optimizer.nesterov)
        c.optimizer.weightDecay = try o.double("weight_decay", c.optimizer.weightDecay)
        c.optimizer.beta1 = try o.double("beta1", c.optimizer.beta1)
        c.optimizer.beta2 = try o.double("beta2", c.optimizer.beta2)
        c.optimizer.epsilon = try o.double("eps", c.optimizer.epsilon)
        c.optimizer.schedule = try o.choice("schedule", c.optimizer.schedule)
        c.optimizer.minimumLearningRate = try o.double("min_lr", c.optimizer.minimumLearningRate)
        c.optimizer.stepEvery = try o.int("step_every", c.optimizer.stepEvery, min: 1)
        c.optimizer.gamma = try o.double("gamma", c.optimizer.gamma)
        c.optimizer.clipNorm = try o.double("clip_norm", c.optimizer.clipNorm)
        guard c.optimizer.learningRate > 0 else { throw o.error("lr", "must be > 0, got \(c.optimizer.learningRate)") }
        if c.optimizer.nesterov && c.optimizer.momentum <= 0 { throw o.error("nesterov", "needs momentum > 0") }
        try o.finish()

        let l = try root.table("loss")
        c.loss.kind = try l.choice("kind", c.loss.kind, LossConfig.kinds)
        c.loss.labelSmoothing = try l.double("label_smoothing", c.loss.labelSmoothing)
        c.loss.delta = try l.double("delta", c.loss.delta)
        c.loss.bins = try l.int("bins", c.loss.bins, min: 2, max: ConfigLimits.classes)
        c.loss.minimum = try l.double("min", c.loss.minimum)
        c.loss.maximum = try l.double("max", c.loss.maximum)
        c.loss.sigma = try l.double("sigma", c.loss.sigma)
        if c.loss.maximum <= c.loss.minimum { throw l.error("max", "must exceed loss.min") }
        if c.loss.labelSmoothing < 0 || c.loss.labelSmoothing >= 1 { throw l.error("label_smoothing", "must be in [0, 1)") }
        try l.finish()

        let t = try root.table("train")
        c.train.batchSize = try t.int("batch_size", c.train.batchSize, min: 1, max: ConfigLimits.batch)
        c.train.logEvery = try t.int("log_every", c.train.logEvery, min: 0)
        c.train.evalEvery = try t.int("eval_every", c.train.evalEvery, min: 0)
        c.train.checkpointEvery = try t.int("checkpoint_every", c.train.checkpointEvery, min: 0)
        c.train.keepCheckpoints = try t.int("keep_checkpoints", c.train.keepCheckpoints, min: 1)
        c.train.threads = try t.int("threads", c.train.threads, min: 1, max: ConfigLimits.threads)
        c.train.stopAccuracy = try t.double("stop_accuracy", c.train.stopAccuracy)
        c.train.stopCheckEvery = try t.int("stop_check_every", c.train.stopCheckEvery, min: 1, max: ConfigLimits.steps)
        if !(0...1).contains(c.train.stopAccuracy) { throw t.error("stop_accuracy", "must be in [0, 1] (0 = off), got \(c.train.stopAccuracy)") }
        try t.finish()

        c.interventions = try root.interventionSpecs()

        let d = try root.table("diagnostics")
        let groups = try d.stringArray("groups", [])
        for g in groups where !DiagnosticsConfig.groupNames.contains(g) {
            throw d.error("groups", "unknown group \"\(g)\" (choose from: \(DiagnosticsConfig.groupNames.joined(separator: ", ")))")
        }
        c.diagnostics.groups = groups
        c.diagnostics.every = try d.int("every", c.diagnostics.every, min: 0)
        c.diagnostics.atTaskEnds = try d.bool("at_task_ends", c.diagnostics.atTaskEnds)
        c.diagnostics.probeSize = try d.int("probe_size", c.diagnostics.probeSize, min: 1, max: ConfigLimits.batch)
        c.diagnostics.probeFile = try d.string("probe_file", c.diagnostics.probeFile)
        c.diagnostics.probeTarget = try d.choice("probe_target", c.diagnostics.probeTarget,
                                                 ProbeTaskSettings.Target.allCases.map(\.rawValue))
        c.diagnostics.probeSteps = try d.int("probe_steps", c.diagnostics.probeSteps, min: 0, max: ConfigLimits.steps)
        c.diagnostics.traceSamples = try d.int("trace_samples", c.diagnostics.traceSamples, min: 2, max: 100_000)
        try d.finish()

        try root.finish()
        return c
    }
}
