import Networks
import Tensors
import Testing
@testable import Training
@testable import Interventions

/// Plasticity injection: the function is unchanged at injection and only θ' (and the layers
/// before the head) learn afterwards.
@Suite struct InjectionTests {
    func injectedTrainer(steps: Int = 10) throws -> (Trainer, InjectionHead) {
        let spec = InterventionSpec("plasticity-injection", ["task": 1])
        let net = try InterventionCatalog.prepare(Fixture.deepMLP(), for: [spec])
        let t = try Fixture.trainer(net, steps: steps, optimizer: { Adam($0, learningRate: 0.01) },
                                    hooks: try InterventionCatalog.make([spec]))
        let head = net.root.sublayers.last!.layer as! InjectionHead
        return (t, head)
    }

    @Test func outputsAreIdenticalAtInjection() throws {
        let (t, head) = try injectedTrainer()
        try t.train(steps: 10)
        t.loadBatch(step: 0)
        let before = t.network.forward(t.batchInputs, mode: .evaluation).values
        let headBefore = head.head.namedParameters().flatMap { Array($0.parameter.valueBuffer) }
        t.restore(position: StreamPosition(task: 1, step: 0, globalStep: 10))
        try t.hooks[0].taskWillStart(t)
        #expect(head.isInjected)
        #expect(head.oldHead.tensor.values == headBefore)
        let headAfter = head.head.namedParameters().flatMap { Array($0.parameter.valueBuffer) }
        #expect(head.freshHead.tensor.values == headAfter && headAfter != headBefore)
        #expect(t.network.forward(t.batchInputs, mode: .evaluation).values == before)
        for (_, v) in t.optimizer.stateVectors() { #expect(head.headParameterIndices.allSatisfy { v[$0] == 0 }) }
        try t.hooks[0].taskWillStart(t)
        #expect(head.freshHead.tensor.values == headAfter, "injects once")
    }

    @Test func onlyTheNewHeadAndTheEncoderTrain() throws {
        let (t, head) = try injectedTrainer()
        try t.train(steps: 11)
        #expect(head.isInjected)
        func headValues() -> [Float] { head.head.namedParameters().flatMap { Array($0.parameter.valueBuffer) } }
        let old = head.oldHead.tensor.values, fresh = head.freshHead.tensor.values, theta = headValues()
        let encoder = t.network.parameter(named: "layers.0.weight")!.valueTensor().values
        try t.train(steps: 20)
        #expect(head.oldHead.tensor.values == old && head.freshHead.tensor.values == fresh)
        #expect(headValues() != theta, "θ' trains")
        #expect(t.network.parameter(named: "layers.0.weight")!.valueTensor().values != encoder, "the encoder trains")
    }

    /// Backward of an injected head against central differences of Σ r ⊙ y, for the input
    /// and for θ' (the frozen heads contribute to dL/dx but get no parameter gradient).
    @Test func injectedBackwardMatchesFiniteDifferences() throws {
        var rng = RandomGenerator(seed: 4)
        let head = try InjectionHead(Sequential(Linear(3, 5, rng: &rng), Activation(.tanh), Linear(5, 2, rng: &rng)))
        let net = Network(Sequential(head))
        head.inject { h in for (_, l) in h.namedLayers() { try? l.reinitialize(using: &rng) } }
        net.setParameterVector(net.parameterVector().map { $0 * 1.5 })
        let x = Tensor(shape: Shape(4, 3)), r = Tensor(shape: Shape(4, 2))
        rng.fillNormal(x.buffer)
        rng.fillNormal(r.buffer)
        func loss() -> Double {
            let y = net.forward(x, mode: .training)
            return (0..<y.count).reduce(0.0) { $0 + Double(r.data[$1]) * Double(y.data[$1]) }
        }
        net.zeroGradients()
        _ = net.forward(x, mode: .training)
        let dx = net.backward(r).values, dtheta = net.storage.gradientBuffer.map { $0 }
        func numeric(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> Double {
            let saved = p[i], h: Float = 1e-2
            p[i] = saved + h; let plus = loss()
            p[i] = saved - h; let minus = loss()
            p[i] = saved
            return (plus - minus) / (2 * Double(h))
        }
        for i in 0..<x.count { #expect(abs(Double(dx[i]) - numeric(x.data, i)) < 2e-3) }
        for i in 0..<net.storage.count { #expect(abs(Double(dtheta[i]) - numeric(net.storage.values, i)) < 2e-3) }
    }

    @Test func missingHeadIsAClearError() throws {
        let t = try Fixture.trainer(hooks: [try PlasticityInjection.make()])
        #expect(throws: InterventionError.self) { try t.train(steps: 1) }
    }
}
