import Foundation
@testable import Networks
import Tensors
import Testing

/// The Fourier activation and the TRAC and PSGD-Kron optimisers.
@Suite struct FourierAndOptimizerTests {
    @Test func fourierForwardAndGradient() {
        let layer = FourierActivation()
        var rng = RandomGenerator(seed: 2)
        let x = Tensor(shape: Shape(3, 2, 2, 2)), r = Tensor(shape: Shape(3, 4, 2, 2))
        rng.fillNormal(x.buffer)
        rng.fillNormal(r.buffer)
        let y = layer.forward(x, mode: .training)
        #expect(y.shape == Shape(3, 4, 2, 2))
        #expect(y[1, 1, 0, 1] == sin(x[1, 1, 0, 1]) && y[1, 3, 0, 1] == cos(x[1, 1, 0, 1]))
        let dx = layer.backward(r).values
        func loss() -> Double {
            let y = layer.forward(x, mode: .training)
            return (0..<y.count).reduce(0.0) { $0 + Double(r.data[$1]) * Double(y.data[$1]) }
        }
        var worst = 0.0
        for i in 0..<x.count {
            let saved = x.data[i], h: Float = 1e-2
            x.data[i] = saved + h; let plus = loss()
            x.data[i] = saved - h; let minus = loss()
            x.data[i] = saved
            worst = max(worst, abs((plus - minus) / (2 * Double(h)) - Double(dx[i])))
        }
        #expect(worst < 1e-3)
    }

    /// L(θ) = ½ Σᵢ cᵢ (θᵢ − 1)² with curvatures from 0.1 to 10, as a 3×4 "weight" and a
    /// 3-vector "bias"; returns the loss after `steps` steps and the final parameters.
    func quadratic(_ make: (ParameterStorage, [(name: String, parameter: Parameter)]) -> any Optimizer,
                   steps: Int) -> (first: Double, last: Double, theta: [Float]) {
        let w = Parameter(shape: Shape(3, 4)), b = Parameter(shape: Shape(3))
        let storage = ParameterStorage(count: 15)
        let params: [(name: String, parameter: Parameter)] = [("weight", w), ("bias", b)]
        var offset = 0
        for (_, p) in params { p.move(to: storage, offset: offset); offset += p.count }
        let c = (0..<15).map { 0.1 * pow(100, Double($0) / 14) }
        func loss() -> Double { (0..<15).reduce(0.0) { $0 + 0.5 * c[$1] * pow(Double(storage.values[$1]) - 1, 2) } }
        let opt = make(storage, params)
        let first = loss()
        for _ in 0..<steps {
            for i in 0..<15 { storage.gradients[i] = Float(c[i] * (Double(storage.values[i]) - 1)) }
            opt.step()
        }
        return (first, loss(), Array(storage.valueBuffer))
    }

    @Test func tracReducesLossAndIsDeterministic() {
        let make = { (s: ParameterStorage, _: [(name: String, parameter: Parameter)]) -> any Optimizer in
            TRAC(base: Adam(s, learningRate: 0.05), storage: s)
        }
        let a = quadratic(make, steps: 300), b = quadratic(make, steps: 300)
        #expect(a.last < 0.05 * a.first, "loss \(a.first) → \(a.last)")
        #expect(a.theta == b.theta)
    }

    @Test func psgdKronReducesLossKeepsFactorsFiniteAndIsDeterministic() throws {
        var optimizer: PSGDKron?
        let make = { (s: ParameterStorage, p: [(name: String, parameter: Parameter)]) -> any Optimizer in
            let o = PSGDKron(s, parameters: p, learningRate: 0.02, seed: 3)
            optimizer = o
            return o
        }
        let a = quadratic(make, steps: 300), b = quadratic(make, steps: 300)
        #expect(a.last < 0.05 * a.first, "loss \(a.first) → \(a.last)")
        #expect(a.theta == b.theta)
        let state = optimizer!.stateVectors()
        #expect(state.map(\.name) == ["exp_avg", "Q", "rng"])
        #expect(state[1].values.count == 9 + 16 + 3 && state[1].values.allSatisfy(\.isFinite))
    }

    @Test func optimizerStateRoundTrips() throws {
        for kind in ["trac", "kron"] {
            func run(split: Bool) throws -> [Float] {
                let s = ParameterStorage(count: 6), w = Parameter(shape: Shape(2, 3))
                w.move(to: s, offset: 0)
                for i in 0..<6 { s.values[i] = Float(i) * 0.3 - 0.7 }
                func make() -> any Optimizer {
                    kind == "trac" ? TRAC(base: Adam(s, learningRate: 0.1), storage: s)
                                   : PSGDKron(s, parameters: [("w", w)], learningRate: 0.05)
                }
                var opt = make()
                for step in 0..<20 {
                    if split && step == 10 {
                        let saved = opt.stateVectors(), count = opt.stepCount
                        opt = make()
                        try opt.loadStateVectors(saved, stepCount: count)
                    }
                    for i in 0..<6 { s.gradients[i] = s.values[i] * Float(i + 1) - 0.2 }
                    opt.step()
                }
                return Array(s.valueBuffer)
            }
            #expect(try run(split: false) == run(split: true), "\(kind)")
        }
    }

    @Test func erfiMatchesKnownValues() {
        #expect(abs(erfi(0.5) - 0.614_952_094_696_511) < 1e-13)
        #expect(abs(erfi(1) - 1.650_425_758_797_542_8) < 1e-13)
        #expect(abs(erfi(-2) + 18.564_802_414_575_552) < 1e-11)
        #expect(abs(erfi(3) - 1_629.994_622_601_57) < 1e-9)
        #expect(abs(erfi(5) / 8_298_273_880.676_803 - 1) < 1e-13)
        #expect(abs(erfi(5.0001) / 8_306_402_827.333_902 - 1) < 1e-13)
        #expect(abs(erfi(6) / 411_275_145_582_823.87 - 1) < 1e-13)
        #expect(abs(erfi(6.5) / 1.962_252_677_547_840_5e17 - 1) < 1e-13)
    }
}
