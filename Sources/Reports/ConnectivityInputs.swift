import Connectivity
import Datasets
import Experiments
import Foundation
import Networks
import Tensors

/// The network and evaluation data a connectivity analysis needs, built from an experiment
/// config's `[model]` and `[data]` exactly as `plasticity run` builds them.
public struct ConnectivityInputs {
    /// An untrained network of the config's architecture for `data`'s examples and classes,
    /// once its estimate (three networks: A, B and the interpolation, evaluated on batches of
    /// `batchSize`) fits `budget`; `source` names the architecture's origin in that error.
    public static func network(_ config: ExperimentConfig, for data: LabelledDataset, batchSize: Int = 500,
                               budget: MemoryBudget = .builtIn, source: String = "model") throws -> Network {
        try budget.check(config.model, inputShape: data.exampleShape, outputs: data.classCount, input: source,
                         usage: "three networks evaluated on batches of \(batchSize)") {
            $0.trainingBytes(batch: batchSize) + 8 * $0.parameters
        }
        var rng = RandomGenerator(seed: 0)
        return try config.model.build(inputShape: data.exampleShape, outputs: data.classCount, rng: &rng)
    }

    /// The config's base training data (its first `trainLimit` examples) and held-out data
    /// (first `testLimit`), as classification sets; file headers must fit `budget`.
    public static func evaluationSets(_ data: DataConfig, trainLimit: Int?, testLimit: Int?, budget: MemoryBudget = .builtIn) throws
        -> (train: EvaluationSet, test: EvaluationSet?, dataset: LabelledDataset) {
        let (train, test) = try data.load(budget: budget)
        return (EvaluationSet(name: "train", dataset: train, limit: trainLimit),
                test.map { EvaluationSet(name: "test", dataset: $0, limit: testLimit) }, train)
    }

    /// The resolved `config.toml` of the run directory holding `checkpoint`
    /// (`RUN/model.safetensors` or `RUN/checkpoints/step-N.safetensors`), if there is one.
    public static func runConfig(near checkpoint: URL) -> URL? {
        let parent = checkpoint.deletingLastPathComponent()
        for dir in [parent, parent.deletingLastPathComponent()] {
            let config = RunDirectory(dir.path).configURL
            if FileManager.default.fileExists(atPath: config.path) { return config }
        }
        return nil
    }
}
