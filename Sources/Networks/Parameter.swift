import Tensors

/// Memory for parameter values and their gradients: two equally long Float buffers.
///
/// A freshly created layer gives each parameter its own small storage; `Network` then moves
/// every parameter into one shared storage, so an optimiser step, a norm or an interpolation
/// over all parameters is a single loop over `values` / `gradients` (llm.c's layout).
public final class ParameterStorage {
    /// Number of Floats in each buffer.
    public let count: Int
    /// All parameter values, in network order.
    public let values: UnsafeMutablePointer<Float>
    /// All parameter gradients, aligned with `values`.
    public let gradients: UnsafeMutablePointer<Float>

    /// Zero-initialised storage of `count` values and gradients.
    public init(count: Int) {
        self.count = count
        values = .allocate(capacity: Swift.max(count, 1))
        values.initialize(repeating: 0, count: Swift.max(count, 1))
        gradients = .allocate(capacity: Swift.max(count, 1))
        gradients.initialize(repeating: 0, count: Swift.max(count, 1))
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }

    /// The values as a buffer pointer (no copy).
    public var valueBuffer: UnsafeMutableBufferPointer<Float> { .init(start: values, count: count) }
    /// The gradients as a buffer pointer (no copy).
    public var gradientBuffer: UnsafeMutableBufferPointer<Float> { .init(start: gradients, count: count) }

    /// Sets every gradient to zero.
    public func zeroGradients() { gradients.update(repeating: 0, count: count) }
}

/// One trainable tensor of a layer (a weight or a bias): a view of `count` values and
/// gradients at `offset` inside a `ParameterStorage`.
public final class Parameter {
    /// The PyTorch-style shape, e.g. `[out, in]` for a Linear weight.
    public let shape: Shape
    /// Number of elements.
    public let count: Int
    /// Where the values live.
    public private(set) var storage: ParameterStorage
    /// Index of the first element inside `storage`.
    public private(set) var offset: Int

    /// A zero-valued parameter with its own storage.
    public init(shape: Shape) {
        self.shape = shape
        count = shape.elementCount
        storage = ParameterStorage(count: count)
        offset = 0
    }

    /// The first value.
    @inlinable public var value: UnsafeMutablePointer<Float> { storage.values + offset }
    /// The first gradient.
    @inlinable public var gradient: UnsafeMutablePointer<Float> { storage.gradients + offset }
    /// The values as a buffer (no copy).
    public var valueBuffer: UnsafeMutableBufferPointer<Float> { .init(start: value, count: count) }
    /// The gradients as a buffer (no copy).
    public var gradientBuffer: UnsafeMutableBufferPointer<Float> { .init(start: gradient, count: count) }

    /// The values copied into a new tensor.
    public func valueTensor() -> Tensor {
        let t = Tensor(shape: shape)
        t.data.update(from: value, count: count)
        return t
    }

    /// Moves this parameter's values and gradients into `newStorage` at `newOffset`.
    func move(to newStorage: ParameterStorage, offset newOffset: Int) {
        precondition(newOffset + count <= newStorage.count, "parameter does not fit its new storage")
        (newStorage.values + newOffset).update(from: value, count: count)
        (newStorage.gradients + newOffset).update(from: gradient, count: count)
        storage = newStorage
        offset = newOffset
    }
}
