import Testing
import Tensors
@testable import Diagnostics
@testable import Networks

/// The curvature and kernel groups as one-line `DiagnosticGroup`s on a `DiagnosticContext`,
/// exactly as `DiagnosticGroup.named` can list them.
@Suite struct CurvatureGroupWiringTests {
    @Test func groupsComputeFromAContext() throws {
        var rng = RandomGenerator(seed: 81)
        let net = Network(Sequential(Linear(4, 8, rng: &rng), LayerNorm(8), Activation(.relu), Linear(8, 3, rng: &rng)))
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(16, 4), seed: 82),
                               targets: .labels(CurvatureMath.randomLabels(16, classes: 3, seed: 83)))
        let groups = [
            DiagnosticGroup(name: "hessian", cadence: .taskEnds) { try hessianMetrics(network: $0.network, probe: $0.probe) },
            DiagnosticGroup(name: "entk", cadence: .taskEnds) { try entkMetrics(network: $0.network, probe: $0.probe) },
            DiagnosticGroup(name: "interference") { try interferenceMetrics(network: $0.network, probe: $0.probe) },
        ]
        let before = net.parameterVector()
        let context = DiagnosticContext(network: net, probe: probe, computeGradient: false)
        var values = DiagnosticValues()
        for group in groups { values.merge(try group.compute(context)) }
        for name in ["hessian.lambda_max", "hessian.max_abs_eigenvalue", "hessian.trace", "hessian.trace_stderr",
                     "hessian.lambda_max.layers.0", "hessian.trace.layers.1", "entk.summed.condition_number",
                     "entk.full.rank_above_tol", "interference.mean_cosine"] {
            #expect(values[name] != nil, "\(name)")
        }
        #expect(net.parameterVector() == before)
    }
}
