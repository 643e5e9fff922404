import CVectorMath
import Tensors

/// Updates a network's flat parameter storage from its gradients.
///
/// Every optimiser keeps its state as flat vectors aligned with `ParameterStorage`, so a
/// state reset of some units (ReDo, continual backprop) is a write to index ranges.
public protocol Optimizer: AnyObject {
    /// Step size used by the next `step()`.
    var learningRate: Float { get set }
    /// Number of updates applied so far.
    var stepCount: Int { get }
    /// Applies one update from the current gradients.
    func step()
    /// Forgets all state (moments, momentum, step count).
    func resetState()
    /// Zeroes the state of the given flat parameter indices.
    func resetState(indices: [Int])
    /// The state as named flat vectors plus the step count, for checkpoints.
    func stateVectors() -> [(name: String, values: [Float])]
    /// Restores state saved by `stateVectors()`.
    func loadStateVectors(_ vectors: [(name: String, values: [Float])], stepCount: Int) throws
}

/// Per-optimiser flat state vectors with the bookkeeping shared by SGD and Adam.
final class OptimizerState {
    let names: [String]
    let vectors: [UnsafeMutablePointer<Float>]
    let count: Int

    init(names: [String], count: Int) {
        self.names = names
        self.count = count
        vectors = names.map { _ in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
            p.initialize(repeating: 0, count: Swift.max(count, 1))
            return p
        }
    }

    deinit { vectors.forEach { $0.deallocate() } }

    func reset() { vectors.forEach { $0.update(repeating: 0, count: count) } }

    func reset(indices: [Int]) {
        for v in vectors { for i in indices { v[i] = 0 } }
    }

    func export() -> [(name: String, values: [Float])] {
        zip(names, vectors).map { ($0, Array(UnsafeBufferPointer(start: $1, count: count))) }
    }

    func load(_ saved: [(name: String, values: [Float])]) throws {
        for (name, v) in zip(names, vectors) {
            guard let s = saved.first(where: { $0.name == name }) else {
                throw StateDictError(description: "optimizer state '\(name)' missing")
            }
            guard s.values.count == count else {
                throw StateDictError(description: "optimizer state '\(name)' has \(s.values.count) values, expected \(count)")
            }
            s.values.withUnsafeBufferPointer { v.update(from: $0.baseAddress!, count: count) }
        }
    }
}

/// Stochastic gradient descent with PyTorch's semantics (`torch.optim.SGD`):
/// d = g + λθ (coupled L2); with momentum μ: b = μb + (1 − dampening)d (b = d on the first
/// step), d = d + μb (Nesterov) or d = b; θ ← θ − η d.
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let dampening: Float
    public let nesterov: Bool
    public let weightDecay: Float
    public private(set) var stepCount = 0
    private let storage: ParameterStorage
    private let state: OptimizerState

    public init(_ storage: ParameterStorage, learningRate: Float, momentum: Float = 0,
                dampening: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov needs momentum > 0 and no dampening")
        self.storage = storage
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        state = OptimizerState(names: momentum > 0 ? ["momentum_buffer"] : [], count: storage.count)
    }

    public func step() {
        let theta = storage.values, grad = storage.gradients, n = storage.count
        let lr = learningRate, wd = weightDecay, mu = momentum
        if mu == 0 {
            Parallel.split(n, PlainSGDUpdate(theta: theta, grad: grad, lr: lr, wd: wd))
        } else {
            let buf = state.vectors[0], first = stepCount == 0, keep = 1 - dampening
            for i in 0..<n {
                let d = grad[i] + wd * theta[i]
                let b = first ? d : mu * buf[i] + keep * d
                buf[i] = b
                theta[i] -= lr * (nesterov ? d + mu * b : b)
            }
        }
        stepCount += 1
    }

    public func resetState() { state.reset(); stepCount = 0 }
    public func resetState(indices: [Int]) { state.reset(indices: indices) }
    public func stateVectors() -> [(name: String, values: [Float])] { state.export() }
    public func loadStateVectors(_ vectors: [(name: String, values: [Float])], stepCount: Int) throws {
        try state.load(vectors)
        self.stepCount = stepCount
    }
}

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

/// θ ← θ − η(g + λθ) over a range of the flat parameters (SGD without momentum).
private struct PlainSGDUpdate: RangeWork {
    let theta: UnsafeMutablePointer<Float>, grad: UnsafeMutablePointer<Float>, lr: Float, wd: Float

    func run(_ r: Range<Int>) {
        var i = r.lowerBound
        while i &+ 8 <= r.upperBound {
            let th = VectorKernels.load(theta + i)
            VectorKernels.store(th - lr * (VectorKernels.load(grad + i) + wd * th), theta + i)
            i &+= 8
        }
        while i < r.upperBound { theta[i] -= lr * (grad[i] + wd * theta[i]); i &+= 1 }
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
