import Networks
import Tensors

/// How the probe task is built and trained.
public struct ProbeTaskSettings: Sendable, Equatable {
    /// What the probe task asks the network to fit.
    public enum Target: String, Sendable, CaseIterable {
        /// MSE regression to the outputs (evaluation mode) of a network of the same architecture
        /// freshly drawn from the probe seed.
        case freshNetworkOutputs = "fresh_outputs"
        /// Cross-entropy on uniform random labels over the network's outputs.
        case randomLabels = "random_labels"
    }

    public var target: Target = .freshNetworkOutputs
    /// Adam steps.
    public var steps = 500
    /// Examples per step (capped at the probe size); batches are consecutive slices of a
    /// seeded permutation per epoch, remainder dropped.
    public var batchSize = 64
    /// Adam learning rate (β = 0.9, 0.999, ε = 1e-8, no weight decay).
    public var learningRate: Float = 1e-3
    /// Seeds the fresh draw (stream 1), the targets (stream 2) and the batch order (stream 3 + epoch).
    public var seed: UInt64 = 0

    public init() {}
}

/// Probe-task plasticity (Lyle et al. 2023, "Understanding plasticity in neural networks"):
/// copy the network, train the copy for a fixed budget on a fresh probe task, and compare the
/// loss it reaches with that of a freshly initialised network trained identically:
///
/// - `probe.loss`: final mean loss of the trained copy on the probe inputs (evaluation mode);
/// - `probe.loss_fresh`: the same for a fresh network;
/// - `probe.plasticity_loss` = `probe.loss − probe.loss_fresh` (> 0: the network lost plasticity).
///
/// `makeNetwork` builds the architecture (e.g. `{ try arch.build(inputShape:outputs:rng:) }`);
/// the copy then loads `network`'s state dict, and the fresh and target networks have every
/// Linear/Conv2d weight and bias re-drawn from their initialiser with the probe seed, so the
/// result depends only on (network, inputs, settings), never on the factory's own randomness.
/// Normalisation layers keep the factory's fresh values (γ = 1, β = 0, running statistics at
/// their defaults). Training uses training-mode forwards (BatchNorm batch statistics).
///
/// `probe.loss_fresh` depends only on (architecture, inputs, settings); a caller measuring
/// the same probe repeatedly passes the first result as `freshLoss` and skips that half of
/// the cost (the scheduled `probe` group does).
public func probeTaskPlasticity(of network: Network, makeNetwork: () throws -> Network, inputs: Tensor,
                                settings: ProbeTaskSettings = ProbeTaskSettings(),
                                freshLoss: Double? = nil) throws -> DiagnosticValues {
    let n = inputs.shape[0]
    precondition(n > 0 && settings.steps >= 0 && settings.batchSize > 0, "probe task needs inputs, steps ≥ 0 and a positive batch size")
    let copy = try makeNetwork()
    try copy.load(network.stateDict())

    var targetRandom = RandomGenerator(seed: settings.seed, stream: 2)
    let task: ProbeTask
    switch settings.target {
    case .freshNetworkOutputs:
        let teacher = try makeNetwork()
        try redrawUnitLayers(of: teacher, rng: &targetRandom)
        task = ProbeTask(inputs: inputs, targets: .values(teacher.forward(inputs, mode: .evaluation).copy()), loss: .mse)
    case .randomLabels:
        let classes = copy.forward(inputs, mode: .evaluation).shape.trailingCount
        task = ProbeTask(inputs: inputs, targets: .labels((0..<n).map { _ in targetRandom.below(classes) }), loss: .crossEntropy())
    }
    let loss = task.train(copy, settings: settings)
    let baseline = try freshLoss ?? {
        let fresh = try makeNetwork()
        var freshRandom = RandomGenerator(seed: settings.seed, stream: 1)
        try redrawUnitLayers(of: fresh, rng: &freshRandom)
        return task.train(fresh, settings: settings)
    }()
    var values = DiagnosticValues()
    values.set("probe.loss", loss)
    values.set("probe.loss_fresh", baseline)
    values.set("probe.plasticity_loss", loss - baseline)
    return values
}

/// Re-draws every Linear/Conv2d weight and bias from the layer's own initialiser, as its
/// constructor does (PyTorch default: U(±1/√fan_in)); normalisation layers keep their values.
func redrawUnitLayers(of network: Network, rng: inout RandomGenerator) throws {
    for case let (_, layer as any UnitLayer) in network.namedLayers { try layer.reinitialize(using: &rng) }
}

/// A probe dataset (inputs and targets) that trains a network with Adam and reports its final loss.
private struct ProbeTask {
    let inputs: Tensor
    let targets: ProbeBatch.Targets
    let loss: LossKind

    /// Trains `network` for `settings.steps` Adam steps and returns its mean loss on all inputs.
    func train(_ network: Network, settings: ProbeTaskSettings) -> Double {
        let n = inputs.shape[0], batch = Swift.min(settings.batchSize, n), perEpoch = n / batch
        let optimizer = Adam(network.storage, learningRate: settings.learningRate)
        let objective = TrainingLoss(loss)
        let batchInputs = Tensor(shape: Shape(0)), batchValues = Tensor(shape: Shape(0))
        var batchLabels: [Int] = [], order: [Int] = []
        for step in 0..<settings.steps {
            let epoch = step / perEpoch, first = (step % perEpoch) * batch
            if step % perEpoch == 0 {
                var r = RandomGenerator(seed: settings.seed, stream: 3 + UInt64(epoch))
                order = r.permutation(n)
            }
            let rows = order[first..<(first + batch)]
            gatherRows(inputs, rows, into: batchInputs)
            switch targets {
            case .labels(let labels): batchLabels = rows.map { labels[$0] }
            case .values(let values): gatherRows(values, rows, into: batchValues)
            }
            network.zeroGradients()
            let output = network.forward(batchInputs, mode: .training)
            _ = objective(output, labels: batchLabels, values: batchValues)
            network.backward(objective.gradient, inputGradient: false)
            optimizer.step()
        }
        let output = network.forward(inputs, mode: .evaluation)
        return Double(ProbeBatch(inputs: inputs, targets: targets, loss: loss).evaluate(objective, output: output))
    }
}

/// Copies rows `rows` of `source` ([N, …]) into `batch`, resized to [rows.count, …].
private func gatherRows(_ source: Tensor, _ rows: ArraySlice<Int>, into batch: Tensor) {
    var dims = source.shape.dimensions
    dims[0] = rows.count
    batch.resize(to: Shape(dims))
    let width = source.shape.trailingCount, src = source.data, dst = batch.data
    for (i, r) in rows.enumerated() { (dst + i * width).update(from: src + r * width, count: width) }
}
