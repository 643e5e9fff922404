import Foundation
import Testing
import Tensors
@testable import Networks

/// Loss values against hand computations and gradients against central differences.
@Suite struct LossTests {
    /// Relative error between a loss's gradient tensor and central differences of its value.
    func gradientError(_ logits: Tensor, h: Float = 1e-2, loss: (Tensor) -> Float, gradient: () -> Tensor) -> Double {
        _ = loss(logits)
        let analytic = gradient().values.map(Double.init)
        let numeric: [Double] = (0..<logits.count).map { i in
            let saved = logits.data[i]
            logits.data[i] = saved + h
            let plus = Double(loss(logits))
            logits.data[i] = saved - h
            let minus = Double(loss(logits))
            logits.data[i] = saved
            return (plus - minus) / (2 * Double(h))
        }
        return relativeError(analytic, numeric)
    }

    @Test func crossEntropyValue() {
        let ce = CrossEntropyLoss()
        let logits = Tensor(shape: Shape(2, 3), values: [1, 2, 3, 0, 0, 0])
        let expected = ((log(exp(1.0) + exp(2) + exp(3)) - 1) + log(3.0)) / 2
        #expect(abs(Double(ce(logits, [0, 2])) - expected) < 1e-6)
    }

    @Test(arguments: [Float(0), 0.1])
    func crossEntropyGradient(smoothing: Float) {
        let ce = CrossEntropyLoss(labelSmoothing: smoothing)
        let e = gradientError(randomInput(Shape(4, 5)), loss: { ce($0, [0, 3, 4, 1]) }, gradient: { ce.gradient })
        #expect(e < 1e-3)
    }

    @Test func labelSmoothingMatchesDefinition() {
        // (1 − ε)·CE(y) + ε·mean_c(−log p_c), PyTorch's definition.
        let logits = Tensor(shape: Shape(1, 3), values: [0.5, -1, 2])
        let z = [0.5, -1.0, 2.0], lse = log(z.map(exp).reduce(0, +))
        let expected = 0.8 * (lse - z[1]) + 0.2 * z.map { lse - $0 }.reduce(0, +) / 3
        #expect(abs(Double(CrossEntropyLoss(labelSmoothing: 0.2)(logits, [1])) - expected) < 1e-6)
    }

    /// Logits (20, 0, 0), label 0: p₀ − 1 = −S/(1 + S) with S = 2e⁻²⁰ ≈ 4.1e-9, below Float32's
    /// resolution of 1 − p₀ (1 − 4.1e-9 rounds to 1, so p₀ − 1 formed naively is 0).
    @Test func crossEntropyOfAFittedRowKeepsItsDigits() {
        let ce = CrossEntropyLoss()
        let loss = ce(Tensor(shape: Shape(1, 3), values: [20, 0, 0]), [0])
        let e = exp(-20.0), s = 2 * e
        #expect(abs(Double(ce.gradient[0, 0]) + s / (1 + s)) <= 1e-6 * s)
        #expect(abs(Double(ce.gradient[0, 1]) - e / (1 + s)) <= 1e-6 * e)
        #expect(abs(Double(loss) - log1p(s)) <= 1e-6 * s)
        let smoothed = CrossEntropyLoss(labelSmoothing: 0.1)
        _ = smoothed(Tensor(shape: Shape(1, 3), values: [20, 0, 0]), [0])
        #expect(abs(Double(smoothed.gradient[0, 0]) - (0.1 * 2 / 3 - s / (1 + s))) <= 1e-7)
    }

    /// A two-hot target on a centre is one-hot; fitted logits (0, 0, 25, 0, 0) leave
    /// p₂ − 1 = −4e⁻²⁵/(1 + 4e⁻²⁵) ≈ −5.6e-11 and a loss of log1p(4e⁻²⁵).
    @Test func distributionalLossOfAFittedRowKeepsItsDigits() {
        let loss = DistributionalRegressionLoss(.twoHot, minimum: -1, maximum: 1, bins: 5)
        let value = loss(Tensor(shape: Shape(1, 5), values: [0, 0, 25, 0, 0]), [0])
        let s = 4 * exp(-25.0)
        #expect(abs(Double(loss.gradient[0, 2]) + s / (1 + s)) <= 1e-6 * s)
        #expect(abs(Double(value) - log1p(s)) <= 1e-6 * s)
        #expect(abs(loss.predictions[0]) < 1e-9)
    }

