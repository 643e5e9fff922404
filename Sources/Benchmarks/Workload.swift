import Networks
import Tensors

/// One peer benchmark workload (`../shared/bench/workloads.md`): a network, an optimiser and a
/// closure that runs one full training step (forward, loss, backward, update) on fixed data.
public struct Workload {
    public let name: String
    public let summary: String
    /// Multiply-adds ×2 of the GEMM-shaped work in one step (forward + both backward GEMMs).
    public let flopsPerStep: Double
    public let step: () -> Float

    /// W1–W5 with random data from `seed`.
    public static func all(seed: UInt64 = 0) -> [Workload] {
        var rng = RandomGenerator(seed: seed)
        return [w1(&rng, layerNorm: false), w1(&rng, layerNorm: true), w3(&rng), w4(&rng), w5(&rng)]
    }

    private static func randomTensor(_ shape: Shape, _ rng: inout RandomGenerator) -> Tensor {
        let t = Tensor(shape: shape)
        rng.fillNormal(t.buffer)
        return t
    }

    private static func classification(_ net: Network, _ opt: any Optimizer, _ x: Tensor, _ labels: [Int]) -> () -> Float {
        let ce = CrossEntropyLoss()
        return {
            net.zeroGradients()
            let loss = ce(net.forward(x, mode: .training), labels)
            net.backward(ce.gradient, inputGradient: false)
            opt.step()
            return loss
        }
    }

    /// W1 (MLP 784-256-256-256-10, ReLU, SGD) or W2 (the same with LayerNorm, AdamW).
    private static func w1(_ rng: inout RandomGenerator, layerNorm: Bool) -> Workload {
        let widths = [784, 256, 256, 256, 10]
        var layers: [any Layer] = []
        for i in 0..<(widths.count - 1) {
            layers.append(Linear(widths[i], widths[i + 1], rng: &rng))
            if i < widths.count - 2 {
                if layerNorm { layers.append(LayerNorm(widths[i + 1])) }
                layers.append(Activation(.relu))
            }
        }
        let net = Network(Sequential(layers))
        let opt: any Optimizer = layerNorm ? Adam.adamW(net.storage, learningRate: 1e-3, weightDecay: 1e-4)
                                           : SGD(net.storage, learningRate: 0.01)
        let x = randomTensor(Shape(128, 784), &rng)
        let labels = (0..<128).map { _ in rng.below(10) }
        let macs = zip(widths.dropLast(), widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 } * 128
        return Workload(name: layerNorm ? "W2" : "W1",
                        summary: layerNorm ? "MLP+LayerNorm b128 AdamW" : "MLP b128 SGD",
                        flopsPerStep: Double(macs) * 2 * 3, step: classification(net, opt, x, labels))
    }

    /// W3: the 1×28×28 CNN, batch 128, Adam.
    private static func w3(_ rng: inout RandomGenerator) -> Workload {
        let net = Network(Sequential(
            Conv2d(1, 32, kernelSize: 3, padding: 1, rng: &rng), Activation(.relu), MaxPool2d(kernelSize: 2),
            Conv2d(32, 64, kernelSize: 3, padding: 1, rng: &rng), Activation(.relu), MaxPool2d(kernelSize: 2),
            Flatten(), Linear(3136, 128, rng: &rng), Activation(.relu), Linear(128, 10, rng: &rng)))
        let x = randomTensor(Shape(128, 1, 28, 28), &rng)
        let labels = (0..<128).map { _ in rng.below(10) }
        let macs = 128 * (32 * 9 * 784 + 64 * 288 * 196 + 3136 * 128 + 128 * 10)
        return Workload(name: "W3", summary: "CNN b128 Adam", flopsPerStep: Double(macs) * 2 * 3,
                        step: classification(net, Adam(net.storage), x, labels))
    }

    /// W4: the DQN network on 4×10×10 inputs, batch 32, Adam, Huber on the taken action's Q.
    private static func w4(_ rng: inout RandomGenerator) -> Workload {
        let net = Network(Sequential(
            Conv2d(4, 16, kernelSize: 3, rng: &rng), Activation(.relu), Flatten(),
            Linear(1024, 128, rng: &rng), Activation(.relu), Linear(128, 6, rng: &rng)))
        let opt = Adam(net.storage)
        let x = randomTensor(Shape(32, 4, 10, 10), &rng)
        let actions = (0..<32).map { _ in rng.below(6) }
        let targets = (0..<32).map { _ in rng.normal() }
        let huber = HuberLoss()
        let macs = 32 * (16 * 36 * 64 + 1024 * 128 + 128 * 6)
        return Workload(name: "W4", summary: "DQN net b32 Adam", flopsPerStep: Double(macs) * 2 * 3) {
            net.zeroGradients()
            let loss = huber(net.forward(x, mode: .training), actions: actions, targets: targets)
            net.backward(huber.gradient, inputGradient: false)
            opt.step()
            return loss
        }
    }

    /// W5: MLP 32-64-64-1 with tanh, batch 32, SGD, MSE.
    private static func w5(_ rng: inout RandomGenerator) -> Workload {
        let net = Network(Sequential(Linear(32, 64, rng: &rng), Activation(.tanh), Linear(64, 64, rng: &rng),
                                     Activation(.tanh), Linear(64, 1, rng: &rng)))
        let opt = SGD(net.storage, learningRate: 0.01)
        let x = randomTensor(Shape(32, 32), &rng), y = randomTensor(Shape(32, 1), &rng)
        let mse = MSELoss()
        let macs = 32 * (32 * 64 + 64 * 64 + 64)
        return Workload(name: "W5", summary: "tiny MLP b32 SGD", flopsPerStep: Double(macs) * 2 * 3) {
            net.zeroGradients()
            let loss = mse(net.forward(x, mode: .training), y)
            net.backward(mse.gradient, inputGradient: false)
            opt.step()
            return loss
        }
    }
}
