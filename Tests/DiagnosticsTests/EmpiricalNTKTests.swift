import Testing
import Tensors
@testable import Diagnostics
@testable import Networks

/// The empirical NTK of a linear model f(x) = Wx + b with k outputs has the closed form
/// ∂f_c(x)/∂W_{c'j} = δ_{cc'} x_j and ∂f_c/∂b_{c'} = δ_{cc'}, so
/// K[n·k + c, m·k + d] = δ_cd (xₙ·x_m + 1) and K_s[n, m] = k (xₙ·x_m + 1).
@Suite struct EmpiricalNTKTests {
    static let n = 6, d = 4, k = 3

    static func linearModel() -> (Network, Tensor, [Double]) {
        var rng = RandomGenerator(seed: 51)
        let net = Network(Sequential(Linear(d, k, rng: &rng)))
        let x = CurvatureMath.normalTensor(Shape(n, d), seed: 52)
        var dots = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in 0..<n {
                dots[a * n + b] = (0..<d).reduce(1.0) { $0 + Double(x.data[a * d + $1]) * Double(x.data[b * d + $1]) }
            }
        }
        return (net, x, dots)
    }

    @Test(arguments: [256 << 20, 64])
    func linearModelClosedForm(memoryBudget: Int) throws {
        let (net, x, dots) = Self.linearModel()
        net.storage.gradientBuffer.update(repeating: 0.5)
        let ntk = try EmpiricalNTK(network: net, inputs: x, options: EmpiricalNTKOptions(memoryBudget: memoryBudget))
        #expect(ntk.examples == Self.n && ntk.outputs == Self.k)
        #expect(CurvatureMath.relativeError(ntk.summedGram, dots.map { Double(Self.k) * $0 }) < 1e-12)
        let nk = Self.n * Self.k
        var full = [Double](repeating: 0, count: nk * nk)
        for a in 0..<Self.n {
            for b in 0..<Self.n { for c in 0..<Self.k { full[(a * Self.k + c) * nk + b * Self.k + c] = dots[a * Self.n + b] } }
        }
        #expect(CurvatureMath.relativeError(ntk.fullGram ?? [], full) < 1e-12)
        #expect(abs(ntk.full!.trace - Double(Self.k) * (0..<Self.n).reduce(0) { $0 + dots[$1 * Self.n + $1] }) < 1e-9)
        #expect(net.storage.gradientBuffer.allSatisfy { $0 == 0.5 })
    }

    /// A network mixing factored layers (Linear with bias) and explicit ones (Conv2d,
    /// LayerNorm affine, bias-free Linear): the Gram equals J Jᵀ of per-example gradients
    /// materialised one backward pass at a time, in Double.
    @Test func mixedNetworkMatchesExplicitJacobian() throws {
        var rng = RandomGenerator(seed: 61)
        let net = Network(Sequential(
            Conv2d(2, 3, kernelSize: 3, padding: 1, rng: &rng), Activation(.tanh), Flatten(),
            Linear(3 * 4 * 4, 8, rng: &rng), LayerNorm(Shape(8)), Activation(.relu), Linear(8, 5, rng: &rng),
            Activation(.tanh), Linear(5, 3, bias: false, rng: &rng)))
        CurvatureMath.perturbNormalizations(net, seed: 62)
        let x = CurvatureMath.normalTensor(Shape(4, 2, 4, 4), seed: 63)
        let ntk = try EmpiricalNTK(network: net, inputs: x)
        let rows = 4 * 3, p = net.parameterCount
        var jacobian = [Double](repeating: 0, count: rows * p)
        let one = Tensor(shape: Shape(1, 2, 4, 4)), seed = Tensor(shape: Shape(1, 3))
        for n in 0..<4 {
            one.data.update(from: x.data + n * 32, count: 32)
            _ = net.forward(one, mode: .evaluation)
            for c in 0..<3 {
                seed.fill(0)
                seed.data[c] = 1
                net.zeroGradients()
                net.backward(seed)
                for j in 0..<p { jacobian[(n * 3 + c) * p + j] = Double(net.storage.gradients[j]) }
            }
        }
        var full = [Double](repeating: 0, count: rows * rows)
        for a in 0..<rows {
            for b in 0..<rows { full[a * rows + b] = (0..<p).reduce(0) { $0 + jacobian[a * p + $1] * jacobian[b * p + $1] } }
        }
        #expect(CurvatureMath.relativeError(ntk.fullGram ?? [], full) < 1e-6)
    }

    @Test func spectrumConditionNumberAndTolerance() throws {
        // diag(4, 2, 1, 1e-9, 0): tol = 4·5·1e-7 = 2e-6, so 1e-9 and 0 are below it.
        var g = [Double](repeating: 0, count: 25)
        for (i, v) in [4.0, 2, 1, 1e-9, 0].enumerated() { g[i * 5 + i] = v }
        let s = try KernelSpectrum(gram: g, size: 5)
        #expect(s.lambdaMax == 4 && abs(s.tolerance - 2e-6) < 1e-18 && s.rankAboveTolerance == 3)
        #expect(s.lambdaMin == 1 && s.conditionNumber == 4 && abs(s.trace - (7 + 1e-9)) < 1e-15)
        let zero = try KernelSpectrum(gram: [Double](repeating: 0, count: 4), size: 2)
        #expect(zero.conditionNumber == nil && zero.lambdaMin == nil && zero.rankAboveTolerance == 0)
    }

    @Test func metricsNames() throws {
        let (net, x, _) = Self.linearModel()
        let v = try entkMetrics(network: net, probe: ProbeBatch(inputs: x), options: EmpiricalNTKOptions(maximumExamples: 4))
        #expect(v["entk.examples"] == 4 && v["entk.outputs"] == 3)
        for form in ["summed", "full"] {
            for name in ["lambda_max", "lambda_min", "condition_number", "trace", "tol", "rank_above_tol"] {
                #expect(v["entk.\(form).\(name)"] != nil, "entk.\(form).\(name)")
            }
        }
        // A linear model's summed kernel k(X̃X̃ᵀ) has rank ≤ d + 1 = 5, full rank on 4 examples.
        #expect(v["entk.summed.rank_above_tol"] == 4 && v["entk.full.rank_above_tol"] == 12)
    }
}

