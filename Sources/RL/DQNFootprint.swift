import Tensors

extension DQNSettings {
    /// Estimated bytes of a DQN agent for `channels` input channels and `actions` actions,
    /// counted before anything is allocated: the online and target Q-networks with
    /// gradients and two Adam moments (5 Float32 copies of P parameters), every layer output
    /// of a batch for both networks, and the replay buffer (two bit-packed observations, an
    /// action, a reward and a terminal flag per transition):
    /// 20·P + 2·4·B·A + R·(16·⌈100·C/64⌉ + 9).
    public func estimatedBytes(channels: Int, actions: Int) -> Double {
        let c = Double(convolutionChannels), h = Double(hiddenWidth), k = Double(actions * loss.outputCount(targetWidth: 1))
        let activations = 3 * 64 * c + 3 * h + k
        let words = Double((100 * channels + 63) / 64)
        return 20 * estimatedParameters(channels: channels, actions: actions) + 2 * 4 * Double(batchSize) * activations
            + Double(replayCapacity) * (16 * words + 9)
    }

    /// The Q-network's parameter count P (`QNetwork.make`), in Double so no width overflows.
    public func estimatedParameters(channels: Int, actions: Int) -> Double {
        let c = Double(convolutionChannels), h = Double(hiddenWidth), k = Double(actions * loss.outputCount(targetWidth: 1))
        let norms = norm == .layernorm ? 2 * (64 * c + h) : 0
        return Double(channels) * 9 * c + c + 64 * c * h + h + h * k + k + norms
    }
}
