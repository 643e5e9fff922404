import Testing
import Networks
import Tensors
@testable import Diagnostics

@Suite struct ParameterMetricsTests {
    /// Six Linear layers named layers.0 … layers.10.
    static func deepMLP() -> Network {
        var rng = RandomGenerator(seed: 2)
        var layers: [any Layer] = []
        for i in 0..<6 {
            layers.append(Linear(4, 4, rng: &rng))
            if i < 5 { layers.append(Activation(.relu)) }
        }
        return Network(Sequential(layers))
    }

    static func norm(_ v: [Float]) -> Double { v.map { Double($0) * Double($0) }.reduce(0, +).squareRoot() }

    @Test func normsAreInNetworkOrderAndMatchDouble() throws {
        let net = Self.deepMLP()
        let v = try parameterMetrics(network: net, gradient: nil, references: DiagnosticReferences())
        let layerNames = v.entries.map(\.name).filter { $0.hasPrefix("param_norm.") && !$0.hasSuffix("weight") && !$0.hasSuffix("bias") }
        #expect(layerNames == [0, 2, 4, 6, 8, 10].map { "param_norm.layers.\($0)" })
        #expect(abs(v["param_norm"]! - Self.norm(net.parameterVector())) < 1e-12)
        let w = net.parameter(named: "layers.10.weight")!, b = net.parameter(named: "layers.10.bias")!
        #expect(abs(v["param_norm.layers.10.weight"]! - Self.norm(Array(w.valueBuffer))) < 1e-12)
        #expect(abs(v["param_norm.layers.10"]! - Self.norm(Array(w.valueBuffer) + Array(b.valueBuffer))) < 1e-12)
        #expect(v["dist_from_init"] == nil && v["grad_norm"] == nil && v["sign_flip_fraction.init"] == nil)
    }

    @Test func distanceGradientNormAndSignFlips() throws {
        let net = Self.deepMLP()
        let initial = net.parameterVector()
        let references = DiagnosticReferences(initial: .init(parameters: initial, preactivations: []), taskStart: nil)
        let w = net.parameter(named: "layers.2.weight")!
        for i in 0..<3 { w.value[i] = -2 * w.value[i] }          // 3 sign flips, each moved by 3|w|
        net.parameter(named: "layers.2.bias")!.value[0] += 0.5  // biases never count as flips
        let gradient = (0..<net.parameterCount).map { Float($0 % 7) - 3 }
        let v = try parameterMetrics(network: net, gradient: gradient, references: references)
        let delta = zip(net.parameterVector(), initial).map { $0 - $1 }
        #expect(abs(v["dist_from_init"]! - Self.norm(delta)) < 1e-12)
        let layer2 = Array(delta[w.offset..<(w.offset + 20)])
        #expect(abs(v["dist_from_init.layers.2"]! - Self.norm(layer2)) < 1e-12 && v["dist_from_init.layers.4"] == 0)
        #expect(abs(v["grad_norm"]! - Self.norm(gradient)) < 1e-12)
        #expect(v["sign_flip_fraction.init.layers.2"] == 3.0 / 16 && v["sign_flip_fraction.init"] == 3.0 / 96)
        #expect(v["sign_flip_fraction.task_start"] == nil)
    }

    @Test func mismatchedReferenceIsAnError() {
        let net = Self.deepMLP()
        let references = DiagnosticReferences(initial: .init(parameters: [1, 2], preactivations: []), taskStart: nil)
        #expect(throws: DiagnosticError.self) { try parameterMetrics(network: net, gradient: nil, references: references) }
    }
}
