import Testing
import Networks
import Tensors
@testable import Diagnostics

@Suite struct PreactivationTests {
    static func layerNormMLP() -> (Network, Linear, LayerNorm) {
        var rng = RandomGenerator(seed: 4)
        let fc = Linear(5, 6, rng: &rng), norm = LayerNorm(6)
        norm.weight.valueBuffer.update(repeating: 1.5)
        norm.bias.valueBuffer.update(repeating: 0.25)
        return (Network(Sequential(fc, norm, Activation(.relu), Linear(6, 3, rng: &rng))), fc, norm)
    }

    /// z after LayerNorm in Double: γ·(y − μ)/√(σ² + 1e-5) + β per example.
    static func referenceZ(_ x: Tensor, _ fc: Linear, gamma: Double, beta: Double) -> [Double] {
        ReferenceMath.linear(ReferenceMath.rows(x), fc).flatMap { row in
            let m = ReferenceMath.mean(row), s = ReferenceMath.std(row)
            return row.map { gamma * ($0 - m) / (s * s + 1e-5).squareRoot() + beta }
        }
    }

    @Test func meanAndStdAfterLayerNormMatchDouble() throws {
        let (net, fc, _) = Self.layerNormMLP()
        let x = ReferenceMath.normal(Shape(12, 5), seed: 3)
        let z = Self.referenceZ(x, fc, gamma: 1.5, beta: 0.25)
        let v = try preactivationMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x)))
        #expect(abs(v["preact.mean.layers.0"]! - ReferenceMath.mean(z)) < 1e-5)
        #expect(abs(v["preact.std.layers.0"]! - ReferenceMath.std(z)) < 1e-5)
        #expect(v["preact.mean_drift_init.layers.0"] == nil && v.entries.count == 2)
    }

    @Test func driftIsMeasuredFromTheFloatRoundedReferences() throws {
        let (net, fc, norm) = Self.layerNormMLP()
        let x = ReferenceMath.normal(Shape(12, 5), seed: 3)
        let before = DiagnosticContext(network: net, probe: ProbeBatch(inputs: x))
        let references = DiagnosticReferences(initial: .init(before), taskStart: nil)
        norm.bias.valueBuffer.update(repeating: -0.5)
        norm.weight.valueBuffer.update(repeating: 3)
        let v = try preactivationMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x), references: references))
        let old = Self.referenceZ(x, fc, gamma: 1.5, beta: 0.25), new = Self.referenceZ(x, fc, gamma: 3, beta: -0.5)
        let meanDrift = abs(ReferenceMath.mean(new) - Double(Float(ReferenceMath.mean(old))))
        #expect(abs(v["preact.mean_drift_init.layers.0"]! - meanDrift) < 1e-5)
        #expect(abs(v["preact.std_drift_init.layers.0"]! - abs(ReferenceMath.std(new) - ReferenceMath.std(old))) < 1e-5)
        #expect(v["preact.mean_drift_task.layers.0"] == nil)
    }
}
