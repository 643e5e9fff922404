import Testing
import Tensors
@testable import Diagnostics
@testable import Networks

/// The Hessian group against the explicit Hessian of a small network (P = 59).
@Suite struct HessianMetricsTests {
    /// The scheduled group's trace budget: `named("hessian", traceSamples:)` caps the samples.
    @Test func traceSamplesCapTheHutchinsonBudget() throws {
        var rng = RandomGenerator(seed: 71)
        let net = Network(Sequential(Linear(5, 6, rng: &rng), Activation(.relu), Linear(6, 2, rng: &rng)))
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(12, 5), seed: 72),
                               targets: .labels(CurvatureMath.randomLabels(12, classes: 2, seed: 73)))
        let context = DiagnosticContext(network: net, probe: probe, computeGradient: false)
        let capped = try DiagnosticGroup.named("hessian", traceSamples: 4).compute(context)
        let full = try DiagnosticGroup.named("hessian").compute(context)
        #expect(capped["hessian.trace_samples"] == 4 && full["hessian.trace_samples"]! > 4)
        #expect(full["hessian.products"]! - capped["hessian.products"]! == full["hessian.trace_samples"]! - 4)
        // `hessian` + `hessian_blocks` together are exactly the complete set, value for value.
        let blocks = try DiagnosticGroup.named("hessian_blocks").compute(context)
        let complete = try hessianMetrics(network: net, probe: probe)
        #expect(full["hessian.max_abs_eigenvalue"] == nil && blocks["hessian.trace"] == nil && blocks["hessian.lambda_max"] == nil)
        let names = Set(full.entries.map(\.name) + blocks.entries.map(\.name))
        #expect(names == Set(complete.entries.map(\.name)))
        for name in names where name != "hessian.products" {
            #expect((full[name] ?? blocks[name]) == complete[name], "\(name)")
        }
    }

    @Test func groupMatchesTheExplicitHessian() throws {
        var rng = RandomGenerator(seed: 71)
        let net = Network(Sequential(Linear(5, 6, rng: &rng), Activation(.gelu), Linear(6, 3, rng: &rng), Activation(.tanh),
                                     Linear(3, 2, rng: &rng)))
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(12, 5), seed: 72),
                               targets: .labels(CurvatureMath.randomLabels(12, classes: 2, seed: 73)))
        let hvp = try HessianVectorProduct(network: net, probe: probe)
        let h = CurvatureMath.explicitMatrix(hvp.symmetricOperator), p = hvp.dimension
        let eigen = try CurvatureMath.eigenvalues(h, size: p)
        let trace = (0..<p).reduce(0.0) { $0 + h[$1 * p + $1] }
        let v = try hessianMetrics(network: net, probe: probe, options: HessianOptions(
            lanczos: LanczosOptions(eigenvalueCount: 2, tolerance: 1e-6, maxIterations: 59),
            powerIteration: PowerIterationOptions(tolerance: 1e-6, maxIterations: 5000),
            trace: HutchinsonOptions(relativeTolerance: 0.05, maxSamples: 300)))
        let scale = eigen.map(abs).max()!
        #expect(v["hessian.lanczos_converged"] == 1 && v["hessian.lambda_max_residual"]! <= 1e-6 * scale)
        #expect(abs(v["hessian.lambda_max"]! - eigen[0]) < 1e-6 * scale)
        #expect(abs(v["hessian.eigenvalue.2"]! - eigen[1]) < 1e-6 * scale && v["hessian.eigenvalue.1"] == v["hessian.lambda_max"])
        if v["hessian.power_converged"] == 1 {
            #expect(abs(abs(v["hessian.max_abs_eigenvalue"]!) - scale) < 1e-4 * scale)
        }
        #expect(abs(v["hessian.trace"]! - trace) <= 3 * v["hessian.trace_stderr"]!)
        #expect(v["hessian.trace_samples"]! >= 10 && v["hessian.products"]! > 0)
        for block in hvp.blocks {
            let n = block.range.count
            var sub = [Double](repeating: 0, count: n * n)
            for (i, gi) in block.range.enumerated() { for (j, gj) in block.range.enumerated() { sub[i * n + j] = h[gi * p + gj] } }
            let top = try CurvatureMath.eigenvalues(sub, size: n)[0]
            #expect(v["hessian.lanczos_converged.\(block.name)"] == 1)
            #expect(abs(v["hessian.lambda_max.\(block.name)"]! - top) < 1e-3 * scale, "\(block.name)")
            let blockTrace = block.range.reduce(0.0) { $0 + h[$1 * p + $1] }
            #expect(abs(v["hessian.trace.\(block.name)"]! - blockTrace) <= 3 * v["hessian.trace_stderr.\(block.name)"]!)
        }
        let esd = try hessianSpectralDensity(network: net, probe: probe, options: SpectralDensityOptions(steps: 59, vectors: 1))
        #expect(abs(esd.nodes[0].max()! - eigen[0]) < 1e-6 * scale)
    }

    @Test func probeWithoutTargetsIsAnError() {
        var rng = RandomGenerator(seed: 74)
        let net = Network(Sequential(Linear(2, 2, rng: &rng)))
        #expect(throws: DiagnosticError("Hessian of the probe loss needs probe targets")) {
            _ = try hessianMetrics(network: net, probe: ProbeBatch(inputs: Tensor(shape: Shape(1, 2))))
        }
    }
}
