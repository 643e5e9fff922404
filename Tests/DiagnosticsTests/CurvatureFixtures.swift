import Tensors
import Training
@testable import Diagnostics
@testable import Networks

/// Helpers of the curvature and kernel tests, kept in one namespace.
enum CurvatureMath {
    /// Norm-wise relative error ‖a − b‖ / max(‖a‖, ‖b‖).
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        var diff = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { diff += (x - y) * (x - y); na += x * x; nb += y * y }
        let scale = max(na.squareRoot(), nb.squareRoot())
        return scale == 0 ? 0 : diff.squareRoot() / scale
    }

    /// A tensor of standard normal values.
    static func normalTensor(_ shape: Shape, seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let t = Tensor(shape: shape)
        rng.fillNormal(t.buffer)
        return t
    }

    /// A unit-norm Gaussian direction of length n.
    static func randomDirection(_ n: Int, seed: UInt64) -> [Double] {
        var rng = RandomGenerator(seed: seed)
        let v = (0..<n).map { _ in Double(rng.normal()) }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    /// Random labels in 0..<k.
    static func randomLabels(_ n: Int, classes k: Int, seed: UInt64) -> [Int] {
        var rng = RandomGenerator(seed: seed)
        return (0..<n).map { _ in rng.below(k) }
    }

    /// Randomises every LayerNorm/BatchNorm affine parameter so γ ≠ 1 and β ≠ 0 are exercised.
    static func perturbNormalizations(_ network: Network, seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        for (_, layer) in network.namedLayers where layer is LayerNorm || layer is BatchNorm {
            for (name, p) in layer.localParameters { rng.fillNormal(p.valueBuffer, mean: name == "weight" ? 1 : 0, std: 0.3) }
        }
    }

    /// Central differences of the Double gradient: (∇L(θ + hv) − ∇L(θ − hv)) / 2h.
    static func finiteDifferenceHVP(_ network: Network, _ probe: ProbeBatch, mode: Mode, _ v: [Double], h: Double = 1e-4) throws -> [Double] {
        let theta = network.storage.valueBuffer.map(Double.init)
        let plus = try HessianVectorProduct(network: network, probe: probe, mode: mode,
                                            parameters: zip(theta, v).map { $0 + h * $1 }).gradient
        let minus = try HessianVectorProduct(network: network, probe: probe, mode: mode,
                                             parameters: zip(theta, v).map { $0 - h * $1 }).gradient
        return zip(plus, minus).map { ($0 - $1) / (2 * h) }
    }

    /// The network's own Float32 gradient of the probe loss (evaluation or training mode).
    static func floatGradient(_ network: Network, _ probe: ProbeBatch, mode: Mode) -> [Double] {
        let loss = TrainingLoss(probe.loss)
        let out = network.forward(probe.inputs, mode: mode)
        switch probe.targets {
        case .labels(let y): _ = loss(out, labels: y, values: Tensor(shape: Shape(0)))
        case .values(let t): _ = loss(out, labels: [], values: t)
        case nil: fatalError("probe without targets")
        }
        network.zeroGradients()
        network.backward(loss.gradient)
        return network.storage.gradientBuffer.map(Double.init)
    }

    /// The explicit P×P matrix of an operator, column j = A e_j (row-major, symmetrised).
    static func explicitMatrix(_ op: SymmetricOperator) -> [Double] {
        let n = op.dimension
        var a = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let column = op(e)
            for i in 0..<n { a[i * n + j] = column[i] }
        }
        for i in 0..<n {
            for j in 0..<i { let m = 0.5 * (a[i * n + j] + a[j * n + i]); a[i * n + j] = m; a[j * n + i] = m }
        }
        return a
    }

    /// A row-major n×n symmetric matrix Q diag(eigenvalues) Qᵀ with Q a random orthogonal
    /// matrix (the eigenvectors of a random symmetric one, from dsyevd).
    static func symmetricMatrix(eigenvalues: [Double], seed: UInt64) throws -> [Double] {
        let n = eigenvalues.count
        var rng = RandomGenerator(seed: seed)
        var g = (0..<(n * n)).map { _ in Double(rng.normal()) }
        for i in 0..<n { for j in 0..<i { g[i * n + j] = g[j * n + i] } }
        let q = try LinearAlgebra.symmetricEigen(g, size: n, vectors: true).vectors!
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += q[i * n + k] * eigenvalues[k] * q[j * n + k] }
                a[i * n + j] = s
            }
        }
        return a
    }

    /// Eigenvalues of a row-major symmetric matrix, largest first (LAPACK dsyevd).
    static func eigenvalues(_ a: [Double], size n: Int) throws -> [Double] {
        Array(try LinearAlgebra.symmetricEigen(a, size: n).values.reversed())
    }
}