/// Cosines of per-example loss gradients.
@Suite struct GradientInterferenceTests {
    static func mlp() -> Network {
        var rng = RandomGenerator(seed: 61)
        return Network(Sequential(Linear(4, 8, rng: &rng), Activation(.tanh), Linear(8, 3, rng: &rng)))
    }

    @Test func identicalExamplesHaveCosineOne() throws {
        let net = Self.mlp()
        let x = CurvatureMath.normalTensor(Shape(4, 4), seed: 62)
        for j in 0..<4 { x.data[4 + j] = x.data[j] }                       // example 1 = example 0
        let probe = ProbeBatch(inputs: x, targets: .labels([2, 2, 0, 1]))
        let g = try GradientInterference(network: net, probe: probe)
        #expect(abs(g.cosines[1]! - 1) < 1e-6 && abs(g.cosines[0]! - 1) < 1e-6)
        #expect(g.zeroGradients == 0)
        // Reference: per-example gradients from the network's own batch-size-1 backward.
        let rows = (0..<4).map { n -> [Double] in
            let xn = Tensor(shape: Shape(1, 4), values: (0..<4).map { x.data[n * 4 + $0] })
            return CurvatureMath.floatGradient(net, ProbeBatch(inputs: xn, targets: .labels([[2, 2, 0, 1][n]])), mode: .evaluation)
        }
        var cosines: [Double] = []
        for i in 0..<4 {
            for j in (i + 1)..<4 {
                let dot = zip(rows[i], rows[j]).reduce(0) { $0 + $1.0 * $1.1 }
                cosines.append(dot / (DoubleVector.norm(rows[i]) * DoubleVector.norm(rows[j])))
            }
        }
        #expect(abs(g.meanCosine! - cosines.reduce(0, +) / 6) < 1e-6)
        #expect(g.fractionNegative == Double(cosines.filter { $0 < 0 }.count) / 6)
    }

    @Test func zeroGradientIsNullAndExcluded() throws {
        let net = Self.mlp()
        let x = CurvatureMath.normalTensor(Shape(3, 4), seed: 63)
        let y = CurvatureMath.normalTensor(Shape(3, 3), seed: 64)
        let out = net.forward(Tensor(shape: Shape(1, 4), values: Array(x.values[0..<4])), mode: .evaluation)
        for j in 0..<3 { y.data[j] = out.data[j] }                        // example 0 fits exactly
        let g = try GradientInterference(network: net, probe: ProbeBatch(inputs: x, targets: .values(y), loss: .mse))
        #expect(g.zeroGradients == 1)
        #expect(g.cosines[0] == nil && g.cosines[1] == nil && g.cosines[3] == nil && g.cosines[4] != nil)
        #expect(g.meanCosine == g.cosines[5])                              // the one pair (1, 2)
        let v = try interferenceMetrics(network: net, probe: ProbeBatch(inputs: x, targets: .values(y), loss: .mse))
        #expect(v["interference.zero_gradients"] == 1 && v["interference.examples"] == 3)
        #expect(v["interference.mean_cosine"] == g.meanCosine && v["interference.fraction_negative"] != nil)
    }
}
