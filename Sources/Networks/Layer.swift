import Tensors

/// Whether a forward pass trains (batch statistics, caches for backward) or evaluates.
public enum Mode: Sendable {
    case training, evaluation
}

/// A differentiable building block.
///
/// `forward` computes the output and caches what `backward` needs; `backward` takes dL/dy for
/// that same forward pass, **adds** dL/dθ into the parameters' gradients and returns dL/dx.
/// Outputs and input gradients are buffers owned by the layer and reused across steps: treat
/// a returned tensor as valid until the layer's next call.
///
/// State-dict names are explicit: `localParameters` and `localBuffers` list a layer's own
/// tensors ("weight", "bias"), and containers list `sublayers` ("0", "1", …); names compose
/// with dots as in PyTorch (`layers.0.weight`).
public protocol Layer: AnyObject {
    /// y = f(x), caching what backward needs.
    func forward(_ input: Tensor, mode: Mode) -> Tensor
    /// dL/dx from dL/dy, accumulating parameter gradients.
    func backward(_ outputGradient: Tensor) -> Tensor
    /// The layer's own trainable tensors, in PyTorch order (weight before bias).
    var localParameters: [(name: String, parameter: Parameter)] { get }
    /// The layer's own non-trainable state (e.g. BatchNorm running statistics).
    var localBuffers: [(name: String, buffer: Buffer)] { get }
    /// Child layers with their names.
    var sublayers: [(name: String, layer: any Layer)] { get }
    /// The input of the last forward pass (for an activation layer: the pre-activation z).
    var lastInput: Tensor? { get }
    /// The output of the last forward pass (for an activation layer: the activation h).
    var lastOutput: Tensor? { get }
    /// Re-draws the layer's own parameters exactly as its constructor drew them (weight
    /// first, then bias, from `rng`). A layer without own parameters does nothing; the
    /// default throws `LayerError` for a parameterised layer that does not implement it.
    func reinitialize(using rng: inout RandomGenerator) throws
    /// Resets the layer's own non-trainable state to its construction values (BatchNorm
    /// running statistics); by default there is none.
    func resetBuffers()
}

extension Layer {
    public var localParameters: [(name: String, parameter: Parameter)] { [] }
    public var localBuffers: [(name: String, buffer: Buffer)] { [] }
    public var sublayers: [(name: String, layer: any Layer)] { [] }

    public func reinitialize(using rng: inout RandomGenerator) throws {
        guard localParameters.isEmpty else {
            throw LayerError("cannot re-initialise a \(type(of: self)) layer: it does not implement reinitialize(using:)")
        }
    }

    public func resetBuffers() {}

    /// Every parameter of this layer and its descendants, in PyTorch's `named_parameters()`
    /// order (own tensors first, then children depth-first), names prefixed by `prefix`.
    public func namedParameters(prefix: String = "") -> [(name: String, parameter: Parameter)] {
        var out = localParameters.map { (name: join(prefix, $0.name), parameter: $0.parameter) }
        for (name, child) in sublayers {
            out += child.namedParameters(prefix: join(prefix, name))
        }
        return out
    }

    /// Every buffer of this layer and its descendants, names prefixed by `prefix`.
    public func namedBuffers(prefix: String = "") -> [(name: String, buffer: Buffer)] {
        var out = localBuffers.map { (name: join(prefix, $0.name), buffer: $0.buffer) }
        for (name, child) in sublayers {
            out += child.namedBuffers(prefix: join(prefix, name))
        }
        return out
    }

    /// This layer and every descendant with its dotted name, parents before children.
    public func namedLayers(prefix: String = "") -> [(name: String, layer: any Layer)] {
        var out: [(name: String, layer: any Layer)] = [(prefix, self)]
        for (name, child) in sublayers {
            out += child.namedLayers(prefix: join(prefix, name))
        }
        return out
    }
}

func join(_ prefix: String, _ name: String) -> String {
    prefix.isEmpty ? name : prefix + "." + name
}

/// Non-trainable layer state saved in the state dict, such as BatchNorm running statistics.
/// Values are held as Float; `dtype` records how the state dict stores them.
public final class Buffer {
    /// How a buffer is stored in a checkpoint.
    public enum StoredType: Sendable { case float32, int64 }
    /// The buffer's values.
    public let tensor: Tensor
    /// Storage type in safetensors files (`num_batches_tracked` is I64 in PyTorch).
    public let storedType: StoredType

    public init(_ tensor: Tensor, storedType: StoredType = .float32) {
        self.tensor = tensor
        self.storedType = storedType
    }
}

/// A layer whose output units can be re-initialised one by one: a Linear (rows of the weight)
/// or a Conv2d (output channels). Used by unit-reset interventions and diagnostics, and by
/// every code that acts on weight matrices: `weight` seen as [unitCount, weight.count /
/// unitCount] has one row per output unit.
public protocol UnitLayer: Layer {
    var weight: Parameter { get }
    var bias: Parameter? { get }
    /// Number of output units (Linear out-features, Conv2d out-channels).
    var unitCount: Int { get }
    /// Number of input units (Linear in-features, Conv2d in-channels).
    var inputUnitCount: Int { get }
    /// Re-draws the incoming weights and bias of `units` from the layer's initialiser.
    func reinitializeUnits(_ units: [Int], rng: inout RandomGenerator)
    /// Sets the weights that read the given input units to `value` (outgoing weights of the
    /// previous layer's units). `group` input features belong to each unit (e.g. the
    /// spatial positions of a channel after Flatten).
    func setInputWeights(of units: [Int], group: Int, to value: Float)
}

/// A unit layer whose weight gradient for one example is the outer product δ aᵀ of its
/// output gradient δ [unitCount] and its input a [inputUnitCount]: a Linear (not a
/// convolution, whose gradient sums over positions). Per-example gradient methods factor
/// such layers instead of materialising their Jacobian columns.
public protocol DenseUnitLayer: UnitLayer {}