    /// A target 9σ beyond the support: the masses come from the Gaussian's tail (there
    /// 1 + erf(s) rounds to 0 in Double, leaving nothing to renormalise); all mass on the end
    /// bin once even the tail underflows.
    @Test func hlGaussTargetsBeyondTheSupport() {
        let loss = DistributionalRegressionLoss(.hlGauss(sigma: 0.5), minimum: 0, maximum: 2, bins: 4)
        let tail = { (edge: Double, y: Double) in 0.5 * erfc(abs(edge - y) / 0.5 / 2.0.squareRoot()) }
        let total = tail(2, 6.5) - tail(0, 6.5)
        let expected = [tail(0.5, 6.5) - tail(0, 6.5), tail(1, 6.5) - tail(0.5, 6.5), tail(1.5, 6.5) - tail(1, 6.5),
                        tail(2, 6.5) - tail(1.5, 6.5)].map { $0 / total }
        #expect(expected[2] > 6e-5)
        for (q, e) in [(loss.distribution(for: 6.5), expected), (loss.distribution(for: -4.5), expected.reversed())] {
            for (a, b) in zip(q, e) { #expect(abs(Double(a) - b) <= 1e-6 * b + 1e-30, "\(a) vs \(b)") }
        }
        #expect(loss.distribution(for: 1e4) == [0, 0, 0, 1] && loss.distribution(for: -1e4) == [1, 0, 0, 0])
    }

    @Test func mseValueAndGradient() {
        let mse = MSELoss()
        let p = Tensor(shape: Shape(2, 2), values: [1, 2, 3, 4]), t = Tensor(shape: Shape(2, 2), values: [0, 2, 5, 4])
        #expect(mse(p, t) == 1.25)
        #expect(mse.gradient.values == [0.5, 0, -1, 0])
        let target = randomInput(Shape(3, 2), seed: 9)
        let e = gradientError(randomInput(Shape(3, 2)), loss: { mse($0, target) }, gradient: { mse.gradient })
        #expect(e < 1e-3)
    }

    @Test func huberValues() {
        let huber = HuberLoss(delta: 1)
        let p = Tensor(shape: Shape(3), values: [0, 0, 0]), t = Tensor(shape: Shape(3), values: [0.5, -2, 3])
        // ½·0.25, 1·(2 − 0.5), 1·(3 − 0.5), averaged.
        #expect(abs(huber(p, t) - Float((0.125 + 1.5 + 2.5) / 3)) < 1e-6)
        #expect(huber.gradient.values.map { $0 * 3 } == [-0.5, 1, -1])
    }

    @Test func huberOnTakenActions() {
        let huber = HuberLoss()
        let q = randomInput(Shape(4, 3))
        let actions = [2, 0, 1, 2], targets: [Float] = [0.3, -2, 1, 5]
        let e = gradientError(q, loss: { huber($0, actions: actions, targets: targets) }, gradient: { huber.gradient })
        #expect(e < 1e-3)
        _ = huber(q, actions: actions, targets: targets)
        #expect(huber.gradient[0, 0] == 0 && huber.gradient[1, 1] == 0)
    }

    @Test func twoHotTargetsAndMean() {
        let loss = DistributionalRegressionLoss(.twoHot, minimum: -1, maximum: 1, bins: 5)
        #expect(loss.centers == [-1, -0.5, 0, 0.5, 1])
        let q = loss.distribution(for: 0.2)
        #expect(abs(q[2] - 0.6) < 1e-6 && abs(q[3] - 0.4) < 1e-6)
        #expect(zip(q, loss.centers).map { $0 * $1 }.reduce(0, +) - 0.2 < 1e-6)
        #expect(loss.distribution(for: 7) == [0, 0, 0, 0, 1])
    }

    @Test func hlGaussTargets() {
        let loss = DistributionalRegressionLoss(.hlGauss(sigma: nil), minimum: 0, maximum: 10, bins: 10)
        let q = loss.distribution(for: 5)
        #expect(abs(q.reduce(0, +) - 1) < 1e-5)
        #expect(abs(q[4] - q[5]) < 1e-6 && q[4] > q[3] && q[3] > q[2])
        // Bin [4, 5] holds Φ(0) − Φ(−1/σ) of the mass with σ = 0.75, before renormalisation.
        let phi = { (x: Double) in 0.5 * (1 + erf(x / 2.0.squareRoot())) }
        let total = phi(5 / 0.75) - phi(-5 / 0.75)
        #expect(abs(Double(q[4]) - (phi(0) - phi(-1 / 0.75)) / total) < 1e-5)
    }

    @Test(arguments: [DistributionalRegressionLoss.Kind.twoHot, .hlGauss(sigma: nil)])
    func distributionalGradientAndPrediction(kind: DistributionalRegressionLoss.Kind) {
        let loss = DistributionalRegressionLoss(kind, minimum: -2, maximum: 2, bins: 9)
        // Interior targets: near the support's edge HL-Gauss's truncated Gaussian biases the mean.
        let targets: [Float] = [0.3, -1.1, 1.1]
        let e = gradientError(randomInput(Shape(3, 9)), loss: { loss($0, targets) }, gradient: { loss.gradient })
        #expect(e < 1e-3)
        // Logits equal to the log of the target distribution predict the target itself.
        let logits = Tensor(shape: Shape(3, 9))
        for (n, y) in targets.enumerated() {
            for (i, p) in loss.distribution(for: y).enumerated() { logits[n, i] = log(max(p, 1e-12)) }
        }
        _ = loss(logits, targets)
        for (p, y) in zip(loss.predictions, targets) { #expect(abs(p - y) < 0.02) }
    }
}
