import Foundation
import Tensors

/// Regression as classification over a fixed support (Bellemare et al. 2017; Imani & White
/// 2018; Farebrother et al. 2024): the network outputs logits [N, bins], a scalar target y is
/// turned into a distribution q(y) over the bins, and the loss is the mean cross-entropy
/// L = (1/N) Σₙ −Σᵢ qᵢ(yₙ) log softmax(zₙ)ᵢ with dL/dz = (softmax(z) − q)/N, its
/// largest-probability entry formed without cancellation (`SoftmaxCrossEntropyRow`).
/// The scalar prediction is E[c] = Σᵢ softmax(z)ᵢ cᵢ over the bin centres cᵢ.
///
/// - `.twoHot`: centres cᵢ = min + i·Δ, Δ = (max − min)/(bins − 1); y (clipped to [min, max])
///   puts weight (c_{j+1} − y)/Δ on c_j and (y − c_j)/Δ on c_{j+1}.
/// - `.hlGauss(sigma:)`: bins of width w = (max − min)/bins with edges eᵢ = min + i·w and
///   centres at their midpoints; qᵢ = Φ((e_{i+1} − y)/σ) − Φ((eᵢ − y)/σ), renormalised over
///   [min, max] (in Double, from the Gaussian's tail when y lies beyond the support; all mass
///   on the nearest end bin once even that underflows). σ defaults to 0.75·w.
public final class DistributionalRegressionLoss {
    /// How a scalar target becomes a distribution.
    public enum Kind: Sendable, Equatable {
        case twoHot
        case hlGauss(sigma: Float?)
    }

    public let kind: Kind
    public let minimum: Float
    public let maximum: Float
    public let bins: Int
    /// Bin centres (the support of the predicted distribution).
    public let centers: [Float]
    /// dL/dlogits of the last call.
    public let gradient = Tensor(shape: Shape(0))
    /// Scalar predictions E[c] of the last call, one per example.
    public private(set) var predictions: [Float] = []
    private var target: [Float]
    private let sigma: Float

    public init(_ kind: Kind, minimum: Float, maximum: Float, bins: Int = 51) {
        precondition(maximum > minimum && bins >= 2, "support needs max > min and ≥ 2 bins")
        self.kind = kind
        self.minimum = minimum
        self.maximum = maximum
        self.bins = bins
        target = [Float](repeating: 0, count: bins)
        switch kind {
        case .twoHot:
            let step = (maximum - minimum) / Float(bins - 1)
            centers = (0..<bins).map { minimum + Float($0) * step }
            sigma = 0
        case .hlGauss(let s):
            let width = (maximum - minimum) / Float(bins)
            centers = (0..<bins).map { minimum + (Float($0) + 0.5) * width }
            sigma = s ?? 0.75 * width
        }
    }

    /// The target distribution for a scalar y.
    public func distribution(for y: Float) -> [Float] {
        fillTarget(y)
        return target
    }

    private func fillTarget(_ y: Float) {
        for i in 0..<bins { target[i] = 0 }
        switch kind {
        case .twoHot:
            let step = (maximum - minimum) / Float(bins - 1)
            let clipped = Swift.min(Swift.max(y, minimum), maximum)
            let j = Swift.min(Int((clipped - minimum) / step), bins - 2)
            let upper = Swift.min(Swift.max((clipped - centers[j]) / step, 0), 1)
            target[j] = 1 - upper
            target[j + 1] = upper
        case .hlGauss:
            let lo = Double(minimum), width = (Double(maximum) - lo) / Double(bins)
            let scale = 1 / (Double(sigma) * 2.0.squareRoot()), value = Double(y)
            // 2Φ((e − y)/σ) up to a constant, from the tail on the target's side so that a
            // target beyond the support keeps its digits: 1 + erf(s) = erfc(−s) above it,
            // erf(s) − 1 = −erfc(s) below it.
            func cumulative(_ i: Int) -> Double {
                let s = ((i == bins ? Double(maximum) : lo + Double(i) * width) - value) * scale
                return y > maximum ? erfc(-s) : y < minimum ? -erfc(s) : erf(s)
            }
            let first = cumulative(0), total = cumulative(bins) - first
            var lower = first
            for i in 0..<bins {
                let upper = cumulative(i + 1)
                target[i] = total > 0 ? Float((upper - lower) / total) : 0
                lower = upper
            }
            if !(total > 0) { target[y < minimum ? 0 : bins - 1] = 1 }
        }
    }

    /// Mean cross-entropy between softmax(logits) and q(targets); fills `gradient` and
    /// `predictions`.
    public func callAsFunction(_ logits: Tensor, _ targets: [Float]) -> Float {
        let n = logits.shape[0], k = logits.shape.trailingCount
        precondition(k == bins, "logits have \(k) outputs for \(bins) bins")
        precondition(targets.count == n, "\(targets.count) targets for \(n) examples")
        gradient.resize(to: logits.shape)
        if predictions.count != n { predictions = [Float](repeating: 0, count: n) }
        let z = logits.data, g = gradient.data, invN = 1 / Float(n)
        var total: Double = 0
        for i in 0..<n {
            fillTarget(targets[i])
            let zi = z + i * k, gi = g + i * k
            let row = SoftmaxCrossEntropyRow(logits: zi, count: k, probabilities: gi)
            var mean: Float = 0
            for c in 0..<k { mean += gi[c] * centers[c] }
            predictions[i] = mean
            target.withUnsafeBufferPointer { q in
                total += row.loss(logits: zi, target: q.baseAddress!, count: k)
                row.gradient(gi, target: q.baseAddress!, count: k, scale: invN)
            }
        }
        return Float(total / Double(n))
    }
}
