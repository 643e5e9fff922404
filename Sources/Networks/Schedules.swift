import Foundation
import Tensors

/// A learning-rate schedule: the rate for update number `step` (0-based) given a base rate.
public enum LearningRateSchedule: Sendable, Equatable {
    /// η.
    case constant
    /// η_min + ½(η − η_min)(1 + cos(π·min(t, T)/T)) (`CosineAnnealingLR` without restarts).
    case cosine(totalSteps: Int, minimumRate: Float = 0)
    /// η·γ^⌊t/every⌋ (`StepLR`).
    case step(every: Int, gamma: Float)

    public func rate(base: Float, step t: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .cosine(let total, let minimum):
            let progress = Double(Swift.min(t, total)) / Double(Swift.max(total, 1))
            return minimum + 0.5 * (base - minimum) * Float(1 + cos(Double.pi * progress))
        case .step(let every, let gamma):
            return base * Float(pow(Double(gamma), Double(t / Swift.max(every, 1))))
        }
    }
}

/// Scales all gradients so that their global L2 norm is at most `maxNorm`
/// (`clip_grad_norm_`: factor maxNorm/(norm + 1e-6) when norm > maxNorm). Returns the norm
/// before clipping (computed in Double).
@discardableResult
public func clipGradientNorm(_ storage: ParameterStorage, maxNorm: Float) -> Float {
    let g = storage.gradients
    var sum: Double = 0
    for i in 0..<storage.count { sum += Double(g[i]) * Double(g[i]) }
    let norm = Float(sum.squareRoot())
    if norm > maxNorm {
        let scale = maxNorm / (norm + 1e-6)
        for i in 0..<storage.count { g[i] *= scale }
    }
    return norm
}
