import CVectorMath
import Testing
import Tensors

/// The C kernels' two compiled variants (AVX2 + FMA and baseline) give the same bits, and
/// `plab_adam` equals its documented formula evaluated in Swift, bit for bit.
@Suite struct VectorMathVariantsTests {
    func values(_ n: Int, seed: UInt64, scale: Float) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return (0..<n).map { _ in rng.normal() * scale }
    }

    @Test func tanhVariantsAgreeBitForBit() {
        let xs = values(4_099, seed: 3, scale: 4) + [0, -0.0, 1e-5, -3e-4, 7.99, 8.5, -40, .infinity, -.infinity, .nan]
        var wide = [Float](repeating: 0, count: xs.count), baseline = wide
        plab_tanh(xs, &wide, xs.count)
        plab_tanh_baseline(xs, &baseline, xs.count)
        #expect(wide.map(\.bitPattern) == baseline.map(\.bitPattern))
        #expect(wide[xs.count - 1].isNaN && wide[xs.count - 3] == 1 && wide[xs.count - 2] == -1)
    }

    @Test(arguments: [(Float(0.99), Float(0)), (Float(1), Float(1e-2))])
    func adamVariantsAgreeWithTheFormula(decay: Float, coupled: Float) {
        let n = 1_003
        let theta = values(n, seed: 1, scale: 0.5), grad = values(n, seed: 2, scale: 0.1)
        let m = values(n, seed: 4, scale: 0.01), v = values(n, seed: 5, scale: 0.01).map { $0 * $0 }
        let c = plab_adam_constants(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step_size: 1e-3 / (1 - 0.9 * 0.9),
                                    inverse_sqrt_correction2: 1 / (1 - 0.999 * 0.999 as Float).squareRoot(),
                                    decay: decay, coupled_decay: coupled)
        var (t1, m1, v1) = (theta, m, v), (t2, m2, v2) = (theta, m, v)
        plab_adam(&t1, grad, &m1, &v1, n, c)
        plab_adam_baseline(&t2, grad, &m2, &v2, n, c)
        #expect(t1.map(\.bitPattern) == t2.map(\.bitPattern) && m1 == m2 && v1 == v2)
        for i in 0..<n {
            let g = grad[i] + c.coupled_decay * theta[i]
            let mi = c.beta1 * m[i] + (1 - c.beta1) * g
            let vi = c.beta2 * v[i] + (1 - c.beta2) * g * g
            let th = theta[i] * c.decay - c.step_size * mi / (vi.squareRoot() * c.inverse_sqrt_correction2 + c.epsilon)
            #expect(m1[i] == mi && v1[i] == vi && t1[i].bitPattern == th.bitPattern, "element \(i)")
        }
    }
}
