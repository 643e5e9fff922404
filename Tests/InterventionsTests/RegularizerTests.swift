import Networks
import Tensors
import Testing
@testable import Training
@testable import Interventions

/// Interventions that add to the gradients or decay the weights, against their formulas.
@Suite struct RegularizerTests {
    @Test func coupledL2AddsLambdaTheta() throws {
        let t = try Fixture.trainer()
        Fixture.prepareStep(t)
        let g0 = t.gradients, theta = t.network.parameterVector()
        try L2Regularization.make(["lambda": 0.01]).gradientsComputed(t)
        for i in theta.indices { #expect(t.gradients[i] == g0[i] + 0.01 * theta[i]) }
    }

    @Test func decoupledDecayUsesTheCurrentRate() throws {
        let t = try Fixture.trainer(lr: 0.2)
        let theta = t.network.parameterVector()
        try DecoupledWeightDecay.make(["lambda": 0.1]).stepDidFinish(t)
        let factor: Float = 1 - 0.2 * 0.1
        #expect(t.network.parameterVector() == theta.map { $0 * factor })
    }

    /// With the loss gradient zeroed, the step follows 2λ(θ − θ₀) only: θ moves towards θ₀,
    /// not towards 0.
    @Test func l2InitPullsTowardsTheInitialisation() throws {
        let t = try Fixture.trainer(lr: 1)
        let hook = try L2Init.make(["lambda": 0.1])
        Fixture.prepareStep(t)
        hook.gradientsComputed(t)
        let theta0 = hook.anchor
        #expect(theta0 == t.network.parameterVector())
        let moved = theta0.map { $0 * 3 + 0.5 }
        t.network.setParameterVector(moved)
        t.network.zeroGradients()
        hook.gradientsComputed(t)
        for i in moved.indices { #expect(abs(t.gradients[i] - 0.2 * (moved[i] - theta0[i])) < 1e-6) }
        t.optimizer.step()
        let after = t.network.parameterVector()
        for i in moved.indices {
            #expect(abs(after[i] - theta0[i]) < abs(moved[i] - theta0[i]))
            #expect(abs(after[i] - (0.8 * moved[i] + 0.2 * theta0[i])) < 1e-5)
        }
    }

    @Test func gradientClippingBoundsTheNorm() throws {
        let t = try Fixture.trainer()
        Fixture.prepareStep(t)
        let g0 = t.gradients
        let norm = g0.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        try GradientClipping.make(["max_norm": norm / 4]).gradientsComputed(t)
        let clipped = t.gradients.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(clipped - norm / 4) < 1e-4 * norm)
        #expect(t.pendingMetrics["grad_norm"]?.number.map { abs($0 - norm) < 1e-4 } == true)
    }

    /// The added gradient equals central differences of R(W) = λ‖WWᵀ − sI‖²_F (in Double),
    /// for the hidden weight only (the output layer is excluded by default).
    @Test func parsevalGradientMatchesFiniteDifferences() throws {
        let t = try Fixture.trainer(Fixture.mlp(hidden: 5))
        let hook = try ParsevalRegularization.make(["lambda": 0.3, "s": 0.7])
        t.network.zeroGradients()
        hook.gradientsComputed(t)
        let w = t.network.parameter(named: "layers.0.weight")!
        func regulariser() -> Double {
            var r = 0.0
            for i in 0..<5 {
                for j in 0..<5 {
                    var d = 0.0
                    for k in 0..<4 { d += Double(w.value[i * 4 + k]) * Double(w.value[j * 4 + k]) }
                    if i == j { d -= 0.7 }
                    r += d * d
                }
            }
            return 0.3 * r
        }
        let h: Float = 1e-2
        for i in 0..<w.count {
            let saved = w.value[i]
            w.value[i] = saved + h
            let plus = regulariser()
            w.value[i] = saved - h
            let minus = regulariser()
            w.value[i] = saved
            let numeric = (plus - minus) / (2 * Double(h))
            #expect(abs(Double(w.gradient[i]) - numeric) < 1e-3 * max(1, abs(numeric)))
        }
        let last = t.network.parameter(named: "layers.2.weight")!
        #expect(last.gradientBuffer.allSatisfy { $0 == 0 })
    }

    /// After each step every Linear weight is projected back to its initial norm.
    @Test func normalizeAndProjectKeepsInitialNorms() throws {
        let hook = try NormalizeAndProject.make()
        var rng = RandomGenerator(seed: 3)
        let net = Network(Sequential(Linear(4, 8, rng: &rng), LayerNorm(8), Activation(.relu), Linear(8, 4, rng: &rng)))
        let t = try Fixture.trainer(net, steps: 30, lr: 0.5, hooks: [hook])
        func norms() -> [Double] {
            ["layers.0.weight", "layers.3.weight"].map { name in
                net.parameter(named: name)!.valueBuffer.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            }
        }
        func normPair() -> Double {
            let g = net.parameter(named: "layers.1.weight")!, b = net.parameter(named: "layers.1.bias")!
            return (Array(g.valueBuffer) + Array(b.valueBuffer)).reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        }
        let initial = norms()
        try t.train(steps: 30)
        for (a, b) in zip(norms(), initial) { #expect(abs(a - b) < 1e-5 * b) }
        #expect(abs(normPair() - 8.0.squareRoot()) < 1e-5)
        #expect(hook.targetNorms.count == 3)
    }
}
