import Foundation
import Testing
import Tensors
@testable import Networks

/// Optimisers against their update rules, recomputed in Double over several steps.
@Suite struct OptimizerTests {
    /// A storage of three parameters with fixed values and gradients.
    func storage(_ theta: [Float], _ grad: [Float]) -> ParameterStorage {
        let s = ParameterStorage(count: theta.count)
        for i in theta.indices { s.values[i] = theta[i]; s.gradients[i] = grad[i] }
        return s
    }

    let theta0: [Float] = [1, -2, 0.5], grad: [Float] = [0.3, -0.1, 2]

    @Test func sgdMomentumAndNesterov() {
        for nesterov in [false, true] {
            let s = storage(theta0, grad)
            let opt = SGD(s, learningRate: 0.1, momentum: 0.9, nesterov: nesterov, weightDecay: 0.01)
            var theta = theta0.map(Double.init), buf = [0.0, 0, 0]
            for step in 0..<3 {
                opt.step()
                for i in 0..<3 {
                    let d = Double(grad[i]) + 0.01 * theta[i]
                    buf[i] = step == 0 ? d : 0.9 * buf[i] + d
                    theta[i] -= 0.1 * (nesterov ? d + 0.9 * buf[i] : buf[i])
                }
            }
            for i in 0..<3 { #expect(abs(Double(s.values[i]) - theta[i]) < 1e-5) }
            #expect(opt.stepCount == 3)
        }
    }

    @Test func adamAndAdamW() {
        for decoupled in [false, true] {
            let s = storage(theta0, grad)
            let opt = Adam(s, learningRate: 0.01, weightDecay: 0.1, decoupledWeightDecay: decoupled)
            var theta = theta0.map(Double.init), m = [0.0, 0, 0], v = [0.0, 0, 0]
            for t in 1...4 {
                opt.step()
                for i in 0..<3 {
                    if decoupled { theta[i] *= 1 - 0.01 * 0.1 }
                    let g = Double(grad[i]) + (decoupled ? 0 : 0.1 * theta[i])
                    m[i] = 0.9 * m[i] + 0.1 * g
                    v[i] = 0.999 * v[i] + 0.001 * g * g
                    let mHat = m[i] / (1 - pow(0.9, Double(t))), vHat = v[i] / (1 - pow(0.999, Double(t)))
                    theta[i] -= 0.01 * mHat / (vHat.squareRoot() + 1e-8)
                }
            }
            for i in 0..<3 { #expect(abs(Double(s.values[i]) - theta[i]) < 1e-5, "decoupled=\(decoupled) i=\(i)") }
        }
    }

    @Test func adamFirstStepMovesByLearningRate() {
        let s = storage(theta0, grad)
        Adam(s, learningRate: 0.01).step()
        for i in 0..<3 { #expect(abs((theta0[i] - s.values[i]) - 0.01 * (grad[i] > 0 ? 1 : -1)) < 1e-6) }
    }

    @Test func stateSaveLoadAndReset() throws {
        let s = storage(theta0, grad)
        let a = Adam(s)
        a.step(); a.step()
        let saved = a.stateVectors()
        #expect(saved.map(\.name) == ["exp_avg", "exp_avg_sq"])
        let s2 = storage(Array(UnsafeBufferPointer(start: s.values, count: 3)), grad)
        let b = Adam(s2)
        try b.loadStateVectors(saved, stepCount: a.stepCount)
        a.step(); b.step()
        for i in 0..<3 { #expect(s.values[i] == s2.values[i]) }
        a.resetState(indices: [1])
        #expect(a.stateVectors()[0].values[1] == 0 && a.stateVectors()[0].values[0] != 0)
        a.resetState()
        #expect(a.stepCount == 0 && a.stateVectors()[1].values.allSatisfy { $0 == 0 })
        #expect(throws: StateDictError.self) { try b.loadStateVectors([("exp_avg", [1])], stepCount: 1) }
    }

    @Test func schedules() {
        #expect(LearningRateSchedule.constant.rate(base: 0.1, step: 50) == 0.1)
        let cosine = LearningRateSchedule.cosine(totalSteps: 100, minimumRate: 0)
        #expect(cosine.rate(base: 1, step: 0) == 1)
        #expect(abs(cosine.rate(base: 1, step: 50) - 0.5) < 1e-6)
        #expect(cosine.rate(base: 1, step: 100) < 1e-6)
        #expect(abs(LearningRateSchedule.step(every: 10, gamma: 0.5).rate(base: 1, step: 25) - 0.25) < 1e-7)
    }

    @Test func gradientClipping() {
        let s = storage([0, 0, 0], [3, 4, 0])
        #expect(clipGradientNorm(s, maxNorm: 1) == 5)
        let norm = (0..<3).map { Double(s.gradients[$0]) }.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
        #expect(abs(s.gradients[0] - 0.6) < 1e-5)
        let untouched = storage([0, 0], [0.3, 0.4])
        #expect(clipGradientNorm(untouched, maxNorm: 1) == 0.5 && untouched.gradients[0] == 0.3)
    }
}
