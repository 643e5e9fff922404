/// A dense, row-major Float64 tensor with reference semantics, the working type of the
/// Hessian-vector product (`HessianVectorProduct`): Float32 parameters and inputs are widened
/// exactly, and every pass runs in Double.
///
/// Like `Tensor`, a node owns its output buffers and reuses them on every product; kernels
/// take `data` once, outside their loops.
public final class DoubleTensor {
    public private(set) var shape: Shape
    public private(set) var count: Int
    public private(set) var data: UnsafeMutablePointer<Double>
    /// The tensor whose memory this one views, kept alive by this reference; nil if it owns it.
    private let base: DoubleTensor?

    /// A zero-filled tensor.
    public init(shape: Shape) {
        self.shape = shape
        count = shape.elementCount
        data = .allocate(capacity: Swift.max(count, 1))
        data.initialize(repeating: 0, count: Swift.max(count, 1))
        base = nil
    }

    /// `tensor`'s values widened to Double.
    public convenience init(_ tensor: Tensor) {
        self.init(shape: tensor.shape)
        let src = tensor.data, dst = data
        for i in 0..<count { dst[i] = Double(src[i]) }
    }

    /// A view of `other`'s memory with a different shape of the same element count.
    public init(viewing other: DoubleTensor, as shape: Shape) {
        precondition(shape.elementCount == other.count, "cannot view \(other.shape) as \(shape)")
        self.shape = shape
        count = other.count
        data = other.data
        base = other
    }

    deinit { if base == nil { data.deallocate() } }

    /// Gives the tensor a new shape; contents are undefined after a reallocation.
    public func resize(to newShape: Shape) {
        if newShape == shape { return }
        precondition(base == nil, "cannot resize a view")
        let n = newShape.elementCount
        if n > Swift.max(count, 1) {
            data.deallocate()
            data = .allocate(capacity: n)
            data.initialize(repeating: 0, count: n)
        }
        shape = newShape
        count = n
    }

    /// Sets every element to zero.
    public func zero() { data.update(repeating: 0, count: count) }
}
