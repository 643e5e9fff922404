import Tensors

/// Mean softmax cross-entropy over a batch of logits [N, K] and integer labels
/// (`F.cross_entropy`), with optional label smoothing ε:
/// L = (1/N) Σₙ Σ_c −q_{n,c} log softmax(zₙ)_c, q = (1−ε)·onehot(y) + ε/K.
/// `gradient` holds dL/dz = (softmax(z) − q)/N after each call, its largest-probability entry
/// formed without cancellation (`SoftmaxCrossEntropyRow`: p_y − 1 = −Σ_{j≠y} p_j), so the
/// per-example gradients of fitted examples keep their digits.
public final class CrossEntropyLoss {
    public let labelSmoothing: Float
    /// dL/dlogits of the last call.
    public let gradient = Tensor(shape: Shape(0))
    private var target: [Float] = []

    public init(labelSmoothing: Float = 0) {
        precondition(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1)")
        self.labelSmoothing = labelSmoothing
    }

    /// The mean loss; also fills `gradient`.
    public func callAsFunction(_ logits: Tensor, _ labels: [Int]) -> Float {
        let n = logits.shape[0], k = logits.shape.trailingCount
        precondition(labels.count == n, "\(labels.count) labels for \(n) examples")
        gradient.resize(to: logits.shape)
        let offTarget = labelSmoothing / Float(k), onTarget = 1 - labelSmoothing + offTarget
        if target.count != k { target = [Float](repeating: offTarget, count: k) }
        let z = logits.data, g = gradient.data, invN = 1 / Float(n)
        var total: Double = 0
        target.withUnsafeMutableBufferPointer { q in
            for i in 0..<n {
                let zi = z + i * k, gi = g + i * k, y = labels[i]
                precondition(y >= 0 && y < k, "label \(y) outside 0..<\(k)")
                q[y] = onTarget
                let row = SoftmaxCrossEntropyRow(logits: zi, count: k, probabilities: gi)
                total += row.loss(logits: zi, target: q.baseAddress!, count: k)
                row.gradient(gi, target: q.baseAddress!, count: k, scale: invN)
                q[y] = offTarget
            }
        }
        return Float(total / Double(n))
    }
}

/// Mean squared error over all elements (`F.mse_loss`): L = (1/M) Σ (ŷ − y)²,
/// dL/dŷ = 2(ŷ − y)/M.
public final class MSELoss {
    /// dL/dprediction of the last call.
    public let gradient = Tensor(shape: Shape(0))

    public init() {}

    public func callAsFunction(_ prediction: Tensor, _ target: Tensor) -> Float {
        precondition(prediction.count == target.count, "MSE: prediction \(prediction.shape) vs target \(target.shape)")
        gradient.resize(to: prediction.shape)
        let p = prediction.data, t = target.data, g = gradient.data, m = prediction.count
        var total: Double = 0
        let scale = 2 / Float(m)
        for i in 0..<m {
            let d = p[i] - t[i]
            total += Double(d * d)
            g[i] = scale * d
        }
        return Float(total / Double(m))
    }
}

/// Mean Huber loss (`F.smooth_l1_loss`/`huber_loss` with δ): ½d² for |d| ≤ δ, δ(|d| − ½δ)
/// otherwise, averaged over elements. The Q-learning form reads only the entries of the taken
/// actions: L = (1/N) Σₙ huber(Q[n, aₙ] − tₙ), gradient zero elsewhere.
public final class HuberLoss {
    public let delta: Float
    /// dL/dprediction of the last call.
    public let gradient = Tensor(shape: Shape(0))

    public init(delta: Float = 1) { self.delta = delta }

    @inline(__always) private func term(_ d: Float) -> (loss: Float, slope: Float) {
        let a = Swift.abs(d)
        return a <= delta ? (0.5 * d * d, d) : (delta * (a - 0.5 * delta), d > 0 ? delta : -delta)
    }

    /// Elementwise Huber between equally sized tensors.
    public func callAsFunction(_ prediction: Tensor, _ target: Tensor) -> Float {
        precondition(prediction.count == target.count, "Huber: prediction \(prediction.shape) vs target \(target.shape)")
        gradient.resize(to: prediction.shape)
        let p = prediction.data, t = target.data, g = gradient.data, m = prediction.count
        var total: Double = 0
        for i in 0..<m {
            let (l, s) = term(p[i] - t[i])
            total += Double(l)
            g[i] = s / Float(m)
        }
        return Float(total / Double(m))
    }

    /// Huber on Q[n, actions[n]] against targets[n] for Q of shape [N, A].
    public func callAsFunction(_ q: Tensor, actions: [Int], targets: [Float]) -> Float {
        let n = q.shape[0], a = q.shape.trailingCount
        precondition(actions.count == n && targets.count == n, "Huber: \(actions.count) actions, \(targets.count) targets for \(n) rows")
        gradient.resize(to: q.shape)
        gradient.fill(0)
        let qp = q.data, g = gradient.data
        var total: Double = 0
        for i in 0..<n {
            precondition(actions[i] >= 0 && actions[i] < a, "action \(actions[i]) outside 0..<\(a)")
            let (l, s) = term(qp[i * a + actions[i]] - targets[i])
            total += Double(l)
            g[i * a + actions[i]] = s / Float(n)
        }
        return Float(total / Double(n))
    }
}

/// Index of the largest entry of each row of [N, K] (first on ties).
public func argmaxRows(_ t: Tensor) -> [Int] {
    argmaxRows(UnsafeBufferPointer(start: t.data, count: t.count), width: t.shape.trailingCount)
}

/// Index of the largest entry of each `width`-long row of `values` (first on ties).
public func argmaxRows(_ values: [Float], width: Int) -> [Int] {
    values.withUnsafeBufferPointer { argmaxRows($0, width: width) }
}

private func argmaxRows(_ values: UnsafeBufferPointer<Float>, width: Int) -> [Int] {
    stride(from: 0, to: values.count, by: width).map { start in
        var best = 0
        for c in 1..<width where values[start + c] > values[start + best] { best = c }
        return best
    }
}
