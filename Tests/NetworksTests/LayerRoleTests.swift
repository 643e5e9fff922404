import Testing
import Tensors
@testable import Networks

/// What code outside Networks asks of a layer instead of its concrete type: re-initialise as
/// constructed, reset buffers, and the role protocols and network queries.
@Suite struct LayerRoleTests {
    @Test func linearAndConvReinitialiseExactlyAsTheirConstructorsDraw() throws {
        var a = RandomGenerator(seed: 4), b = a
        let fc = Linear(5, 3, rng: &a), conv = Conv2d(2, 4, kernelSize: 3, rng: &a)
        var c = RandomGenerator(seed: 11), d = c
        for layer in [fc, conv] as [any Layer] { try layer.reinitialize(using: &c) }
        let freshFC = Linear(5, 3, rng: &d), freshConv = Conv2d(2, 4, kernelSize: 3, rng: &d)
        #expect(fc.weight.valueTensor().values == freshFC.weight.valueTensor().values)
        #expect(fc.bias!.valueTensor().values == freshFC.bias!.valueTensor().values)
        #expect(conv.weight.valueTensor().values == freshConv.weight.valueTensor().values)
        #expect(conv.bias!.valueTensor().values == freshConv.bias!.valueTensor().values)
        #expect(c.state == d.state)
        _ = Linear(5, 3, rng: &b)
        #expect(fc.weight.valueTensor().values != Linear(5, 3, rng: &b).weight.valueTensor().values)
    }

    @Test func normalisationReturnsToUnitGainAndZeroOffsetAndBatchNormForgetsItsStatistics() throws {
        let ln = LayerNorm(3), bn = BatchNorm(2)
        for n in [ln, bn] as [any NormalizationLayer] {
            n.weight.valueBuffer.update(repeating: 2.5)
            n.bias.valueBuffer.update(repeating: -1)
        }
        _ = bn.forward(Tensor(shape: Shape(4, 2), values: [1, 2, 3, 4, 5, 6, 7, 9]), mode: .training)
        #expect(bn.runningMean.tensor.values != [0, 0])
        var rng = RandomGenerator(seed: 0)
        let before = rng.state
        for n in [ln, bn] as [any Layer] { try n.reinitialize(using: &rng); n.resetBuffers() }
        #expect(rng.state == before)
        #expect(ln.weight.valueTensor().values == [1, 1, 1] && ln.bias.valueTensor().values == [0, 0, 0])
        #expect(bn.weight.valueTensor().values == [1, 1] && bn.bias.valueTensor().values == [0, 0])
        #expect(bn.runningMean.tensor.values == [0, 0] && bn.runningVariance.tensor.values == [1, 1])
        #expect(bn.batchesTracked.tensor.values == [0])
    }

    /// A parameterised layer of the user's that does not implement re-initialisation says so;
    /// a layer without parameters has nothing to re-draw.
    @Test func aLayerThatCannotReinitialiseSaysSo() throws {
        final class Scale: Layer {
            let factor = Parameter(shape: Shape(1))
            var lastInput: Tensor? { nil }
            var lastOutput: Tensor? { nil }
            var localParameters: [(name: String, parameter: Parameter)] { [("factor", factor)] }
            func forward(_ input: Tensor, mode: Mode) -> Tensor { input }
            func backward(_ outputGradient: Tensor) -> Tensor { outputGradient }
        }
        var rng = RandomGenerator(seed: 0)
        #expect(throws: LayerError("cannot re-initialise a Scale layer: it does not implement reinitialize(using:)")) {
            try Scale().reinitialize(using: &rng)
        }
        try Flatten().reinitialize(using: &rng)
    }

    @Test func hiddenLayersNameTheirNonlinearity() {
        var rng = RandomGenerator(seed: 1)
        let net = Network(Sequential(Linear(4, 3, rng: &rng), Activation(.tanh), Linear(3, 3, rng: &rng), CReLU(),
                                     Linear(6, 3, rng: &rng), FourierActivation(), Linear(6, 2, rng: &rng)))
        #expect(net.hiddenLayers.map(\.nonlinearity) == [.elementwise(.tanh), .crelu, nil])
        #expect(UnitNonlinearity.crelu.hasLinearRegime && UnitNonlinearity.elementwise(.tanh).saturationThreshold == 3)
    }

    @Test func networkQueriesFindTheirLayersInOrder() throws {
        var rng = RandomGenerator(seed: 2)
        let plain = Network(Sequential(Conv2d(1, 2, kernelSize: 3, rng: &rng), BatchNorm(2), Activation(.relu), Flatten(),
                                       Linear(8, 4, rng: &rng), Activation(.relu), Linear(4, 2, rng: &rng)))
        #expect(plain.batchNormLayers.map(\.channels) == [2])
        #expect(plain.denseUnitLayers.map(\.unitCount) == [4, 2])
        #expect(plain.injectionHead == nil)
        #expect(throws: LayerError("plasticity-injection: head_layers = 9 but the network has 3 Linear/Conv2d layers")) {
            try InjectionHead.wrapping(plain, headLayers: 9)
        }
        let wrapped = try InjectionHead.wrapping(plain, headLayers: 2)
        #expect(wrapped.injectionHead != nil)
    }
}
