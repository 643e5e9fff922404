import Foundation
import Networks
import Tensors

/// The mean probe loss as a function of the network output z, in Double: its value, its
/// gradient g = ∂L/∂z and its Hessian-vector product (∂²L/∂z²) ż, which starts the
/// R-backward pass.
///
/// - cross-entropy (label smoothing ε, targets q = (1−ε)·onehot + ε/K) and distributional
///   losses (softmax cross-entropy against q(y) over `bins`, one row per regression output):
///   over R rows, L = (1/R) Σᵣ −Σ_c q_c log p_c, g = (p − q)/R,
///   ∂²L/∂z² ż = (p ⊙ ż − p (pᵀż))/R per row; with t = argmax z and S = Σ_{j≠t} exp(z_j − z_t),
///   −log p_c = z_t − z_c + log1p(S), and when p_t > ½ its gradient entry is formed from the
///   complements, p_t − q_t = Σ_{j≠t} q_j − S/(1 + S), so a fitted row (p_y − 1 ≈ −1e-20) keeps
///   its digits (the Float32 loss `SoftmaxCrossEntropyRow` does the same); likewise
///   ż_c − pᵀż = ż_c − ż_t + Σ_{j≠t} p_j (ż_t − ż_j) in the Hessian product;
/// - MSE over all M elements: L = (1/M) Σ (z − y)², g = 2(z − y)/M, ∂²L/∂z² ż = 2ż/M;
/// - Huber δ over all M elements: g = clip(z − y, ±δ)/M, ∂²L/∂z² ż = 1[|z − y| ≤ δ] ż/M.
final class OutputLoss {
    private enum Form {
        case softmax(classes: Int, targets: [Double])
        case squared(targets: [Double])
        case huber(delta: Double, targets: [Double])
    }

    private let form: Form
    /// Softmax probabilities, or the Huber quadratic-region mask, of the last evaluation.
    private var cache: [Double] = []

    init(_ kind: LossKind, targets: ProbeBatch.Targets, outputShape: Shape) throws {
        let n = outputShape[0], count = outputShape.elementCount
        func values() throws -> [Double] {
            guard case .values(let t) = targets, t.count == count else {
                throw DiagnosticError("\(kind) curvature needs target values of the output's size \(count)")
            }
            return (0..<count).map { Double(t.data[$0]) }
        }
        switch kind {
        case .crossEntropy(let eps):
            guard case .labels(let labels) = targets, labels.count == n else {
                throw DiagnosticError("cross-entropy curvature needs \(n) class labels")
            }
            let k = count / n, off = Double(eps) / Double(k), on = 1 - Double(eps) + off
            var q = [Double](repeating: off, count: count)
            for (i, y) in labels.enumerated() {
                guard y >= 0 && y < k else { throw DiagnosticError("label \(y) outside 0..<\(k)") }
                q[i * k + y] = on
            }
            form = .softmax(classes: k, targets: q)
        case .distributional(let kind, let lo, let hi, let bins):
            let loss = DistributionalRegressionLoss(kind, minimum: lo, maximum: hi, bins: bins)
            guard case .values(let t) = targets, t.count * bins == count else {
                throw DiagnosticError("distributional curvature needs one target value per \(bins) outputs")
            }
            form = .softmax(classes: bins, targets: (0..<t.count).flatMap { loss.distribution(for: t.data[$0]).map(Double.init) })
        case .mse:
            form = .squared(targets: try values())
        case .huber(let delta):
            form = .huber(delta: Double(delta), targets: try values())
        }
    }

    /// L(z); writes g = ∂L/∂z into `gradient` and caches what `hessianProduct` needs.
    func evaluate(_ z: DoubleTensor, gradient: DoubleTensor) -> Double {
        gradient.resize(to: z.shape)
        let x = z.data, g = gradient.data, m = z.count
        var p = [Double](repeating: 0, count: m)
        defer { cache = p }
        var total = 0.0
        switch form {
        case .softmax(let k, let q):
            let rows = m / k, invR = 1 / Double(rows)
            for r in 0..<rows {
                let o = r * k
                var t = o
                for c in (o + 1)..<(o + k) where x[c] > x[t] { t = c }
                var offTop = 0.0, offTopTarget = 0.0
                for c in o..<(o + k) where c != t {
                    p[c] = Foundation.exp(x[c] - x[t])
                    offTop += p[c]
                    offTopTarget += q[c]
                }
                let sum = 1 + offTop, logNormalizer = Foundation.log1p(offTop)
                for c in o..<(o + k) {
                    p[c] = c == t ? 1 / sum : p[c] / sum
                    if q[c] != 0 { total += q[c] * (x[t] - x[c] + logNormalizer) }
                    g[c] = (p[c] - q[c]) * invR
                }
                if p[t] > 0.5 { g[t] = (offTopTarget - offTop / sum) * invR }
            }
            return total * invR
        case .squared(let y):
            for i in 0..<m { let d = x[i] - y[i]; total += d * d; g[i] = 2 * d / Double(m) }
        case .huber(let delta, let y):
            for i in 0..<m {
                let d = x[i] - y[i], inside = Swift.abs(d) <= delta
                total += inside ? 0.5 * d * d : delta * (Swift.abs(d) - 0.5 * delta)
                g[i] = (inside ? d : (d > 0 ? delta : -delta)) / Double(m)
                p[i] = inside ? 1 : 0
            }
        }
        return total / Double(m)
    }

    /// out = (∂²L/∂z²) ż at the last evaluated z.
    func hessianProduct(_ dz: DoubleTensor, into out: DoubleTensor) {
        out.resize(to: dz.shape)
        let u = dz.data, y = out.data, m = dz.count, p = cache
        switch form {
        case .softmax(let k, _):
            let invR = 1 / Double(m / k)
            for o in stride(from: 0, to: m, by: k) {
                var t = o
                for c in (o + 1)..<(o + k) where p[c] > p[t] { t = c }
                var gap = 0.0
                for c in o..<(o + k) where c != t { gap += p[c] * (u[t] - u[c]) }
                for c in o..<(o + k) { y[c] = p[c] * (u[c] - u[t] + gap) * invR }
            }
        case .squared:
            for i in 0..<m { y[i] = 2 * u[i] / Double(m) }
        case .huber:
            for i in 0..<m { y[i] = p[i] * u[i] / Double(m) }
        }
    }
}
