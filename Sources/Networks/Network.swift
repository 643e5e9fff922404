import Tensors

/// A trainable network: a root layer whose parameters all live in one flat storage.
///
/// State-dict names are the root's names under `prefix` (`layers.0.weight` for a Sequential
/// root with the default prefix, as a PyTorch module holding `self.layers = nn.Sequential(…)`).
/// `parameters` is in PyTorch `named_parameters()` order, which is also the order of the flat
/// buffers `storage.values` / `storage.gradients`.
///
/// ```swift
/// let net = Network(Sequential(Linear(784, 256, rng: &rng), Activation(.relu), Linear(256, 10, rng: &rng)))
/// let logits = net.forward(x, mode: .training)
/// let loss = crossEntropy(logits, labels)
/// net.zeroGradients(); net.backward(crossEntropy.gradient); optimizer.step()
/// ```
public final class Network {
    /// The root layer.
    public let root: any Layer
    /// State-dict prefix of the root ("" for none).
    public let prefix: String
    /// Every parameter value and gradient, contiguous, in `parameters` order.
    public let storage: ParameterStorage
    /// Named parameters in network order (weight before bias).
    public let parameters: [(name: String, parameter: Parameter)]
    /// Named non-trainable buffers.
    public let buffers: [(name: String, buffer: Buffer)]
    /// The layer reading the input, if its input gradient can be skipped.
    private let inputLayer: (any InputGradientSkipping)?

    public init(_ root: any Layer, prefix: String = "layers") {
        self.root = root
        self.prefix = prefix
        parameters = root.namedParameters(prefix: prefix)
        buffers = root.namedBuffers(prefix: prefix)
        inputLayer = Self.inputLayer(of: root)
        var seen = Set<ObjectIdentifier>()
        for (name, p) in parameters {
            precondition(seen.insert(ObjectIdentifier(p)).inserted, "parameter \(name) is shared; not supported")
        }
        storage = ParameterStorage(count: parameters.reduce(0) { $0 + $1.parameter.count })
        var offset = 0
        for (_, p) in parameters {
            p.move(to: storage, offset: offset)
            offset += p.count
        }
    }

    /// Total number of trainable scalars.
    public var parameterCount: Int { storage.count }

    /// Runs the root layer.
    public func forward(_ input: Tensor, mode: Mode) -> Tensor { root.forward(input, mode: mode) }

    /// Back-propagates dL/d(output) of the last forward pass, accumulating gradients, and
    /// returns dL/d(input). Training passes `inputGradient: false`: the first layer then skips
    /// dL/dx and the returned tensor is zero (the parameter gradients are the same).
    @discardableResult
    public func backward(_ outputGradient: Tensor, inputGradient: Bool = true) -> Tensor {
        inputLayer?.computesInputGradient = inputGradient
        return root.backward(outputGradient)
    }

    /// Sets all gradients to zero.
    public func zeroGradients() { storage.zeroGradients() }

    /// Every layer with its dotted name (root first).
    public var namedLayers: [(name: String, layer: any Layer)] { root.namedLayers(prefix: prefix) }

    /// The parameter called `name`, if any.
    public func parameter(named name: String) -> Parameter? {
        parameters.first { $0.name == name }?.parameter
    }

    /// A copy of all parameter values, in network order.
    public func parameterVector() -> [Float] { Array(storage.valueBuffer) }

    /// Overwrites all parameter values from a vector in network order.
    public func setParameterVector(_ v: [Float]) {
        precondition(v.count == storage.count, "vector of \(v.count) for \(storage.count) parameters")
        v.withUnsafeBufferPointer { storage.values.update(from: $0.baseAddress!, count: v.count) }
    }
}
