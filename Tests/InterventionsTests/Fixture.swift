import Datasets
import Networks
import Streams
import Tensors
@testable import Training
@testable import Interventions

/// A tiny training setup shared by the intervention tests: 64 examples of 4 features in 4
/// classes (feature c is 3 for class c, as in TrainerTests), streamed as label permutations.
enum Fixture {
    static let data: LabelledDataset = {
        var inputs = [Float](repeating: 0, count: 64 * 4)
        for i in 0..<64 { inputs[i * 4 + i % 4] = 3 }
        for i in 0..<64 { inputs[i * 4 + (i + 1) % 4] = Float(i % 7) * 0.1 }
        return LabelledDataset(exampleShape: Shape(4), inputs: inputs, labels: (0..<64).map { $0 % 4 }, classCount: 4)
    }()

    /// Linear(4, h) → act → Linear(h, 4), PyTorch-default initialisation from `seed`.
    static func mlp(hidden: Int = 8, seed: UInt64 = 1, activation: any Layer = Activation(.relu)) -> Network {
        var rng = RandomGenerator(seed: seed)
        return Network(Sequential(Linear(4, hidden, rng: &rng), activation, Linear(hidden, 4, rng: &rng)))
    }

    /// Linear(4, h) → relu → Linear(h, h) → relu → Linear(h, 4).
    static func deepMLP(hidden: Int = 8, seed: UInt64 = 1) -> Network {
        var rng = RandomGenerator(seed: seed)
        return Network(Sequential(Linear(4, hidden, rng: &rng), Activation(.relu), Linear(hidden, hidden, rng: &rng),
                                  Activation(.relu), Linear(hidden, 4, rng: &rng)))
    }

    /// A trainer over `tasks` label-permutation tasks of `steps` steps, batch 16.
    static func trainer(_ network: Network = mlp(), tasks: Int = 2, steps: Int = 10, lr: Float = 0.05,
                        optimizer: ((ParameterStorage) -> any Optimizer)? = nil,
                        hooks: [any TrainingHook] = []) throws -> Trainer {
        var spec = StreamSpec(.labelPermutation)
        spec.tasks = tasks
        spec.stepsPerTask = steps
        spec.subset = 0
        let stream = try spec.makeStream(train: data, test: nil)
        var options = TrainerOptions()
        options.batchSize = 16
        options.logEvery = 0
        let opt = optimizer?(network.storage) ?? SGD(network.storage, learningRate: lr)
        let t = Trainer(network: network, optimizer: opt, stream: stream, loss: .crossEntropy(), options: options)
        t.hooks = hooks
        return t
    }

    /// Loads batch 0 and computes its gradients, as the trainer does before its hooks.
    static func prepareStep(_ t: Trainer) {
        t.loadBatch(step: 0)
        t.computeGradients()
    }
}

extension Trainer {
    /// Runs until `globalStep` steps are done.
    func train(steps: Int) throws {
        try run(until: { $0.globalStep >= steps }, record: { _ in })
    }

    var gradients: [Float] { Array(network.storage.gradientBuffer) }
}

/// The largest absolute elementwise difference.
func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
