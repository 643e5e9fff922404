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
        #expect(v["preact.mean_drift_init.layers.0"] == nil && v.entries.count == 4)
    }

    /// Before LayerNorm: u = W x + b, whose shift LayerNorm hides from z.
    @Test func statisticsBeforeLayerNormMatchDouble() throws {
        let (net, fc, _) = Self.layerNormMLP()
        let x = ReferenceMath.normal(Shape(12, 5), seed: 3)
        let u = ReferenceMath.linear(ReferenceMath.rows(x), fc).flatMap { $0 }
        let v = try preactivationMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x)))
        #expect(abs(v["preact.prenorm_mean.layers.0"]! - ReferenceMath.mean(u)) < 1e-5)
        #expect(abs(v["preact.prenorm_std.layers.0"]! - ReferenceMath.std(u)) < 1e-5)
        // A shifted incoming bias moves u by exactly the shift and leaves z (normalised per example) alone.
        let references = DiagnosticReferences(initial: .init(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x))), taskStart: nil)
        fc.bias!.valueBuffer.update(repeating: 2)
        let moved = try preactivationMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x), references: references))
        let shifted = ReferenceMath.linear(ReferenceMath.rows(x), fc).flatMap { $0 }
        let drift = abs(ReferenceMath.mean(shifted) - Double(Float(ReferenceMath.mean(u))))
        #expect(abs(moved["preact.prenorm_mean_drift_init.layers.0"]! - drift) < 1e-5 && drift > 0.5)
        #expect(moved["preact.mean_drift_init.layers.0"]! < 1e-5)
        // A layer without normalisation has no prenorm names (there u = z).
        var rng = RandomGenerator(seed: 5)
        let plain = Network(Sequential(Linear(5, 6, rng: &rng), Activation(.relu), Linear(6, 3, rng: &rng)))
        let w = try preactivationMetrics(DiagnosticContext(network: plain, probe: ProbeBatch(inputs: x)))
        #expect(w.entries.count == 2 && w["preact.prenorm_mean.layers.0"] == nil)
    }

    /// A checkpoint keeps the statistics before normalisation; one written before they were
    /// kept restores without them (and its prenorm drift is left out, not made up).
    @Test func referencesBeforeNormalisationSurviveACheckpoint() throws {
        let (net, _, _) = Self.layerNormMLP()
        let x = ReferenceMath.normal(Shape(12, 5), seed: 3)
        let references = DiagnosticReferences(initial: .init(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x))), taskStart: nil)
        var state = references.checkpointState()
        #expect(try DiagnosticReferences(checkpointState: state) == references && references.initial!.prenormalization.count == 1)
        state["init.preactivations_prenorm"] = nil
        let old = try DiagnosticReferences(checkpointState: state)
        #expect(old.initial!.prenormalization.isEmpty && old.initial!.preactivations == references.initial!.preactivations)
        let v = try preactivationMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x), references: old))
        #expect(v["preact.prenorm_mean_drift_init.layers.0"] == nil && v["preact.mean_drift_init.layers.0"] != nil)
        state["init.preactivations_prenorm"] = [1, 2, 3]
        #expect(throws: DiagnosticError.self) { try DiagnosticReferences(checkpointState: state) }
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
