import Foundation
import Networks
import Tensors

/// Deep Q-learning (Mnih et al. 2015) with a target network, uniform experience replay,
/// ε-greedy exploration, optional Double DQN (van Hasselt et al. 2016), a Huber or
/// distributional (two-hot / HL-Gauss, Farebrother et al. 2024) loss, and Adam.
///
/// One update: draw B transitions, y = r + γ (1 − terminal) Q_target(s′, a′) with
/// a′ = argmax_a Q_online(s′, a) (Double DQN) or argmax_a Q_target(s′, a); then a gradient step
/// on L(Q_online(s, a), y). Every `targetUpdateEvery` updates θ_target ← θ_online.
/// All batch tensors are allocated once; an update allocates nothing.
///
/// ```swift
/// let agent = try DQNAgent(channels: 4, actions: 3, settings: DQNSettings(), seed: 0)
/// agent.remember(envs)            // after each batch step
/// let loss = agent.update()       // once enough frames are stored
/// ```
public final class DQNAgent {
    public let settings: DQNSettings
    public let channels: Int
    public let actionCount: Int
    public let online: Network
    public let target: Network
    public let optimizer: Adam
    public let replay: ReplayBuffer
    /// Gradient updates done.
    public internal(set) var updates = 0
    /// Randomness for exploration and replay sampling.
    public var rng: RandomGenerator
    /// The last sampled batch of states [B, C, 10, 10] (hooks such as ReDo read it).
    public let states = Tensor(shape: Shape(0))
    private let nextStates = Tensor(shape: Shape(0))
    private let observationShape: Shape
    private var batchActions: [Int]
    private var batchRewards: [Float]
    private var batchTerminals: [Bool]
    private var targets: [Float]
    private var bestNext: [Int]
    private let huber: HuberLoss?
    private let distributional: DistributionalRegressionLoss?
    /// Q-values [rows, A] computed from a distributional head.
    private let expected = Tensor(shape: Shape(0))
    private let takenLogits = Tensor(shape: Shape(0))
    private let outputGradient = Tensor(shape: Shape(0))
    private var greedy: [Int] = []

    public init(channels: Int, actions: Int, settings: DQNSettings, seed: UInt64) throws {
        try settings.validate()
        self.settings = settings
        self.channels = channels
        actionCount = actions
        var initRNG = RandomGenerator(seed: seed, stream: 1)
        online = QNetwork.make(channels: channels, actions: actions, settings: settings, rng: &initRNG)
        target = QNetwork.make(channels: channels, actions: actions, settings: settings, rng: &initRNG)
        optimizer = Adam(online.storage, learningRate: settings.learningRate, epsilon: settings.adamEpsilon,
                         weightDecay: settings.weightDecay, decoupledWeightDecay: true)
        observationShape = Shape(channels, 10, 10)
        replay = ReplayBuffer(capacity: settings.replayCapacity, observationSize: channels * 100)
        rng = RandomGenerator(seed: seed, stream: 2)
        let b = settings.batchSize
        batchActions = [Int](repeating: 0, count: b)
        batchRewards = [Float](repeating: 0, count: b)
        batchTerminals = [Bool](repeating: false, count: b)
        targets = [Float](repeating: 0, count: b)
        bestNext = [Int](repeating: 0, count: b)
        switch settings.loss {
        case .huber(let delta):
            huber = HuberLoss(delta: delta)
            distributional = nil
        case .distributional(let kind, let lo, let hi, let bins):
            huber = nil
            distributional = DistributionalRegressionLoss(kind, minimum: lo, maximum: hi, bins: bins)
        case .crossEntropy, .mse:
            preconditionFailure("DQNSettings.validate admits only huber and distributional losses")
        }
        synchronizeTarget()
    }

    /// θ_target ← θ_online.
    public func synchronizeTarget() {
        target.storage.values.update(from: online.storage.values, count: online.storage.count)
    }

    /// Q-values [N, A] of `output`: the output itself, or each action's expected bin centre.
    private func qValues(_ output: Tensor) -> Tensor {
        guard let d = distributional else { return output }
        let n = output.shape[0], k = d.bins
        expected.resize(to: Shape(n, actionCount))
        let z = output.data, q = expected.data
        d.centers.withUnsafeBufferPointer { c in
            for row in 0..<(n * actionCount) {
                let logits = z + row * k
                var m = logits[0]
                for j in 1..<k { m = Swift.max(m, logits[j]) }
                var sum: Float = 0, weighted: Float = 0
                for j in 0..<k { let e = Foundation.exp(logits[j] - m); sum += e; weighted += e * c[j] }
                q[row] = weighted / sum
            }
        }
        return expected
    }

