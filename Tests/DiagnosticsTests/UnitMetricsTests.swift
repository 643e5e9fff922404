import Testing
import Networks
import Tensors
@testable import Diagnostics

@Suite struct UnitMetricsTests {
    /// Linear(5,6) ReLU Linear(6,4) ReLU Linear(4,3), with unit 1 of layers.0 dead (w = 0, b = −1),
    /// unit 4 of layers.0 linearised (w = 0, b = 2) and unit 0 of layers.2 dead.
    static func plantedMLP() -> (Network, Linear, Linear) {
        var rng = RandomGenerator(seed: 11)
        let a = Linear(5, 6, rng: &rng), b = Linear(6, 4, rng: &rng)
        let net = Network(Sequential(a, Activation(.relu), b, Activation(.relu), Linear(4, 3, rng: &rng)))
        ReferenceMath.plant(a, unit: 1, bias: -1)
        ReferenceMath.plant(a, unit: 4, bias: 2)
        ReferenceMath.plant(b, unit: 0, bias: -1)
        return (net, a, b)
    }

    @Test func plantedDeadAndLinearisedUnitsMatchADoubleRecomputation() throws {
        let (net, a, b) = Self.plantedMLP()
        let x = ReferenceMath.normal(Shape(40, 5), seed: 2)
        let h0 = ReferenceMath.relu(ReferenceMath.linear(ReferenceMath.rows(x), a))
        let z1 = ReferenceMath.linear(h0, b), h1 = ReferenceMath.relu(z1)
        let values = try unitMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x)))
        for (layer, h, units) in [("layers.0", h0, 6.0), ("layers.2", h1, 4.0)] {
            let dead = (0..<h[0].count).filter { j in h.allSatisfy { $0[j] == 0 } }.count
            #expect(values["dead.\(layer)"] == Double(dead) / units)
            for tau in [0, 0.025, 0.1] {
                let name = "dormant." + MetricNames.threshold("tau", tau) + "." + layer
                #expect(values[name] == Double(ReferenceMath.dormantCount(h, tau: tau)) / units)
            }
            let active = h.map { $0.filter { $0 > 0 }.count }.reduce(0, +)
            #expect(abs(values["active_fraction.\(layer)"]! - Double(active) / (40 * units)) < 1e-12)
        }
        #expect(values["dead.layers.0"]! >= 1.0 / 6 && values["dead.layers.2"]! >= 1.0 / 4)
        #expect(values["linearised.layers.0"]! >= 1.0 / 6)
        #expect(values.entries.contains { $0.name == "saturated.layers.0" && $0.value == nil })
        let dormantAll = values["dormant.tau0.1.layers.0"]! * 6 + values["dormant.tau0.1.layers.2"]! * 4
        #expect(abs(values["dormant.tau0.1"]! - dormantAll / 10) < 1e-12)
        let units = dormantUnits(in: net, inputs: x, threshold: 0)
        #expect(units.map(\.layer) == ["layers.0", "layers.2"] && units[0].units.contains(1) && units[1].units.contains(0))
    }

    @Test func lowActivityAndDormancyByHand() throws {
        // 200 samples; feature 0 is 1 on sample 0 only. Unit 0 reads it (active on 0.5% of
        // samples, a = 0.005); unit 1 is a constant 1 (a = 1, linearised).
        let x = Tensor(shape: Shape(200, 3))
        x[0, 0] = 1
        var rng = RandomGenerator(seed: 1)
        let fc = Linear(3, 2, rng: &rng)
        ReferenceMath.plant(fc, unit: 0, bias: 0, weights: [1, 0, 0])
        ReferenceMath.plant(fc, unit: 1, bias: 1)
        let net = Network(Sequential(fc, Activation(.relu), Linear(2, 2, rng: &rng)))
        let v = try unitMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x)))
        #expect(v["low_activity.layers.0"] == 0.5 && v["dead.layers.0"] == 0 && v["linearised.layers.0"] == 0.5)
        let activeFraction: Double = (1.0 / 200 + 1) / 2
        #expect(v["active_fraction.layers.0"] == activeFraction)
        // s₀ = 0.005 / 0.5025 ≈ 0.00995: dormant at τ = 0.025 and 0.1, not at τ = 0.
        #expect(v["dormant.tau0.layers.0"] == 0 && v["dormant.tau0.025.layers.0"] == 0.5 && v["dormant.tau0.1"] == 0.5)
    }

    @Test func allZeroLayerIsAllDormant() throws {
        var rng = RandomGenerator(seed: 1)
        let fc = Linear(3, 4, rng: &rng)
        for u in 0..<4 { ReferenceMath.plant(fc, unit: u, bias: -1) }
        let net = Network(Sequential(fc, Activation(.relu), Linear(4, 2, rng: &rng)))
        let v = try unitMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: ReferenceMath.normal(Shape(8, 3), seed: 1))))
        #expect(v["dead"] == 1 && v["dormant.tau0"] == 1 && v["dormant.tau0.1"] == 1 && v["active_fraction"] == 0)
    }

    @Test func saturatedTanhAndSigmoidUnits() throws {
        let x = ReferenceMath.normal(Shape(30, 2), seed: 4)
        let cases: [(function: ActivationFunction, biases: [Float], saturated: Double)] = [(.tanh, [4, -3], 2.0 / 3), (.sigmoid, [5, -4.9], 1.0 / 3)]
        for (function, biases, saturated) in cases {
            var rng = RandomGenerator(seed: 1)
            let fc = Linear(2, 3, rng: &rng)
            ReferenceMath.plant(fc, unit: 0, bias: biases[0])
            ReferenceMath.plant(fc, unit: 1, bias: biases[1])
            ReferenceMath.plant(fc, unit: 2, bias: 0, weights: [1, 0])
            let net = Network(Sequential(fc, Activation(function), Linear(3, 2, rng: &rng)))
            let v = try unitMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x)))
            // tanh: |4| and |−3| reach 3; sigmoid: |5| reaches 5, |−4.9| does not.
            #expect(v["saturated.layers.0"] == saturated)
            #expect(v.entries.contains { $0.name == "linearised" && $0.value == nil })
        }
    }

    @Test func creluUnitsOwnBothHalves() throws {
        var rng = RandomGenerator(seed: 1)
        let fc = Linear(2, 3, rng: &rng)
        ReferenceMath.plant(fc, unit: 0, bias: 0)                  // z ≡ 0: dead
        ReferenceMath.plant(fc, unit: 1, bias: -1)                 // z ≡ −1: h⁻ = 1, linearised
        ReferenceMath.plant(fc, unit: 2, bias: 0, weights: [1, 0]) // z = x₀: both signs
        let net = Network(Sequential(fc, CReLU(), Linear(6, 2, rng: &rng)))
        let x = ReferenceMath.normal(Shape(25, 2), seed: 9)
        let v = try unitMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x)))
        #expect(v["dead.layers.0"] == 1.0 / 3 && v["linearised.layers.0"] == 1.0 / 3 && v["active_fraction.layers.0"] == 2.0 / 3)
        let a = [0, 1, ReferenceMath.mean(ReferenceMath.column(ReferenceMath.rows(x), 0).map(abs))]
        let s = a.map { $0 / ReferenceMath.mean(a) }
        #expect(v["dormant.tau0.1.layers.0"] == Double(s.filter { $0 <= 0.1 }.count) / 3)
    }

    @Test func convUnitsPoolExamplesAndPositions() throws {
        var rng = RandomGenerator(seed: 6)
        let conv = Conv2d(1, 3, kernelSize: 3, padding: 1, rng: &rng)
        for k in 0..<9 { conv.weight.value[2 * 9 + k] = 0 }
        conv.bias!.value[2] = -1
        let net = Network(Sequential(conv, Activation(.relu), Flatten(), Linear(48, 2, rng: &rng)))
        let x = ReferenceMath.normal(Shape(6, 1, 4, 4), seed: 8)
        // Direct Double convolution; a[c] = mean over the 6·16 positions of relu(z).
        var a = [Double](repeating: 0, count: 3)
        for c in 0..<3 {
            for n in 0..<6 {
                for i in 0..<4 {
                    for j in 0..<4 {
                        var z = Double(conv.bias!.value[c])
                        for ki in 0..<3 { for kj in 0..<3 {
                            let (r, q) = (i + ki - 1, j + kj - 1)
                            if r >= 0 && r < 4 && q >= 0 && q < 4 { z += Double(conv.weight.value[c * 9 + ki * 3 + kj]) * Double(x[n, 0, r, q]) }
                        } }
                        a[c] += Swift.max(z, 0) / 96
                    }
                }
            }
        }
        let v = try unitMetrics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x)))
        let s = a.map { $0 / ReferenceMath.mean(a) }
        #expect(v["dead.layers.0"] == 1.0 / 3)
        for tau in [0.025, 0.1] {
            #expect(v["dormant." + MetricNames.threshold("tau", tau) + ".layers.0"] == Double(s.filter { $0 <= tau }.count) / 3)
        }
        let stats = UnitStatistics(DiagnosticContext(network: net, probe: ProbeBatch(inputs: x)).layers[0])
        for c in 0..<3 { #expect(abs(stats.meanAbsoluteActivation[c] - a[c]) < 1e-6) }
    }

    @Test func gradientDormancyReadsIncomingWeightGradients() throws {
        let (net, a, _) = Self.plantedMLP()
        let x = ReferenceMath.normal(Shape(40, 5), seed: 2)
        let labels = (0..<40).map { $0 % 3 }
        net.storage.gradientBuffer.update(repeating: 7)
        let context = DiagnosticContext(network: net, probe: ProbeBatch(inputs: x, targets: .labels(labels)))
        #expect(net.storage.gradientBuffer.allSatisfy { $0 == 7 })
        let v = try unitMetrics(context)
        // Independent: the network's own backward, then row norms of layers.0.weight's gradient.
        net.zeroGradients()
        let ce = CrossEntropyLoss()
        _ = ce(net.forward(x, mode: .evaluation), labels)
        net.backward(ce.gradient)
        let g = (0..<6).map { u in (0..<5).map { Double(a.weight.gradient[u * 5 + $0]) }.map { $0 * $0 }.reduce(0, +).squareRoot() }
        let s = g.map { $0 / ReferenceMath.mean(g) }
        #expect(g[1] == 0)
        for tau in [0, 0.025, 0.1] {
            #expect(v["grad_dormant." + MetricNames.threshold("tau", tau) + ".layers.0"] == Double(s.filter { $0 <= tau }.count) / 6)
        }
    }
}
