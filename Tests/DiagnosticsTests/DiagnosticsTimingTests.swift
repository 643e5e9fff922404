import Foundation
import Testing
import Networks
import Tensors
@testable import Diagnostics

/// Wall time of each group for the MLP 784-256-256-256-10 on a 256-example probe batch.
/// Opt-in (set DIAGNOSTICS_TIMING=1); meaningful in a release build:
/// `DIAGNOSTICS_TIMING=1 swift test -c release -Xswiftc -enable-testing --filter DiagnosticsTimingTests`.
@Suite struct DiagnosticsTimingTests {
    static func makeNetwork() -> Network {
        var rng = RandomGenerator(seed: 0)
        return Network(Sequential(Linear(784, 256, rng: &rng), Activation(.relu), Linear(256, 256, rng: &rng), Activation(.relu),
                                  Linear(256, 256, rng: &rng), Activation(.relu), Linear(256, 10, rng: &rng)))
    }

    static func seconds(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        for _ in 0..<repeats { try body() }
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(repeats)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["DIAGNOSTICS_TIMING"] != nil))
    func timeEachGroup() throws {
        let net = Self.makeNetwork()
        let x = ReferenceMath.normal(Shape(256, 784), seed: 1)
        let probe = ProbeBatch(inputs: x, targets: .labels((0..<256).map { $0 % 10 }))
        let references = DiagnosticReferences(initial: .init(DiagnosticContext(network: net, probe: probe)), taskStart: nil)
        let repeats = 20
        var context = DiagnosticContext(network: net, probe: probe, references: references)
        let timings: [(String, Double)] = [
            ("context (forward)", Self.seconds(repeats) { context = DiagnosticContext(network: net, probe: probe, references: references, computeGradient: false) }),
            ("context (forward + probe gradient)", Self.seconds(repeats) { context = DiagnosticContext(network: net, probe: probe, references: references) }),
            ("units", try Self.seconds(repeats) { _ = try unitMetrics(context) }),
            ("preactivations", try Self.seconds(repeats) { _ = try preactivationMetrics(context) }),
            ("parameters", try Self.seconds(repeats) { _ = try parameterMetrics(context) }),
            ("features", try Self.seconds(repeats) { _ = try featureMetrics(features: context.features) }),
            ("probe (500 Adam steps, batch 64, ×2 networks)", try Self.seconds(1) {
                _ = try probeTaskPlasticity(of: net, makeNetwork: Self.makeNetwork, inputs: x)
            }),
        ]
        for (name, t) in timings { print("diagnostics timing: \(name): \(String(format: "%.2f", t * 1000)) ms") }
    }
}
