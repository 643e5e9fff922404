import Testing
import Tensors
import Training
import Curvature
@testable import Diagnostics
@testable import Networks

/// Hessian-vector products against central differences of Double gradients.
@Suite struct HessianVectorProductTests {
    let tolerance = 1e-6

    private func check(_ network: Network, _ probe: ProbeBatch, mode: Mode = .evaluation,
                       seed: UInt64 = 1) throws -> (hvp: Double, gradient: Double) {
        let hvp = try HessianVectorProduct(network: network, probe: probe, mode: mode)
        let v = CurvatureMath.randomDirection(hvp.dimension, seed: seed)
        let exact = hvp(v)
        let numeric = try CurvatureMath.finiteDifferenceHVP(network, probe, mode: mode, v)
        let float = CurvatureMath.floatGradient(network, probe, mode: mode)
        return (CurvatureMath.relativeError(exact, numeric), CurvatureMath.relativeError(hvp.gradient, float))
    }

    @Test(arguments: ["relu", "leaky_relu", "tanh", "sigmoid", "gelu", "identity", "crelu", "fourier"])
    func mlpWithLayerNorm(activation: String) throws {
        var rng = RandomGenerator(seed: 21)
        let act: any Layer = switch activation {
        case "relu": Activation(.relu)
        case "leaky_relu": Activation(.leakyReLU())
        case "tanh": Activation(.tanh)
        case "sigmoid": Activation(.sigmoid)
        case "gelu": Activation(.gelu)
        case "identity": Activation(.identity)
        case "fourier": FourierActivation()
        default: CReLU()
        }
        let width = activation == "crelu" || activation == "fourier" ? 16 : 8
        let net = Network(Sequential(Flatten(), Linear(6, 8, rng: &rng), LayerNorm(8), act,
                                     Linear(width, 7, rng: &rng), Activation(.tanh), Linear(7, 4, rng: &rng)))
        CurvatureMath.perturbNormalizations(net, seed: 3)
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(10, 2, 3), seed: 4),
                               targets: .labels(CurvatureMath.randomLabels(10, classes: 4, seed: 5)),
                               loss: .crossEntropy(labelSmoothing: 0.1))
        let e = try check(net, probe)
        #expect(e.hvp < tolerance, "\(activation): \(e)")
        #expect(e.gradient < 1e-5, "\(activation): \(e)")
    }

    @Test func cnnWithStridedPaddedConvAndMaxPool() throws {
        var rng = RandomGenerator(seed: 22)
        let net = Network(Sequential(Conv2d(2, 3, kernelSize: 3, stride: 2, padding: 1, rng: &rng), Activation(.relu),
                                     MaxPool2d(kernelSize: 2), Flatten(), Linear(12, 3, rng: &rng)))
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(5, 2, 8, 8), seed: 6),
                               targets: .values(CurvatureMath.normalTensor(Shape(5, 3), seed: 7)), loss: .mse)
        let e = try check(net, probe)
        #expect(e.hvp < tolerance, "\(e)")
        #expect(e.gradient < 1e-5, "\(e)")
    }

    @Test func residualCnnWithBatchNormTrainingAndPools() throws {
        var rng = RandomGenerator(seed: 23)
        let body = Sequential(Conv2d(4, 4, kernelSize: 3, padding: 1, rng: &rng), BatchNorm(4), Activation(.gelu),
                              Conv2d(4, 4, kernelSize: 3, padding: 1, rng: &rng))
        let net = Network(Sequential(Conv2d(2, 4, kernelSize: 3, padding: 1, rng: &rng), BatchNorm(4), Activation(.tanh),
                                     Residual(body), Residual(Activation(.sigmoid), shortcut: Conv2d(4, 4, kernelSize: 1, rng: &rng)),
                                     AvgPool2d(kernelSize: 3, stride: 2, padding: 1), GlobalAvgPool2d(), Linear(4, 3, rng: &rng)))
        CurvatureMath.perturbNormalizations(net, seed: 8)
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(3, 2, 6, 6), seed: 9),
                               targets: .values(CurvatureMath.normalTensor(Shape(3, 3), seed: 10)), loss: .huber(delta: 0.5))
        let e = try check(net, probe, mode: .training)
        #expect(e.hvp < tolerance, "\(e)")
        #expect(e.gradient < 1e-4, "\(e)")
    }

    @Test(arguments: [Mode.training, .evaluation])
    func mlpWithBatchNorm(mode: Mode) throws {
        var rng = RandomGenerator(seed: 24)
        let bn = BatchNorm(6)
        let net = Network(Sequential(Linear(5, 6, rng: &rng), bn, Activation(.tanh), Linear(6, 3, rng: &rng)))
        CurvatureMath.perturbNormalizations(net, seed: 11)
        var r = RandomGenerator(seed: 12)
        r.fillNormal(bn.runningMean.tensor.buffer, std: 0.2)
        r.fillUniform(bn.runningVariance.tensor.buffer, 0.5, 2)
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(8, 5), seed: 13),
                               targets: .values(CurvatureMath.normalTensor(Shape(8, 3), seed: 14)), loss: .mse)
        let e = try check(net, probe, mode: mode)
        #expect(e.hvp < tolerance, "\(mode): \(e)")
        #expect(e.gradient < 1e-5, "\(mode): \(e)")
    }

    @Test func distributionalLoss() throws {
        var rng = RandomGenerator(seed: 25)
        let net = Network(Sequential(Linear(4, 6, rng: &rng), Activation(.gelu), Linear(6, 2 * 11, rng: &rng)))
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(6, 4), seed: 15),
                               targets: .values(CurvatureMath.normalTensor(Shape(6, 2), seed: 16)),
                               loss: .distributional(.hlGauss(sigma: nil), minimum: -3, maximum: 3, bins: 11))
        let e = try check(net, probe)
        #expect(e.hvp < tolerance, "\(e)")
        #expect(e.gradient < 1e-5, "\(e)")
    }

    /// A layer without an R-operator.
    final class Doubler: Layer {
        var lastInput: Tensor?
        var lastOutput: Tensor?
        func forward(_ input: Tensor, mode: Mode) -> Tensor { input }
        func backward(_ outputGradient: Tensor) -> Tensor { outputGradient }
    }

    @Test func unsupportedLayerIsNamed() {
        var rng = RandomGenerator(seed: 26)
        let net = Network(Sequential(Linear(3, 3, rng: &rng), Doubler()))
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(2, 3), seed: 1), targets: .labels([0, 1]))
        #expect(throws: CurvatureError("Hessian-vector product: layer layers.1 of type Doubler is not supported")) {
            _ = try HessianVectorProduct(network: net, probe: probe)
        }
    }

    @Test func leavesTheNetworkUntouched() throws {
        var rng = RandomGenerator(seed: 27)
        let bn = BatchNorm(4)
        let net = Network(Sequential(Linear(3, 4, rng: &rng), bn, Activation(.relu), Linear(4, 2, rng: &rng)))
        net.storage.gradientBuffer.update(repeating: 0.25)
        let before = (net.parameterVector(), bn.runningMean.tensor.values, bn.runningVariance.tensor.values, bn.batchesTracked.tensor.values)
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(5, 3), seed: 2), targets: .labels([0, 1, 1, 0, 1]))
        let hvp = try HessianVectorProduct(network: net, probe: probe, mode: .training)
        _ = hvp(CurvatureMath.randomDirection(hvp.dimension, seed: 3))
        #expect(net.parameterVector() == before.0 && bn.runningMean.tensor.values == before.1)
        #expect(bn.runningVariance.tensor.values == before.2 && bn.batchesTracked.tensor.values == before.3)
        #expect(net.storage.gradientBuffer.allSatisfy { $0 == 0.25 })
        #expect(hvp.productCount == 1)
    }

    @Test func blockOperatorIsTheDiagonalBlock() throws {
        var rng = RandomGenerator(seed: 28)
        let net = Network(Sequential(Linear(3, 4, rng: &rng), LayerNorm(4), Activation(.tanh), Linear(4, 2, rng: &rng)))
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(6, 3), seed: 4), targets: .labels([0, 1, 1, 0, 1, 0]))
        let hvp = try HessianVectorProduct(network: net, probe: probe)
        #expect(hvp.blocks.map(\.name) == ["layers.0", "layers.1", "layers.3"])
        #expect(hvp.blocks.map(\.range) == [0..<16, 16..<24, 24..<34])
        let h = CurvatureMath.explicitMatrix(hvp.symmetricOperator), p = hvp.dimension
        let block = hvp.blocks[1], b = CurvatureMath.explicitMatrix(hvp.symmetricOperator(restrictedTo: block))
        var worst = 0.0
        for (i, gi) in block.range.enumerated() {
            for (j, gj) in block.range.enumerated() { worst = max(worst, abs(b[i * block.range.count + j] - h[gi * p + gj])) }
        }
        #expect(worst < 1e-12)
    }
}
