import Testing
import Tensors
@testable import Networks

/// Every layer's backward pass against central finite differences (relative error < 1e-3).
@Suite struct LayerGradientTests {
    let tolerance = 1e-3

    @Test func linear() {
        var rng = RandomGenerator(seed: 11)
        let e = checkGradients(Linear(5, 4, rng: &rng), input: randomInput(Shape(3, 5)))
        #expect(e.worst < tolerance, "\(e)")
        #expect(e.parameters.keys.sorted() == ["bias", "weight"])
    }

    @Test func linearWithoutBias() {
        var rng = RandomGenerator(seed: 12)
        let e = checkGradients(Linear(5, 4, bias: false, rng: &rng), input: randomInput(Shape(3, 5)))
        #expect(e.worst < tolerance, "\(e)")
        #expect(e.parameters.keys.sorted() == ["weight"])
    }

    @Test(arguments: [(3, 1, 1), (3, 2, 1), (1, 1, 0), (2, 2, 0), (3, 1, 0)])
    func conv2d(kernel: Int, stride: Int, padding: Int) {
        var rng = RandomGenerator(seed: 13)
        let conv = Conv2d(3, 4, kernelSize: kernel, stride: stride, padding: padding, rng: &rng)
        let e = checkGradients(conv, input: randomInput(Shape(2, 3, 7, 6)))
        #expect(e.worst < tolerance, "k\(kernel) s\(stride) p\(padding): \(e)")
    }

    @Test func maxPool() {
        let e = checkGradients(MaxPool2d(kernelSize: 2), input: distinctInput(Shape(2, 3, 6, 6)))
        #expect(e.worst < tolerance, "\(e)")
        let strided = checkGradients(MaxPool2d(kernelSize: 3, stride: 2, padding: 1), input: distinctInput(Shape(1, 2, 7, 7)))
        #expect(strided.worst < tolerance, "\(strided)")
        let odd = checkGradients(MaxPool2d(kernelSize: 2), input: distinctInput(Shape(2, 2, 7, 5)))
        #expect(odd.worst < tolerance, "\(odd)")
    }

    @Test func maxPoolRoutesTiesToTheFirstMaximumAndKeepsNaN() {
        // One 4×4 plane: windows with a tie, a later strict maximum, a NaN first, and −∞.
        let x = Tensor(shape: Shape(1, 1, 4, 4), values: [
            2, 2, 1, 5,
            2, 2, 7, 5,
            .nan, 3, -.infinity, -.infinity,
            9, 3, -.infinity, -.infinity,
        ])
        let pool = MaxPool2d(kernelSize: 2)
        let y = pool.forward(x, mode: .training)
        #expect(y[0, 0, 0, 0] == 2 && y[0, 0, 0, 1] == 7 && y[0, 0, 1, 0].isNaN && y[0, 0, 1, 1] == -.infinity)
        let dx = pool.backward(Tensor(shape: Shape(1, 1, 2, 2), values: [1, 2, 3, 4]))
        #expect(dx.values == [1, 0, 0, 0, 0, 0, 2, 0, 3, 0, 4, 0, 0, 0, 0, 0])
        let zeros = pool.backward(Tensor(shape: Shape(1, 1, 2, 2), values: [-0.0, -0.0, -0.0, -0.0]))
        #expect(zeros.values.allSatisfy { $0.bitPattern == 0 }, "dx = 0 + dy turns −0 into +0")
    }

    @Test func avgPool() {
        let e = checkGradients(AvgPool2d(kernelSize: 3, stride: 2, padding: 1), input: randomInput(Shape(2, 2, 7, 6)))
        #expect(e.worst < tolerance, "\(e)")
    }

    @Test func globalAvgPool() {
        let e = checkGradients(GlobalAvgPool2d(), input: randomInput(Shape(2, 3, 4, 5)))
        #expect(e.worst < tolerance, "\(e)")
    }

    @Test func flatten() {
        let e = checkGradients(Flatten(), input: randomInput(Shape(2, 3, 2, 2)))
        #expect(e.worst < tolerance, "\(e)")
    }

