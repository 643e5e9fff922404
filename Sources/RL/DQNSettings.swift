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

    /// Throws an `RLError` naming the first invalid field.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw RLError(message) } }
        try check(gamma >= 0 && gamma <= 1, "gamma \(gamma) must be in [0, 1]")
        try check(batchSize > 0, "batch size \(batchSize) must be positive")
        try check(replayCapacity >= batchSize, "replay capacity \(replayCapacity) must hold at least one batch (\(batchSize))")
        try check(learningStarts >= 0 && trainEvery > 0 && targetUpdateEvery > 0,
                  "learning-starts must be ≥ 0, train-every and target-update-every positive")
        try check((0...1).contains(epsilonStart) && (0...1).contains(epsilonEnd) && epsilonFrames >= 0,
                  "epsilon values must be in [0, 1] and epsilon frames ≥ 0")
        try check(learningRate > 0 && learningRate.isFinite, "learning rate \(learningRate) must be positive")
        try check(weightDecay >= 0, "weight decay \(weightDecay) must be ≥ 0")
        try check(norm != .batchnorm, "norm 'batchnorm' is not supported for the DQN (valid: none, layernorm)")
        try check(hiddenWidth > 0 && convolutionChannels > 0, "network widths must be positive")
        switch loss {
        case .huber: break
        case .distributional(_, let lo, let hi, let bins):
            try check(hi > lo && bins >= 2, "distributional support needs max > min and ≥ 2 bins")
        case .crossEntropy, .mse: try check(false, "loss must be huber, two-hot or hl-gauss for the DQN")
        }
    }
}
