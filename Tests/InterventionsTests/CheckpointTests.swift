import Networks
import Tensors
import Testing
@testable import Training
@testable import Interventions

/// Stateful hooks: saving everything a checkpoint saves at step 13 and continuing in a new
/// trainer with new hook objects ends bit-identical to an uninterrupted run.
@Suite struct CheckpointTests {
    let specs = [InterventionSpec("l2-init", ["lambda": 0.01]), InterventionSpec("continual-backprop", ["rho": 0.05, "maturity": 3]),
                 InterventionSpec("spectral-norm", ["c": 2]), InterventionSpec("normalize-project"),
                 InterventionSpec("shrink-perturb"), InterventionSpec("redo", ["every": 4])]

    func trainer(seed: UInt64) throws -> Trainer {
        var rng = RandomGenerator(seed: seed)
        let net = Network(Sequential(Linear(4, 8, rng: &rng), LayerNorm(8), Activation(.relu), Linear(8, 4, rng: &rng)))
        return try Fixture.trainer(net, steps: 10, optimizer: { Adam($0, learningRate: 0.05) },
                                   hooks: try InterventionCatalog.make(specs))
    }

    @Test func resumeIsBitIdentical() throws {
        let whole = try trainer(seed: 1)
        try whole.train(steps: 20)

        let first = try trainer(seed: 1)
        try first.train(steps: 13)
        let theta = first.network.parameterVector(), optimizerState = first.optimizer.stateVectors()
        let hookState = first.hooks.map { $0.checkpointState() }
        #expect(hookState.map { !$0.isEmpty } == [true, true, true, true, false, false])

        let second = try trainer(seed: 2)
        second.network.setParameterVector(theta)
        try second.optimizer.loadStateVectors(optimizerState, stepCount: first.optimizer.stepCount)
        for (hook, state) in zip(second.hooks, hookState) { try hook.restore(state) }
        second.rng = first.rng
        second.restore(position: first.position)
        try second.train(steps: 20)
        #expect(second.network.parameterVector() == whole.network.parameterVector())
        #expect(second.rng == whole.rng)
    }
}