    @Test func layerNorm() {
        let ln = LayerNorm(6)
        var rng = RandomGenerator(seed: 5)
        rng.fillNormal(ln.weight.valueBuffer, mean: 1, std: 0.3)
        rng.fillNormal(ln.bias.valueBuffer, std: 0.3)
        let e = checkGradients(ln, input: randomInput(Shape(4, 6)), h: 1e-2)
        #expect(e.worst < tolerance, "\(e)")
        let spatial = checkGradients(LayerNorm(Shape(2, 3, 3)), input: randomInput(Shape(2, 2, 3, 3)))
        #expect(spatial.worst < tolerance, "\(spatial)")
    }

    @Test func batchNormTraining() {
        let bn = BatchNorm(3)
        var rng = RandomGenerator(seed: 6)
        rng.fillNormal(bn.weight.valueBuffer, mean: 1, std: 0.3)
        rng.fillNormal(bn.bias.valueBuffer, std: 0.3)
        let flat = checkGradients(bn, input: randomInput(Shape(5, 3)), mode: .training)
        #expect(flat.worst < tolerance, "\(flat)")
        let spatial = checkGradients(BatchNorm(3), input: randomInput(Shape(2, 3, 3, 2)), mode: .training)
        #expect(spatial.worst < tolerance, "\(spatial)")
    }

    @Test func batchNormEvaluation() {
        let bn = BatchNorm(3)
        _ = bn.forward(randomInput(Shape(8, 3), seed: 9), mode: .training)
        let e = checkGradients(bn, input: randomInput(Shape(4, 3)), mode: .evaluation)
        #expect(e.worst < tolerance, "\(e)")
    }

    @Test(arguments: [ActivationFunction.relu, .leakyReLU(), .tanh, .sigmoid, .gelu, .identity])
    func activation(_ f: ActivationFunction) {
        let e = checkGradients(Activation(f), input: randomInput(Shape(3, 7), margin: 0.05))
        #expect(e.worst < tolerance, "\(f): \(e)")
    }

    @Test func creluGradientAndShape() {
        let layer = CReLU()
        let x = randomInput(Shape(2, 3, 2, 2), margin: 0.05)
        #expect(layer.forward(x, mode: .training).shape == Shape(2, 6, 2, 2))
        let e = checkGradients(layer, input: x)
        #expect(e.worst < tolerance, "\(e)")
    }

    @Test func residualBlock() {
        var rng = RandomGenerator(seed: 21)
        let body = Sequential(Conv2d(2, 4, kernelSize: 3, stride: 2, padding: 1, bias: false, rng: &rng), BatchNorm(4),
                              Activation(.tanh), Conv2d(4, 4, kernelSize: 3, padding: 1, rng: &rng))
        let block = Residual(body, shortcut: Conv2d(2, 4, kernelSize: 1, stride: 2, rng: &rng))
        // Through BatchNorm and tanh the central-difference error is O(h²): 1.1e-3 at h = 1e-2,
        // 2.7e-4 at 5e-3, 5e-5 at 2e-3 (measured), so this deeper block uses a smaller step.
        let e = checkGradients(block, input: randomInput(Shape(2, 2, 5, 5)), h: 3e-3)
        #expect(e.worst < tolerance, "\(e)")
        let identity = Residual(Sequential(Linear(4, 4, rng: &rng), Activation(.tanh)))
        let ei = checkGradients(identity, input: randomInput(Shape(3, 4)))
        #expect(ei.worst < tolerance, "\(ei)")
    }

    @Test func sequentialMLPWithLayerNorm() {
        var rng = RandomGenerator(seed: 22)
        let mlp = Sequential(Linear(6, 8, rng: &rng), LayerNorm(8), Activation(.gelu),
                             Linear(8, 5, rng: &rng), Activation(.sigmoid), Linear(5, 3, rng: &rng))
        let e = checkGradients(mlp, input: randomInput(Shape(4, 6)))
        #expect(e.worst < tolerance, "\(e)")
        #expect(e.parameters.count == 8)
    }
}
