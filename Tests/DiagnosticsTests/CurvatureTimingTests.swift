import Foundation
import Testing
import Networks
import Tensors
@testable import Diagnostics

/// Wall time of the curvature and kernel diagnostics for the MLP 784-256-256-256-10 on a
/// 256-example probe batch (eNTK on its first 64). Opt-in (set CURVATURE_TIMING=1);
/// meaningful in a release build:
/// `CURVATURE_TIMING=1 swift test -c release -Xswiftc -enable-testing --filter CurvatureTimingTests`.
@Suite struct CurvatureTimingTests {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CURVATURE_TIMING"] != nil))
    func timeEachMetric() throws {
        var rng = RandomGenerator(seed: 0)
        let net = Network(Sequential(Linear(784, 256, rng: &rng), Activation(.relu), Linear(256, 256, rng: &rng), Activation(.relu),
                                     Linear(256, 256, rng: &rng), Activation(.relu), Linear(256, 10, rng: &rng)))
        let probe = ProbeBatch(inputs: CurvatureMath.normalTensor(Shape(256, 784), seed: 1),
                               targets: .labels((0..<256).map { $0 % 10 }))
        var hvp = try HessianVectorProduct(network: net, probe: probe)
        var report: [String] = []
        func time(_ name: String, _ body: () throws -> String) rethrows {
            var detail = ""
            let t = try Self.seconds { detail = try body() }
            report.append("curvature timing: \(name): \(String(format: "%.3f", t)) s \(detail)")
        }
        try time("HessianVectorProduct setup (forward + backward)") { hvp = try HessianVectorProduct(network: net, probe: probe); return "" }
        let v = CurvatureMath.randomDirection(hvp.dimension, seed: 2)
        time("one Hessian-vector product") { _ = hvp(v); return "P = \(hvp.dimension)" }
        try time("lanczos top-3 (tol 1e-3)") {
            let r = try lanczosEigenpairs(hvp.symmetricOperator)
            return "iterations \(r.iterations), converged \(r.converged), λ \(r.pairs.map(\.value))"
        }
        time("power iteration (tol 1e-3)") {
            let r = powerIteration(hvp.symmetricOperator)
            return "iterations \(r.iterations), converged \(r.converged), λ \(r.eigenvalue)"
        }
        time("hutchinson trace (rel 1e-2, 10..100)") {
            let r = hutchinsonTrace(hvp.symmetricOperator, blocks: hvp.blocks.map(\.range))
            return "samples \(r.trace.samples), trace \(r.trace.value) ± \(r.trace.standardError)"
        }
        try time("per-layer block λ_max (4 blocks)") {
            let its = try hvp.blocks.map { try lanczosEigenpairs(hvp.symmetricOperator(restrictedTo: $0), options: LanczosOptions(eigenvalueCount: 1)).iterations }
            return "iterations \(its)"
        }
        try time("spectral density (SLQ 30 steps × 4 vectors)") { _ = try spectralDensity(hvp.symmetricOperator); return "" }
        try time("hessianMetrics (default group)") {
            let v = try hessianMetrics(network: net, probe: probe)
            return "products \(v["hessian.products"] ?? 0)"
        }
        try time("eNTK summed + full, 64 examples") {
            let v = try entkMetrics(network: net, probe: probe)
            return "summed κ \(v["entk.summed.condition_number"] ?? .nan), full κ \(v["entk.full.condition_number"] ?? .nan)"
        }
        try time("eNTK summed only, 64 examples") {
            _ = try entkMetrics(network: net, probe: probe, options: EmpiricalNTKOptions(full: false)); return ""
        }
        try time("gradient interference, 256 examples") {
            let v = try interferenceMetrics(network: net, probe: probe)
            return "mean cos \(v["interference.mean_cosine"] ?? .nan)"
        }
        for line in report { print(line) }
    }
}
