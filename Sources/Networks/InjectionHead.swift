import Tensors

/// The head of a network prepared for plasticity injection (Nikishin et al. 2023, "Deep
/// reinforcement learning with plasticity injection").
///
/// Before injection it is its `head` and nothing else. `inject` freezes the head's
/// parameters θ (copied into the buffer `old_head`), re-draws the head's parameters as a
/// fresh θ' and copies those into a second frozen buffer `fresh_head` (θ'₀); from then on
///     y = h_θ(x) + (h_θ'(x) − h_θ'₀(x)),
/// which equals h_θ(x) bit for bit at injection (θ' = θ'₀). Only θ' — which lives in the
/// network's parameter storage, where θ was — is trained; the layers before the head keep
/// training through all three terms, as in the paper (its Figure 2: encoder learning, old
/// head frozen, one fresh copy learning, one frozen).
///
/// The frozen heads are evaluated with the same layer objects by writing θ or θ'₀ into the
/// head's parameters, running it, and writing θ' back; backward re-runs each frozen forward
/// before its backward and restores the parameter gradients, so an injected head costs three
/// forwards in `forward` and three forward+backward pairs in `backward`. BatchNorm is not
/// allowed in the head (the extra training-mode passes would update its statistics).
///
/// Why a head of several layers: with a single Linear head, h_θ + h_θ' − h_θ'₀ is one linear
/// map whose gradient with respect to θ' equals the old head's, so injection would change
/// nothing but the optimiser state. `wrapping(_:headLayers:)` therefore takes the last k
/// Linear/Conv2d layers (default 2 in the catalogue) with everything between them.
///
/// State-dict keys: `<prefix>.head.<i>.weight` (θ'), buffers `<prefix>.old_head`,
/// `<prefix>.fresh_head` (flat, in the head's parameter order) and `<prefix>.injected` (0/1).
public final class InjectionHead: Layer {
    public let head: Sequential
    public let oldHead: Buffer
    public let freshHead: Buffer
    public let injectedFlag: Buffer
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { isInjected ? output : head.lastOutput }
    private let parameters: [Parameter]
    private var lastMode: Mode = .training
    private let output = Tensor(shape: Shape(0))
    private let oldOutput = Tensor(shape: Shape(0))
    private let freshOutput = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))
    private let freshGradient = Tensor(shape: Shape(0))
    private let current: Tensor
    private let savedGradients: Tensor

    /// Wraps `head`; throws if it contains a BatchNorm.
    public init(_ head: Sequential) throws {
        if let bn = head.namedLayers().first(where: { $0.layer is BatchNorm }) {
            throw LayerError("plasticity-injection: the head may not contain BatchNorm (found at head.\(bn.name))")
        }
        self.head = head
        parameters = head.namedParameters().map(\.parameter)
        let count = parameters.reduce(0) { $0 + $1.count }
        oldHead = Buffer(Tensor(shape: Shape(count)))
        freshHead = Buffer(Tensor(shape: Shape(count)))
        injectedFlag = Buffer(Tensor(shape: Shape(1)))
        current = Tensor(shape: Shape(count))
        savedGradients = Tensor(shape: Shape(count))
    }

    /// A copy of `network` whose root Sequential has its tail, from the k-th last
    /// Linear/Conv2d on, wrapped in an `InjectionHead`. The returned network owns the layers
    /// (the old one must not be used any more); its parameter names change accordingly.
    public static func wrapping(_ network: Network, headLayers k: Int) throws -> Network {
        guard let root = network.root as? Sequential else {
            throw LayerError("plasticity-injection: the network's root is not a Sequential")
        }
        let weighted = root.layers.indices.filter { root.layers[$0] is any UnitLayer }
        guard k >= 1, weighted.count >= k else {
            throw LayerError("plasticity-injection: head_layers = \(k) but the network has \(weighted.count) Linear/Conv2d layers")
        }
        let start = weighted[weighted.count - k]
        let head = try InjectionHead(Sequential(Array(root.layers[start...])))
        return Network(Sequential(Array(root.layers[..<start]) + [head]), prefix: network.prefix)
    }

    public var isInjected: Bool { injectedFlag.tensor.data[0] != 0 }

    public var sublayers: [(name: String, layer: any Layer)] { [("head", head)] }
    public var localBuffers: [(name: String, buffer: Buffer)] {
        [("old_head", oldHead), ("fresh_head", freshHead), ("injected", injectedFlag)]
    }

    /// Flat storage indices of the head's parameters.
    public var headParameterIndices: [Int] { parameters.flatMap { $0.offset..<($0.offset + $0.count) } }

    /// Freezes θ, draws θ' = θ'₀ with `reinitialize` (which re-draws the head's layers in
    /// place) and switches the output to h_θ + h_θ' − h_θ'₀.
    public func inject(reinitialize: (Sequential) throws -> Void) rethrows {
        copyParameters(to: oldHead.tensor)
        try reinitialize(head)
        copyParameters(to: freshHead.tensor)
        injectedFlag.tensor.data[0] = 1
    }

    private func copyParameters(to t: Tensor) {
        var o = 0
        for p in parameters { (t.data + o).update(from: p.value, count: p.count); o += p.count }
    }

    private func loadParameters(from t: Tensor) {
        var o = 0
        for p in parameters { p.value.update(from: t.data + o, count: p.count); o += p.count }
    }

    private func copyGradients(to t: Tensor) {
        var o = 0
        for p in parameters { (t.data + o).update(from: p.gradient, count: p.count); o += p.count }
    }

    private func loadGradients(from t: Tensor) {
        var o = 0
        for p in parameters { p.gradient.update(from: t.data + o, count: p.count); o += p.count }
    }

    /// Runs the head with `frozen` parameters written in, leaving θ' in place afterwards.
    private func frozenForward(_ frozen: Tensor, _ input: Tensor, mode: Mode) -> Tensor {
        loadParameters(from: frozen)
        let y = head.forward(input, mode: mode)
        loadParameters(from: current)
        return y
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        lastInput = input
        lastMode = mode
        guard isInjected else { return head.forward(input, mode: mode) }
        copyParameters(to: current)
        oldOutput.assign(frozenForward(oldHead.tensor, input, mode: mode))
        freshOutput.assign(frozenForward(freshHead.tensor, input, mode: mode))
        let y = head.forward(input, mode: mode)
        output.resize(to: y.shape)
        let o = output.data, a = oldOutput.data, b = y.data, c = freshOutput.data
        for i in 0..<output.count { o[i] = a[i] + (b[i] - c[i]) }
        return output
    }

    /// dL/dx = J_θᵀdy + (J_θ'ᵀdy − J_θ'₀ᵀdy); only θ' accumulates parameter gradients.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard isInjected else { return head.backward(outputGradient) }
        guard let x = lastInput else { preconditionFailure("InjectionHead.backward before forward") }
        copyParameters(to: current)
        copyGradients(to: savedGradients)
        loadParameters(from: oldHead.tensor)
        _ = head.forward(x, mode: lastMode)
        inputGradient.assign(head.backward(outputGradient))
        loadParameters(from: freshHead.tensor)
        _ = head.forward(x, mode: lastMode)
        freshGradient.assign(head.backward(outputGradient))
        loadParameters(from: current)
        loadGradients(from: savedGradients)
        _ = head.forward(x, mode: lastMode)
        let dy = head.backward(outputGradient)
        let d = inputGradient.data, n = dy.data, f = freshGradient.data
        for i in 0..<inputGradient.count { d[i] += n[i] - f[i] }
        return inputGradient
    }
}

extension Network {
    /// The network's `InjectionHead`, if it has one (the first in network order).
    public var injectionHead: InjectionHead? {
        namedLayers.lazy.compactMap { $0.layer as? InjectionHead }.first
    }
}
