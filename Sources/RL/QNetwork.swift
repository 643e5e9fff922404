import Networks
import Tensors

/// The W4 Q-network of `../shared/bench/workloads.md` (MinAtar's DQN network, Young & Tian
/// 2019), generalised to C input channels, A actions and k outputs per action:
/// `Conv2d(C, 16, 3) → [norm] → ReLU → Flatten → Linear(16·8·8, 128) → [norm] → ReLU →
/// Linear(128, A·k)`, where `norm` is nothing or `nn.LayerNorm` over the conv feature map
/// [16, 8, 8] and over the 128 hidden units. State-dict names `layers.<i>.weight` as a PyTorch
/// `nn.Sequential`.
public enum QNetwork {
    /// Builds the network with PyTorch-default initialisation from `rng`.
    public static func make(channels: Int, actions: Int, settings: DQNSettings, rng: inout RandomGenerator) -> Network {
        let conv = settings.convolutionChannels, hidden = settings.hiddenWidth
        let layerNorm = settings.norm == .layernorm
        var layers: [any Layer] = [Conv2d(channels, conv, kernelSize: 3, rng: &rng)]
        if layerNorm { layers.append(LayerNorm(Shape(conv, 8, 8))) }
        layers += [Activation(.relu), Flatten(), Linear(conv * 64, hidden, rng: &rng)]
        if layerNorm { layers.append(LayerNorm(hidden)) }
        layers += [Activation(.relu), Linear(hidden, actions * settings.loss.outputCount(targetWidth: 1), rng: &rng)]
        return Network(Sequential(layers))
    }
}
