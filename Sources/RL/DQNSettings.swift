import Networks

/// The DQN agent's hyper-parameters. Defaults follow MinAtar's DQN (Young & Tian 2019: replay
/// 100 000, batch 32, γ 0.99, target copy every 1000 updates, ε 1 → 0.1 over 100 000 frames,
/// 5000 frames before learning, one update per frame) with Adam instead of RMSProp.
public struct DQNSettings: Sendable, Equatable {
    public var gamma: Float = 0.99
    public var batchSize = 32
    public var replayCapacity = 100_000
    /// Frames of ε = 1 play before the first update.
    public var learningStarts = 5000
    /// Frames (environment steps of the whole batch count once per environment) per update.
    public var trainEvery = 1
    /// Updates between copies of the online network into the target network.
    public var targetUpdateEvery = 1000
    public var epsilonStart: Float = 1
    public var epsilonEnd: Float = 0.1
    /// Frames over which ε falls linearly from `epsilonStart` to `epsilonEnd` (counted from 0).
    public var epsilonFrames = 100_000
    public var learningRate: Float = 1e-4
    /// Adam's ε.
    public var adamEpsilon: Float = 1e-8
    /// Decoupled weight decay λ (AdamW) when > 0.
    public var weightDecay: Float = 0
    /// Double DQN (van Hasselt et al. 2016): the online network picks a′, the target network values it.
    public var doubleDQN = true
    /// How the Q-network is trained: Huber on Q(s, a) − y (Mnih et al. 2015), or
    /// cross-entropy against a two-hot or HL-Gauss distribution of y (Farebrother et al.
    /// 2024), Q being the mean of each action's predicted distribution; the network has
    /// `loss.outputCount(targetWidth: 1)` outputs per action.
    public var loss: LossKind = .huber(delta: 1)
    /// The `LossKind` names the DQN trains with (`validate` rejects the others).
    public static let lossNames = ["huber", "two-hot", "hl-gauss"]
    /// Normalisation inside the W4 network.
    public var norm: Architecture.Norm = .none
    /// Hidden width of the W4 network's Linear layer.
    public var hiddenWidth = 128
    /// Channels of the W4 network's convolution.
    public var convolutionChannels = 16

    public init() {}

    /// ε after `frame` frames of the linear schedule.
    public func epsilon(atFrame frame: Int) -> Float {
        if frame >= epsilonFrames { return epsilonEnd }
        return epsilonStart + (epsilonEnd - epsilonStart) * Float(frame) / Float(Swift.max(epsilonFrames, 1))
    }

    /// Throws a `DQNSettingError` naming the first invalid setting by its `[dqn]` key.
    public func validate() throws {
        func check(_ ok: Bool, _ key: String, _ problem: @autoclosure () -> String) throws {
            if !ok { throw DQNSettingError(key: key, problem: problem()) }
        }
        try check(learningRate > 0 && learningRate.isFinite, "lr", "must be > 0, got \(learningRate)")
        try check(adamEpsilon > 0, "adam_eps", "must be > 0, got \(adamEpsilon)")
        try check(weightDecay >= 0, "weight_decay", "must be ≥ 0, got \(weightDecay)")
        try check((0...1).contains(gamma), "gamma", "must be in [0, 1], got \(gamma)")
        try check((0...1).contains(epsilonStart), "epsilon_start", "must be in [0, 1], got \(epsilonStart)")
        try check((0...1).contains(epsilonEnd), "epsilon_end", "must be in [0, 1], got \(epsilonEnd)")
        try check(epsilonFrames >= 0, "epsilon_frames", "must be ≥ 0, got \(epsilonFrames)")
        try check(batchSize > 0, "batch", "must be ≥ 1, got \(batchSize)")
        try check(replayCapacity >= batchSize, "replay", "must hold at least one batch (\(batchSize)), got \(replayCapacity)")
        try check(learningStarts >= 0, "learning_starts", "must be ≥ 0, got \(learningStarts)")
        try check(trainEvery > 0, "train_every", "must be ≥ 1, got \(trainEvery)")
        try check(targetUpdateEvery > 0, "target_update", "must be ≥ 1, got \(targetUpdateEvery)")
        try check(norm != .batchnorm, "norm", "'batchnorm' is not supported for the DQN (valid: none, layernorm)")
        try check(hiddenWidth > 0, "hidden", "must be ≥ 1, got \(hiddenWidth)")
        try check(convolutionChannels > 0, "conv_channels", "must be ≥ 1, got \(convolutionChannels)")
        switch loss {
        case .huber: break
        case .distributional(_, let lo, let hi, let bins):
            try check(hi > lo, "value_range", "the distributional support needs max > min, got [\(lo), \(hi)]")
            try check(bins >= 2, "bins", "must be ≥ 2, got \(bins)")
        case .crossEntropy, .mse: try check(false, "loss", "must be huber, two-hot or hl-gauss for the DQN")
        }
    }
}

/// An invalid DQN setting: its key in an RL config's `[dqn]` table (the `rl` flag of the same
/// name) and what is wrong with its value, so a config error can name the key and its line.
public struct DQNSettingError: Error, CustomStringConvertible, Equatable {
    public let key: String
    public let problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "\(key): \(problem)" }
}
