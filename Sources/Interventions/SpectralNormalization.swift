import Networks
import Tensors

/// Spectral normalisation of weights (Miyato et al. 2018; [D]): after every step, for each
/// Linear/Conv2d weight W, seen as a matrix [out, in·k·k], one power iteration with a
/// persistent left vector u estimates the largest singular value,
///     v = Wᵀu / ‖Wᵀu‖,  u ← Wv / ‖Wv‖,  σ̂ = ‖Wv‖,
/// and the weight is rescaled W ← W / max(1, σ̂/c). σ̂ never exceeds σ_max and converges to it
/// over steps, so after convergence σ_max(W) ≤ c (to the power iteration's accuracy).
///
/// Unlike Miyato's reparametrisation this is a projection of the stored weights (the
/// optimiser sees the rescaled W). u starts as a normal draw from `training.rng` at the first
/// step and is saved in checkpoints (`u.<layer>`).
public final class SpectralNormalization: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "spectral-norm", summary: "after each step W ← W / max(1, σ̂/c), σ̂ from 1 persistent power iteration",
        source: "Miyato et al. 2018; [D]",
        parameters: [("c", "1", "bound c on each weight's largest singular value"),
                     ("iterations", "1", "power iterations per step")])
    public var name = SpectralNormalization.info.name
    public let bound: Float
    public let iterations: Int
    /// Left singular vector estimates, by layer name.
    public private(set) var leftVectors: [String: [Float]] = [:]
    private var right: [Float] = []
    private var matrices: [WeightMatrix]?

    public init(_ p: InterventionParameters) throws {
        bound = Float(try p.number("c", in: Double.leastNonzeroMagnitude...(.infinity)))
        iterations = try p.integer("iterations", in: 1...1000)
    }

    public func stepDidFinish(_ training: any TrainingContext) {
        if matrices == nil { matrices = training.network.weightMatrices }
        for w in matrices! {
            var u = leftVectors[w.name] ?? (0..<w.rows).map { _ in training.rng.normal() }
            let sigma = powerIteration(w, u: &u)
            leftVectors[w.name] = u
            if sigma > bound {
                let scale = bound / sigma, p = w.parameter.value
                for i in 0..<w.parameter.count { p[i] *= scale }
            }
        }
    }

    /// `iterations` power iterations on W from u (updated in place); returns σ̂ = ‖Wv‖.
    func powerIteration(_ w: WeightMatrix, u: inout [Float]) -> Float {
        let m = w.rows, n = w.columns, W = w.parameter.value
        if right.count < n { right = [Float](repeating: 0, count: n) }
        var sigma: Float = 0
        right.withUnsafeMutableBufferPointer { vb in
            u.withUnsafeMutableBufferPointer { ub in
                let v = vb.baseAddress!, uu = ub.baseAddress!
                for _ in 0..<iterations {
                    BLAS.gemm(.transpose, .none, m: n, n: 1, k: m, W, lda: n, uu, ldb: 1, v, ldc: 1)
                    normalize(v, n)
                    BLAS.gemm(.none, .none, m: m, n: 1, k: n, W, lda: n, v, ldb: 1, uu, ldc: 1)
                    sigma = normalize(uu, m)
                }
            }
        }
        return sigma
    }

    public func checkpointState() -> [String: [Float]] {
        Dictionary(uniqueKeysWithValues: leftVectors.map { ("u.\($0.key)", $0.value) })
    }

    public func restore(_ state: [String: [Float]]) throws {
        leftVectors = [:]
        for (key, v) in state {
            guard key.hasPrefix("u.") else { throw InterventionError("\(name): unexpected checkpoint key '\(key)'") }
            leftVectors[String(key.dropFirst(2))] = v
        }
    }
}

/// Scales x (n values) to unit L2 norm (norm in Double) and returns the norm before; a zero
/// vector is left as is.
@discardableResult
func normalize(_ x: UnsafeMutablePointer<Float>, _ n: Int) -> Float {
    var s = 0.0
    for i in 0..<n { s += Double(x[i]) * Double(x[i]) }
    let norm = Float(s.squareRoot())
    if norm > 0 { let r = 1 / norm; for i in 0..<n { x[i] *= r } }
    return norm
}
