import CVectorMath
import Tensors

/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019) with PyTorch's semantics:
/// Adam adds λθ to the gradient (coupled L2); AdamW first decays θ ← θ(1 − ηλ) (decoupled).
/// m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g², θ ← θ − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public let decoupledWeightDecay: Bool
    public private(set) var stepCount = 0
    private let storage: ParameterStorage
    private let state: OptimizerState
    /// Parameters below which a step stays on one thread. The update is elementwise, so
    /// splitting it never changes a result; at ~1 ns a parameter, 32k pay for the fork.
    static let parallelMinimum = 1 << 15

    public init(_ storage: ParameterStorage, learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0,
                decoupledWeightDecay: Bool = false) {
        self.storage = storage
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        state = OptimizerState(names: ["exp_avg", "exp_avg_sq"], count: storage.count)
    }

    /// AdamW: Adam with decoupled weight decay (PyTorch's default λ = 0.01).
    public static func adamW(_ storage: ParameterStorage, learningRate: Float = 1e-3,
                             weightDecay: Float = 0.01) -> Adam {
        Adam(storage, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() {
        stepCount += 1
        let theta = storage.values, grad = storage.gradients, n = storage.count
        let m = state.vectors[0], v = state.vectors[1]
        let b1 = beta1, b2 = beta2, eps = epsilon, lr = learningRate
        let t = Float(stepCount)
        let stepSize = lr / (1 - Float.pow(b1, t))
        let invSqrtBC2 = 1 / (1 - Float.pow(b2, t)).squareRoot()
        let decay: Float = decoupledWeightDecay ? 1 - lr * weightDecay : 1
        let coupled: Float = decoupledWeightDecay ? 0 : weightDecay
        let constants = plab_adam_constants(beta1: b1, beta2: b2, epsilon: eps, step_size: stepSize,
                                            inverse_sqrt_correction2: invSqrtBC2, decay: decay, coupled_decay: coupled)
        Parallel.split(n, minimum: Adam.parallelMinimum, AdamUpdate(theta: theta, grad: grad, m: m, v: v, constants: constants))
    }

    public func resetState() { state.reset(); stepCount = 0 }
    public func resetState(indices: [Int]) { state.reset(indices: indices) }
    public func stateVectors() -> [(name: String, values: [Float])] { state.export() }
    public func loadStateVectors(_ vectors: [(name: String, values: [Float])], stepCount: Int) throws {
        try state.load(vectors)
        self.stepCount = stepCount
    }
}

/// One Adam step over a range of the flat parameters (`plab_adam`: elementwise, so where a
/// range begins changes no result).
private struct AdamUpdate: RangeWork {
    let theta: UnsafeMutablePointer<Float>, grad: UnsafeMutablePointer<Float>
    let m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    let constants: plab_adam_constants

    func run(_ r: Range<Int>) {
        let o = r.lowerBound
        plab_adam(theta + o, grad + o, m + o, v + o, r.count, constants)
    }
}

extension Float {
    @usableFromInline static func pow(_ x: Float, _ y: Float) -> Float {
        Float(_pow(Double(x), Double(y)))
    }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#else
import Foundation
@usableFromInline func _pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
#endif
