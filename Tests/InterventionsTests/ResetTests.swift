import Networks
import Tensors
import Testing
@testable import Training
@testable import Interventions

/// Interventions that re-draw parameters: shrink-and-perturb, layer and full resets.
@Suite struct ResetTests {
    /// ε re-drawn by hand in network order from a copy of the trainer's generator:
    /// Linear(4, 8) weight and bias U(±1/2), Linear(8, 4) weight and bias U(±1/√8).
    func freshDraw(_ rng: inout RandomGenerator) -> [Float] {
        var eps = [Float](repeating: 0, count: 32 + 8 + 32 + 4)
        let b0: Float = 0.5, b1 = 1 / Float(8).squareRoot()
        for i in 0..<40 { eps[i] = rng.uniform(-b0, b0) }
        for i in 40..<76 { eps[i] = rng.uniform(-b1, b1) }
        return eps
    }

    @Test func shrinkAndPerturbIsExactlyLambdaThetaPlusSigmaEpsilon() throws {
        let t = try Fixture.trainer()
        let hook = try ShrinkAndPerturb.make()
        try hook.taskWillStart(t)
        #expect(t.rng == RandomGenerator(seed: 0, stream: 99), "no perturbation before the first task")
        try t.train(steps: 10)
        let theta = t.network.parameterVector()
        var copy = t.rng
        let eps = freshDraw(&copy)
        t.restore(position: StreamPosition(task: 1, step: 0, globalStep: 10))
        try hook.taskWillStart(t)
        let expected = zip(theta, eps).map { 0.8 * $0 + 0.01 * $1 }
        #expect(t.network.parameterVector() == expected)
        #expect(t.rng == copy)
    }

    /// After training, the output layer is re-drawn exactly as a fresh Linear from the same
    /// generator state (init statistics), its Adam state is zero and the first layer's is not.
    @Test func resetLastLayerRedrawsItAndClearsItsOptimizerState() throws {
        let net = Fixture.mlp(hidden: 64)
        let t = try Fixture.trainer(net, optimizer: { Adam($0, learningRate: 0.05) }, hooks: [try ResetLastLayers.make()])
        try t.train(steps: 10)
        var copy = t.rng
        let fresh = Linear(64, 4, rng: &copy)
        t.restore(position: StreamPosition(task: 1, step: 0, globalStep: 10))
        try t.hooks[0].taskWillStart(t)
        let w = net.parameter(named: "layers.2.weight")!.valueTensor().values
        #expect(w == fresh.weight.valueTensor().values)
        let bound = 1 / Float(64).squareRoot()
        let mean = w.reduce(0, +) / Float(w.count)
        let variance = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(w.count)
        #expect(w.allSatisfy { abs($0) <= bound } && abs(mean) < 0.2 * bound)
        #expect(abs(variance - bound * bound / 3) < 0.3 * bound * bound / 3)
        let firstLayer = 4 * 64 + 64
        for (_, v) in t.optimizer.stateVectors() {
            #expect(v[firstLayer...].allSatisfy { $0 == 0 } && v[..<firstLayer].contains { $0 != 0 })
        }
    }

    @Test func resetClearsExactlyTheResetEntries() throws {
        let net = Fixture.mlp()
        let t = try Fixture.trainer(net, optimizer: { Adam($0, learningRate: 0.05) })
        try t.train(steps: 10)
        var copy = t.rng
        let fresh = Linear(8, 4, rng: &copy)
        try t.reset([net.namedLayers.first { $0.name == "layers.2" }!.layer])
        #expect(net.parameter(named: "layers.2.weight")!.valueTensor().values == fresh.weight.valueTensor().values)
        #expect(net.parameter(named: "layers.2.bias")!.valueTensor().values == fresh.bias!.valueTensor().values)
        let state = t.optimizer.stateVectors()
        for (_, v) in state {
            #expect(v[40...].allSatisfy { $0 == 0 })
            #expect(v[..<40].contains { $0 != 0 })
        }
    }

    @Test func fullResetRestoresAFreshNetworkAndOptimizer() throws {
        let t = try Fixture.trainer(optimizer: { Adam($0, learningRate: 0.05) }, hooks: [try FullReset.make()])
        try t.train(steps: 10)
        var copy = t.rng
        let expected = freshDraw(&copy)
        t.restore(position: StreamPosition(task: 1, step: 0, globalStep: 10))
        try t.hooks[0].taskWillStart(t)
        #expect(t.network.parameterVector() == expected)
        #expect(t.optimizer.stepCount == 0)
        #expect(t.optimizer.stateVectors().allSatisfy { $0.values.allSatisfy { $0 == 0 } })
    }

    @Test func optimizerResetAtTaskBoundaries() throws {
        let t = try Fixture.trainer(optimizer: { Adam($0, learningRate: 0.05) }, hooks: [try OptimizerReset.make()])
        try t.train(steps: 10)
        let theta = t.network.parameterVector()
        #expect(t.optimizer.stepCount == 10)
        t.restore(position: StreamPosition(task: 1, step: 0, globalStep: 10))
        try t.hooks[0].taskWillStart(t)
        #expect(t.optimizer.stepCount == 0 && t.optimizer.stateVectors().allSatisfy { $0.values.allSatisfy { $0 == 0 } })
        #expect(t.network.parameterVector() == theta)
    }

    @Test func layerResetRedrawsNamedLayersPeriodically() throws {
        let net = Fixture.deepMLP()
        let hook = try InterventionCatalog.make(InterventionSpec("layer-reset", ["layers": "layers.2", "every": 5]))
        let t = try Fixture.trainer(net, hooks: [hook])
        try t.train(steps: 4)
        var copy = t.rng
        try t.train(steps: 5)
        let fresh = Linear(8, 8, rng: &copy)
        #expect(net.parameter(named: "layers.2.weight")!.valueTensor().values == fresh.weight.valueTensor().values)
        let bad = try InterventionCatalog.make(InterventionSpec("layer-reset", ["layers": "layers.9"]))
        let t2 = try Fixture.trainer(hooks: [bad])
        #expect(throws: InterventionError.self) { try t2.train(steps: 1) }
    }
}
