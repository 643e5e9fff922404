import Foundation
import Testing
import Tensors
@testable import Diagnostics
@testable import Networks

/// Gradient interference of a fitted network against a plain Double recomputation. Once an
/// example is fitted, dℓ/dz_y = p_y − 1 is a difference of two numbers near 1; formed naively
/// in Float32 it keeps only the digits of 1 − p_y above 6e-8, and the cosines of the
/// best-fitted examples' gradients drift (measured on this network before the loss formed
/// that entry as −Σ_{j≠y} p_j: mean cosine −0.018375 against −0.017815, 3.1e-2 relative
/// error; worst pair 0.077 apart).
@Suite struct FittedInterferenceTests {
    static let examples = 24, inputs = 4, hidden = 16, classes = 3

    /// A 4-16-3 tanh MLP trained full-batch with Adam on random labels until the mean
    /// cross-entropy is below 1e-3.
    static func fittedNetwork() -> (Network, Tensor, [Int], Float) {
        var rng = RandomGenerator(seed: 71)
        let fc1 = Linear(inputs, hidden, rng: &rng), fc2 = Linear(hidden, classes, rng: &rng)
        let net = Network(Sequential(fc1, Activation(.tanh), fc2))
        let x = CurvatureMath.normalTensor(Shape(examples, inputs), seed: 72)
        let y = CurvatureMath.randomLabels(examples, classes: classes, seed: 73)
        let ce = CrossEntropyLoss(), adam = Adam(net.storage, learningRate: 0.02)
        var loss = Float.infinity
        for _ in 0..<3000 where loss >= 1e-3 {
            net.zeroGradients()
            loss = ce(net.forward(x, mode: .training), y)
            net.backward(ce.gradient, inputGradient: false)
            adam.step()
        }
        return (net, x, y, ce(net.forward(x, mode: .evaluation), y))
    }

    /// Per-example gradients of ℓ = −log softmax(z)_y in Double, forward and backward by hand:
    /// δ₂ = p − e_y, δ₁ = (W₂ᵀδ₂) ⊙ (1 − h²), rows [dW₁, db₁, dW₂, db₂].
    static func referenceGradients(_ net: Network, _ x: Tensor, _ y: [Int]) -> (rows: [[Double]], offClassMass: [Double]) {
        let linears = net.namedLayers.compactMap { $0.layer as? Linear }
        let (fc1, fc2) = (linears[0], linears[1])
        let xs = ReferenceMath.rows(x)
        let h = ReferenceMath.linear(xs, fc1).map { $0.map { Foundation.tanh($0) } }
        let z = ReferenceMath.linear(h, fc2)
        let w2 = fc2.weight.valueBuffer.map(Double.init)
        var rows: [[Double]] = [], mass: [Double] = []
        for n in 0..<xs.count {
            let top = z[n].max()!
            let e = z[n].map { Foundation.exp($0 - top) }
            let sum = e.reduce(0, +)
            var d2 = e.map { $0 / sum }
            mass.append(1 - d2[y[n]])
            d2[y[n]] -= 1
            var d1 = [Double](repeating: 0, count: hidden)
            for j in 0..<hidden {
                var back = 0.0
                for c in 0..<classes { back += w2[c * hidden + j] * d2[c] }
                d1[j] = back * (1 - h[n][j] * h[n][j])
            }
            var row: [Double] = []
            for d in d1 { row += xs[n].map { d * $0 } }
            row += d1
            for d in d2 { row += h[n].map { d * $0 } }
            rows.append(row + d2)
        }
        return (rows, mass)
    }

    @Test func fittedNetworkCosinesMatchDouble() throws {
        let (net, x, y, loss) = Self.fittedNetwork()
        #expect(loss < 1e-3)
        let reference = Self.referenceGradients(net, x, y)
        // The naive Double reference keeps ≥ 6 digits while 1 − p_y > 1e-10.
        #expect(reference.offClassMass.min()! > 1e-10)
        #expect(reference.offClassMass.min()! < 1e-5, "some example must be fitted far past Float32's 1 − p_y resolution")
        let g = try GradientInterference(network: net, probe: ProbeBatch(inputs: x, targets: .labels(y)))
        let n = Self.examples
        var worst = 0.0, sum = 0.0
        for i in 0..<n {
            for j in (i + 1)..<n {
                let a = reference.rows[i], b = reference.rows[j]
                let c = DoubleVector.dot(a, b) / (DoubleVector.norm(a) * DoubleVector.norm(b))
                sum += c
                worst = max(worst, abs(try #require(g.cosines[i * n + j]) - c))
            }
        }
        let mean = sum / Double(n * (n - 1) / 2)
        #expect(abs(try #require(g.meanCosine) - mean) <= 1e-3 * abs(mean), "mean cosine \(g.meanCosine!) vs \(mean)")
        #expect(worst < 1e-3, "largest cosine difference \(worst)")
        #expect(g.zeroGradients == 0)
    }
}

/// The curvature diagnostics' Double output loss on a fitted row: logits (40, 0, 0), label 0,
/// S = 2e⁻⁴⁰ ≈ 8.5e-18 < Double's resolution of 1 − p₀, so p₀ − 1, log(1 + S) and
/// p₀(ż₀ − pᵀż) formed naively are all 0.
@Suite struct FittedOutputLossTests {
    @Test func gradientLossAndHessianProductKeepTheirDigits() throws {
        let loss = try OutputLoss(.crossEntropy(), targets: .labels([0]), outputShape: Shape(1, 3))
        let z = DoubleTensor(shape: Shape(1, 3)), g = DoubleTensor(shape: Shape(0))
        z.data[0] = 40
        let e = Foundation.exp(-40.0), s = 2 * e
        let value = loss.evaluate(z, gradient: g)
        #expect(abs(value - Foundation.log1p(s)) <= 1e-12 * s)
        #expect(abs(g.data[0] + s / (1 + s)) <= 1e-12 * s && abs(g.data[1] - e / (1 + s)) <= 1e-12 * e)
        let u = DoubleTensor(shape: Shape(1, 3)), out = DoubleTensor(shape: Shape(0))
        u.data[0] = 1
        loss.hessianProduct(u, into: out)
        // (∂²L/∂z²)e₀ = p₀(e₀ − p): p₀(1 − p₀) = S/(1 + S)², −p₀p₁ = −e/(1 + S)².
        #expect(abs(out.data[0] - s / ((1 + s) * (1 + s))) <= 1e-12 * s)
        #expect(abs(out.data[1] + e / ((1 + s) * (1 + s))) <= 1e-12 * e)
    }
}
