import Tensors

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
