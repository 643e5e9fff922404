import Networks
import Tensors
import Testing
@testable import Training
@testable import Interventions

/// SAM, spectral normalisation and the order of a list of interventions.
@Suite struct GradientHookTests {
    /// SAM leaves the parameters as they were and the gradient of the perturbed point,
    /// recomputed by hand at θ + ρ g/‖g‖.
    @Test func samGradientIsTheGradientAtThePerturbedPoint() throws {
        let t = try Fixture.trainer()
        Fixture.prepareStep(t)
        let theta = t.network.parameterVector(), g = t.gradients
        let norm = Float(g.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
        try InterventionCatalog.make(InterventionSpec("sam", ["rho": 0.5])).gradientsComputed(t)
        let samGradient = t.gradients
        #expect(t.network.parameterVector() == theta)
        t.network.setParameterVector(zip(theta, g).map { $0 + 0.5 / norm * $1 })
        t.computeGradients()
        #expect(samGradient == t.gradients)
        #expect(maxDifference(samGradient, g) > 1e-4)
    }

    /// Weights scaled up ×10 (σ_max ≫ 1) end with σ_max = 1 ± 1e-2, measured by SVD.
    @Test func spectralNormalisationBoundsTheLargestSingularValue() throws {
        let net = Fixture.mlp(hidden: 16)
        for name in ["layers.0.weight", "layers.2.weight"] {
            let w = net.parameter(named: name)!
            for i in 0..<w.count { w.value[i] *= 10 }
        }
        let hook = try SpectralNormalization.make()
        let t = try Fixture.trainer(net, tasks: 1, steps: 200, lr: 0.01, hooks: [hook])
        try t.train(steps: 200)
        for (name, rows) in [("layers.0.weight", 16), ("layers.2.weight", 4)] {
            let w = net.parameter(named: name)!
            let sigma = try LinearAlgebra.singularValues(w.value, rows: rows, columns: w.count / rows)[0]
            #expect(abs(sigma - 1) <= 1e-2, "\(name): σ_max = \(sigma)")
        }
        #expect(hook.leftVectors.keys.sorted() == ["layers.0", "layers.2"])
    }

    /// [l2, gradient-clip] clips g + λθ; [gradient-clip, l2] adds λθ to the clipped g.
    @Test func aListAppliesInOrder() throws {
        let specs = [InterventionSpec("l2", ["lambda": 0.5]), InterventionSpec("gradient-clip", ["max_norm": 0.1])]
        func gradient(_ specs: [InterventionSpec]) throws -> (g: [Float], g0: [Float], theta: [Float]) {
            let t = try Fixture.trainer()
            Fixture.prepareStep(t)
            let g0 = t.gradients
            for h in try InterventionCatalog.make(specs) { try h.gradientsComputed(t) }
            return (t.gradients, g0, t.network.parameterVector())
        }
        func clipped(_ v: [Float]) -> [Float] {
            let n = Float(v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
            return v.map { $0 * 0.1 / (n + 1e-6) }
        }
        let a = try gradient(specs)
        #expect(maxDifference(a.g, clipped(zip(a.g0, a.theta).map { $0 + 0.5 * $1 })) < 1e-6)
        let b = try gradient(specs.reversed())
        #expect(maxDifference(b.g, zip(clipped(b.g0), b.theta).map { $0 + 0.5 * $1 }) < 1e-6)
        #expect(maxDifference(a.g, b.g) > 1e-3)
    }
}
