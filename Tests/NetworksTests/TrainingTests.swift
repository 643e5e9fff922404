import Foundation
import Testing
import Datasets
import Tensors
@testable import Networks

/// End-to-end training on real Fashion-MNIST and bit-exact reproducibility.
@Suite struct TrainingTests {
    static func mlp(seed: UInt64) -> Network {
        var rng = RandomGenerator(seed: seed)
        return Network(Sequential(Linear(784, 256, rng: &rng), Activation(.relu),
                                  Linear(256, 256, rng: &rng), Activation(.relu), Linear(256, 10, rng: &rng)))
    }

    /// The CNN of workload W3.
    static func cnn(seed: UInt64) -> Network {
        var rng = RandomGenerator(seed: seed)
        return Network(Sequential(
            Conv2d(1, 32, kernelSize: 3, padding: 1, rng: &rng), Activation(.relu), MaxPool2d(kernelSize: 2),
            Conv2d(32, 64, kernelSize: 3, padding: 1, rng: &rng), Activation(.relu), MaxPool2d(kernelSize: 2),
            Flatten(), Linear(3136, 128, rng: &rng), Activation(.relu), Linear(128, 10, rng: &rng)))
    }

    /// One pass over `data` in shuffled batches; returns the mean training loss.
    @discardableResult
    static func trainEpoch(_ net: Network, _ opt: any Optimizer, _ data: LabelledDataset, batch: Int,
                           flatten: Bool, seed: UInt64, maxSteps: Int = .max) -> Float {
        var rng = RandomGenerator(seed: seed)
        let order = rng.permutation(data.count)
        let ce = CrossEntropyLoss(), x = Tensor(shape: Shape(0))
        var labels: [Int] = [], total: Float = 0, steps = 0
        for start in stride(from: 0, to: data.count - batch + 1, by: batch) where steps < maxSteps {
            data.fill(order[start..<(start + batch)], inputs: x, labels: &labels)
            if flatten { x.resize(to: Shape(batch, data.exampleSize)) }
            net.zeroGradients()
            total += ce(net.forward(x, mode: .training), labels)
            net.backward(ce.gradient)
            opt.step()
            steps += 1
        }
        return total / Float(steps)
    }

    static func accuracy(_ net: Network, _ data: LabelledDataset, flatten: Bool) -> Double {
        let x = Tensor(shape: Shape(0))
        var labels: [Int] = [], correct = 0
        for start in stride(from: 0, to: data.count, by: 500) {
            let end = min(start + 500, data.count)
            data.fill(Array(start..<end)[...], inputs: x, labels: &labels)
            if flatten { x.resize(to: Shape(end - start, data.exampleSize)) }
            let predicted = argmaxRows(net.forward(x, mode: .evaluation))
            correct += zip(predicted, labels).filter { $0 == $1 }.count
        }
        return Double(correct) / Double(data.count)
    }

    static let train = try! MNISTStyle.load(directory: MNISTStyle.debianFashionMNIST, split: "train")
    static let test = try! MNISTStyle.load(directory: MNISTStyle.debianFashionMNIST, split: "t10k")

    @Test func mlpReaches80PercentAfterOneEpoch() {
        let net = Self.mlp(seed: 0)
        Self.trainEpoch(net, Adam(net.storage), Self.train, batch: 128, flatten: true, seed: 1)
        let acc = Self.accuracy(net, Self.test, flatten: true)
        print("MLP 784-256-256-10, 1 epoch Adam: test accuracy \(acc)")
        #expect(acc >= 0.80)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PLASTICITY_LONG_TESTS"] != nil))
    func cnnReaches85PercentAfterOneEpoch() {
        let net = Self.cnn(seed: 0)
        Self.trainEpoch(net, Adam(net.storage), Self.train, batch: 128, flatten: false, seed: 1)
        let acc = Self.accuracy(net, Self.test, flatten: false)
        print("CNN (W3), 1 epoch Adam: test accuracy \(acc)")
        #expect(acc >= 0.85)
    }

    @Test func sameSeedGivesBitIdenticalParametersAfter100Steps() {
        let data = Self.train.prefix(100 * 32)
        func run() -> [Float] {
            let net = Self.mlp(seed: 42)
            Self.trainEpoch(net, SGD(net.storage, learningRate: 0.05, momentum: 0.9), data, batch: 32,
                            flatten: true, seed: 7, maxSteps: 100)
            return net.parameterVector()
        }
        let a = run(), b = run()
        #expect(a.count == 269_322)
        #expect(a.elementsEqual(b) { $0.bitPattern == $1.bitPattern })
        #expect(a != Self.mlp(seed: 42).parameterVector())
    }

    @Test func cnnTrainsOnASubset() {
        let net = Self.cnn(seed: 3)
        let subset = Self.train.prefix(1024)
        let first = Self.trainEpoch(net, Adam(net.storage), subset, batch: 64, flatten: false, seed: 2)
        let third = (0..<2).map { Self.trainEpoch(net, Adam(net.storage), subset, batch: 64, flatten: false, seed: UInt64($0)) }.last!
        #expect(third < first * 0.7, "loss \(first) → \(third)")
    }
}
