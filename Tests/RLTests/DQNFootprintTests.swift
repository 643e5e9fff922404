import Testing
import Tensors
@testable import RL

/// The DQN estimate counts the Q-network's parameters exactly and the replay buffer per
/// transition, without building either.
@Suite struct DQNFootprintTests {
    @Test(arguments: [(4, 3, false), (10, 6, true), (7, 18, false)])
    func parametersEqualTheBuiltQNetwork(channels: Int, actions: Int, layerNorm: Bool) {
        var s = DQNSettings()
        s.hiddenWidth = 24
        s.convolutionChannels = 5
        s.norm = layerNorm ? .layernorm : .none
        var rng = RandomGenerator(seed: 0)
        let network = QNetwork.make(channels: channels, actions: actions, settings: s, rng: &rng)
        #expect(s.estimatedParameters(channels: channels, actions: actions) == Double(network.parameterCount))
    }

    /// Each transition stores two bit-packed 400-value observations (7 words each), an
    /// action, a reward and a terminal flag: 2·7·8 + 4 + 4 + 1 = 121 bytes.
    @Test func replayBytesPerTransition() {
        var small = DQNSettings(), large = DQNSettings()
        small.replayCapacity = 1000
        large.replayCapacity = 2000
        #expect(large.estimatedBytes(channels: 4, actions: 3) - small.estimatedBytes(channels: 4, actions: 3) == 1000 * 121)
    }
}
