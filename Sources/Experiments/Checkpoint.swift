import Foundation
import Networks
import Tensors
import Training

/// Everything needed to continue a run bit-identically, in one safetensors file:
/// the network's state dict under its own names (`layers.0.weight`, …), optimiser state as
/// `optimizer.<name>` flat vectors, hook state as `hook.<hook>.<key>`, and in the metadata
/// the stream position, the optimiser's step count, the trainer RNG, the length of
/// `metrics.jsonl` at that point, the BLAS thread count and kernel, the run's sittings
/// (`RunSitting`), and the resolved config
/// (its text and SHA-256) with the code version, so a resume can refuse a changed config.
public struct Checkpoint {
    public static let format = "plasticitylab-checkpoint-1"

    /// Writes the trainer's full state to `url` (atomically); `config` is the run's resolved
    /// config text, `sittings` the sittings whose work the state holds.
    public static func save(_ trainer: Trainer, metricsBytes: UInt64, config: String, sittings: [RunSitting], to url: URL) throws {
        var entries = trainer.network.stateDict()
        for (name, values) in trainer.optimizer.stateVectors() {
            entries.append(StateEntry(name: "optimizer.\(name)", tensor: Tensor(shape: Shape(values.count), values: values)))
        }
        for hook in trainer.hooks {
            for (key, values) in hook.checkpointState().sorted(by: { $0.key < $1.key }) {
                entries.append(StateEntry(name: "hook.\(hook.name).\(key)", tensor: Tensor(shape: Shape(values.count), values: values)))
            }
        }
        let p = trainer.position
        let metadata = ConfigFingerprint.metadata(config).merging([
            "format": format, "task": String(p.task), "step": String(p.step), "global_step": String(p.globalStep),
            "optimizer_steps": String(trainer.optimizer.stepCount), "learning_rate": String(trainer.optimizer.learningRate),
            "rng_state": String(trainer.rng.state), "rng_increment": String(trainer.rng.increment),
            "metrics_bytes": String(metricsBytes), "task_loss_sum": "\(trainer.taskLossSum)", "blas_threads": String(BLAS.threads), "blas_core": BLAS.coreName,
            RunSitting.metadataKey: RunSitting.encode(sittings),
        ]) { own, _ in own }
        try SafetensorsFile(stateDict: entries, metadata: metadata).write(to: url)
    }

    /// Reads `url` and checks that it is a readable PlasticityLab checkpoint, without
    /// touching any trainer (so a damaged file can be skipped for an older one).
    public static func read(_ url: URL) throws -> SafetensorsFile {
        let file = try SafetensorsFile.read(contentsOf: url)
        guard file.metadata["format"] == format else {
            throw ConfigError(file: url.path, "not a PlasticityLab checkpoint (format \(file.metadata["format"] ?? "missing"))")
        }
        return file
    }

    /// Restores the trainer from `file`, read from `url` by `read`; returns the
    /// `metrics.jsonl` length to truncate to.
    static func restore(_ trainer: Trainer, from file: SafetensorsFile, url: URL) throws -> UInt64 {
        func meta<T: LosslessStringConvertible>(_ key: String) throws -> T {
            guard let s = file.metadata[key], let v = T(s) else {
                throw ConfigError(file: url.path, "checkpoint metadata '\(key)' is missing or malformed")
            }
            return v
        }
        let position = StreamPosition(task: try meta("task"), step: try meta("step"), globalStep: try meta("global_step"))
        let tasks = trainer.stream.taskCount
        let stepsInTask = position.task < tasks && position.task >= 0 ? trainer.stream.task(position.task).steps : 0
        guard position.task >= 0, position.task <= tasks, position.step >= 0, position.step <= stepsInTask,
              position.globalStep >= position.step else {
            throw ConfigError(file: url.path, "checkpoint position (task \(position.task), step \(position.step), global step \(position.globalStep)) does not fit this run's \(tasks)-task stream")
        }
        let threads: Int = try meta("blas_threads")
        if threads != BLAS.threads {
            throw ConfigError(file: url.path, "written with \(threads) BLAS thread(s), resuming with \(BLAS.threads): results would differ; set train.threads = \(threads)")
        }
        let entries = try file.stateEntries(), network = file.networkEntries(of: entries)
        // Older vector-mlp checkpoints: hook state is keyed by the same layer names.
        let rename = trainer.network.legacyRenaming(of: network.map(\.name)) ?? { $0 }
        do { try trainer.network.load(network, strict: true) } catch {
            throw ConfigError(file: url.path, "\(error)")
        }
        let optimizerState = entries.filter { $0.name.hasPrefix("optimizer.") }
            .map { (name: String($0.name.dropFirst("optimizer.".count)), values: $0.tensor.values) }
        try trainer.optimizer.loadStateVectors(optimizerState, stepCount: try meta("optimizer_steps"))
        trainer.optimizer.learningRate = try meta("learning_rate")
        for hook in trainer.hooks {
            let prefix = "hook.\(hook.name)."
            var state: [String: [Float]] = [:]
            for e in entries where e.name.hasPrefix(prefix) { state[rename(String(e.name.dropFirst(prefix.count)))] = e.tensor.values }
            try hook.restore(state)
        }
        trainer.rng = RandomGenerator(state: try meta("rng_state"), increment: try meta("rng_increment"))
        trainer.taskLossSum = try meta("task_loss_sum")
        trainer.restore(position: position)
        return try meta("metrics_bytes")
    }
}
