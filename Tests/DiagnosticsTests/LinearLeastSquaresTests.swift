import Testing
import Tensors
@testable import Diagnostics
@testable import Networks

/// Linear least squares, f(x) = w·x + b with MSE (mean over all elements), whose Hessian is
/// exactly H = 2 X̃ᵀX̃ / N with X̃ = [X, 1] (weight entries, then the bias, as network order).
@Suite struct LinearLeastSquaresTests {
    static let n = 40, d = 7

    static func problem() -> (network: Network, probe: ProbeBatch, exact: [Double]) {
        var rng = RandomGenerator(seed: 31)
        let net = Network(Sequential(Linear(d, 1, rng: &rng)))
        let x = CurvatureMath.normalTensor(Shape(n, d), seed: 32)
        for i in 0..<n { x.data[i * d] = 3 * x.data[i * d] + 1 }   // an anisotropic, off-centre design
        let probe = ProbeBatch(inputs: x, targets: .values(CurvatureMath.normalTensor(Shape(n, 1), seed: 33)), loss: .mse)
        let p = d + 1
        var h = [Double](repeating: 0, count: p * p)
        for r in 0..<n {
            let row = (0..<d).map { Double(x.data[r * d + $0]) } + [1]
            for i in 0..<p { for j in 0..<p { h[i * p + j] += 2 * row[i] * row[j] / Double(n) } }
        }
        return (net, probe, h)
    }

    @Test func hessianIsTwiceTheGramOverN() throws {
        let (net, probe, exact) = Self.problem()
        let hvp = try HessianVectorProduct(network: net, probe: probe)
        #expect(CurvatureMath.relativeError(CurvatureMath.explicitMatrix(hvp.symmetricOperator), exact) < 1e-13)
    }

    @Test func lanczosTopEigenvaluesMatchLapack() throws {
        let (net, probe, exact) = Self.problem()
        let reference = try CurvatureMath.eigenvalues(exact, size: Self.d + 1)
        let hvp = try HessianVectorProduct(network: net, probe: probe)
        let top = try lanczosEigenpairs(hvp.symmetricOperator, options: LanczosOptions(eigenvalueCount: 3, tolerance: 1e-8))
        #expect(top.converged)
        #expect(top.pairs.count == 3)
        for (pair, lambda) in zip(top.pairs, reference) {
            #expect(abs(pair.value - lambda) <= 1e-9 * reference[0], "\(pair.value) vs \(lambda)")
            #expect(pair.residual <= 1e-8 * top.scale)
        }
        let power = powerIteration(hvp.symmetricOperator, options: PowerIterationOptions(tolerance: 1e-6, maxIterations: 2000))
        #expect(power.converged)
        #expect(abs(power.eigenvalue - reference[0]) <= 1e-8 * reference[0])
    }

    @Test func exactTraceAndHutchinsonWithinThreeStandardErrors() throws {
        let (net, probe, exact) = Self.problem()
        let p = Self.d + 1, trace = (0..<p).reduce(0.0) { $0 + exact[$1 * p + $1] }
        let hvp = try HessianVectorProduct(network: net, probe: probe)
        let t = hutchinsonTrace(hvp.symmetricOperator, blocks: [0..<Self.d, Self.d..<p],
                                options: HutchinsonOptions(relativeTolerance: 0.02, maxSamples: 400, seed: 5))
        #expect(t.trace.samples >= 10 && t.trace.standardError > 0)
        #expect(abs(t.trace.value - trace) <= 3 * t.trace.standardError, "\(t.trace) vs \(trace)")
        #expect(t.trace.converged == (t.trace.standardError <= 0.02 * abs(t.trace.value)))
        // The bias entry of z_B(Hz)_B is z_b Σ_j H_bj z_j; its trace share is exactly H_bb = 2.
        #expect(abs(t.blocks[1].value - 2) <= 3 * t.blocks[1].standardError)
        let weightTrace = (0..<Self.d).reduce(0.0) { $0 + exact[$1 * p + $1] }
        #expect(abs(t.blocks[0].value - weightTrace) <= 3 * t.blocks[0].standardError)
    }
}