    /// The greedy action index of each row of `observations` [N, C, 10, 10].
    public func greedyActions(_ observations: Tensor) -> [Int] {
        let q = qValues(online.forward(observations, mode: .evaluation))
        let n = q.shape[0]
        if greedy.count != n { greedy = [Int](repeating: 0, count: n) }
        for i in 0..<n {
            let row = q.data + i * actionCount
            var best = 0
            for a in 1..<actionCount where row[a] > row[best] { best = a }
            greedy[i] = best
        }
        return greedy
    }

    /// ε-greedy actions for every environment into `actions` (the network runs only if some
    /// environment acts greedily).
    public func act(_ observations: Tensor, epsilon: Float, into actions: inout [Int]) {
        var needsGreedy = false
        for i in actions.indices {
            if rng.uniform() < epsilon { actions[i] = rng.below(actionCount) } else { actions[i] = -1; needsGreedy = true }
        }
        guard needsGreedy else { return }
        let best = greedyActions(observations)
        for i in actions.indices where actions[i] < 0 { actions[i] = best[i] }
    }

    /// Stores the transitions of one batch step: `before` holds the observations the actions
    /// were chosen on; `envs` the rewards, terminals and the observations after the step.
    public func remember(before: Tensor, actions: [Int], envs: any EnvironmentBatch) {
        let size = channels * 100
        precondition(envs.channelCount == channels, "environment has \(envs.channelCount) channels, agent \(channels)")
        for i in 0..<envs.count {
            replay.add(observation: before.data + i * size, action: actions[i], reward: envs.rewards[i],
                       terminal: envs.terminals[i], nextObservation: envs.observations.data + i * size)
        }
    }

    /// Samples a batch and computes the gradient of the TD loss into the online network's
    /// gradient buffer (no parameter change); returns the loss.
    public func computeGradients() -> Float {
        sampleBatch()
        return computeTDGradients()
    }

    /// Samples a replay batch into `states` and computes its TD targets y (from the target
    /// network, and the online network's choice of a′ for double DQN).
    private func sampleBatch() {
        replay.sample(rng: &rng, observationShape: observationShape, states: states, actions: &batchActions,
                      rewards: &batchRewards, terminals: &batchTerminals, nextStates: nextStates)
        let b = settings.batchSize
        if settings.doubleDQN {
            let q = qValues(online.forward(nextStates, mode: .evaluation))
            for i in 0..<b {
                let row = q.data + i * actionCount
                var best = 0
                for a in 1..<actionCount where row[a] > row[best] { best = a }
                bestNext[i] = best
            }
        }
        let qTarget = qValues(target.forward(nextStates, mode: .evaluation))
        for i in 0..<b {
            let row = qTarget.data + i * actionCount
            var value = row[0]
            if settings.doubleDQN {
                value = row[bestNext[i]]
            } else {
                for a in 1..<actionCount { value = Swift.max(value, row[a]) }
            }
            targets[i] = batchRewards[i] + (batchTerminals[i] ? 0 : settings.gamma * value)
        }
    }

    /// Zeroes the online network's gradients and computes the TD loss of the sampled batch
    /// against its targets (held fixed: no new sample, no new y) and its gradient at the
    /// online network's current parameters; returns the loss. Hooks call it through
    /// `TrainingContext.computeGradients` (SAM re-evaluates at a perturbed point).
    public func computeTDGradients() -> Float {
        let b = settings.batchSize
        online.zeroGradients()
        let output = online.forward(states, mode: .training)
        let loss: Float
        if let huber {
            loss = huber(output, actions: batchActions, targets: targets)
            online.backward(huber.gradient, inputGradient: false)
        } else {
            let d = distributional!, k = d.bins
            takenLogits.resize(to: Shape(b, k))
            for i in 0..<b { (takenLogits.data + i * k).update(from: output.data + (i * actionCount + batchActions[i]) * k, count: k) }
            loss = d(takenLogits, targets)
            outputGradient.resize(to: output.shape)
            outputGradient.fill(0)
            for i in 0..<b {
                (outputGradient.data + (i * actionCount + batchActions[i]) * k).update(from: d.gradient.data + i * k, count: k)
            }
            online.backward(outputGradient, inputGradient: false)
        }
        return loss
    }

    /// Applies the optimiser step for the gradients in the buffer and counts the update,
    /// copying the online network into the target network when due.
    public func applyUpdate() {
        optimizer.step()
        updates += 1
        if updates % settings.targetUpdateEvery == 0 { synchronizeTarget() }
    }
}
