import Foundation

/// One row of softmax cross-entropy against a target distribution q (one-hot, smoothed,
/// two-hot, HL-Gauss), computed without cancellation once the row is fitted.
///
/// With t = argmax z and eⱼ = exp(zⱼ − z_t) (so e_t = 1), S = Σ_{j≠t} eⱼ:
///
///     pⱼ = eⱼ / (1 + S),   logsumexp(z) − zⱼ = (z_t − zⱼ) + log1p(S),
///     1 − p_t = Σ_{j≠t} pⱼ = S / (1 + S).
///
/// The naive gradient entry p_t − q_t loses its digits when p_t and q_t are both near 1 (a
/// fitted example: p_y − 1 in Float32 keeps only log₂(1/(1 − p_y)) of its 24 bits and is 0
/// once 1 − p_y < 6e-8). So when p_t > ½ that entry is formed from the two small complements,
/// p_t − q_t = Σ_{j≠t} qⱼ − S/(1 + S), each exact to a few ulps; for one-hot q with t = y this
/// is −Σ_{j≠y} pⱼ. The loss −Σ q_c log p_c uses log1p(S) for the same reason.
struct SoftmaxCrossEntropyRow {
    /// t, the arg-max of the row (first on ties).
    let top: Int
    /// S / (1 + S) = 1 − p_t, summed from the small terms.
    let offTopMass: Float
    /// log1p(S) = logsumexp(z) − z_t.
    let logNormalizer: Float

    /// Writes pⱼ into `p` (which may be the gradient buffer the row later turns into).
    init(logits z: UnsafePointer<Float>, count k: Int, probabilities p: UnsafeMutablePointer<Float>) {
        var t = 0
        for c in 1..<k where z[c] > z[t] { t = c }
        var s: Float = 0
        for c in 0..<k where c != t { let e = Foundation.exp(z[c] - z[t]); p[c] = e; s += e }
        let sum = 1 + s
        for c in 0..<k where c != t { p[c] /= sum }
        p[t] = 1 / sum
        top = t
        offTopMass = s / sum
        logNormalizer = Foundation.log1p(s)
    }

    /// −Σ_c q_c log p_c, in Double.
    func loss(logits z: UnsafePointer<Float>, target q: UnsafePointer<Float>, count k: Int) -> Double {
        var total = 0.0
        for c in 0..<k where q[c] != 0 {
            total += Double(q[c]) * (Double(z[top] - z[c]) + Double(logNormalizer))
        }
        return total
    }

    /// Turns the probabilities in `g` into scale·(p − q) in place, the top entry from the
    /// complements when p_t > ½.
    func gradient(_ g: UnsafeMutablePointer<Float>, target q: UnsafePointer<Float>, count k: Int, scale: Float) {
        let pTop = g[top]
        for c in 0..<k where c != top { g[c] = (g[c] - q[c]) * scale }
        guard pTop > 0.5 else {
            g[top] = (pTop - q[top]) * scale
            return
        }
        var offTopTarget: Float = 0
        for c in 0..<k where c != top { offTopTarget += q[c] }
        g[top] = (offTopTarget - offTopMass) * scale
    }
}
