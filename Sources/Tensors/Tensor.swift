/// A dense, row-major Float32 tensor with reference semantics.
///
/// A `Tensor` owns one heap buffer (or views another tensor's buffer). It is a class so that a
/// layer can keep its output buffer across training steps and hand out references to it with
/// no copy-on-write: the next step writes into the same memory. Kernels read and write through
/// `data`, an unsafe pointer taken once outside their loops.
///
/// ```swift
/// let x = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
/// x[1, 2]            // 6
/// x.resize(to: Shape(3, 2))   // same memory, new shape
/// ```
public final class Tensor {
    /// The tensor's dimensions.
    public private(set) var shape: Shape
    /// Number of elements (`shape.elementCount`).
    public private(set) var count: Int
    /// Elements the buffer can hold without reallocating.
    public private(set) var capacity: Int
    /// The first element. Valid until the next `resize` that grows past `capacity`.
    public private(set) var data: UnsafeMutablePointer<Float>
    /// The tensor whose memory this one views, kept alive by this reference; nil if it owns it.
    private let base: Tensor?

    /// A zero-filled tensor.
    public init(shape: Shape) {
        count = shape.elementCount
        capacity = Swift.max(count, 1)
        data = .allocate(capacity: capacity)
        data.initialize(repeating: 0, count: capacity)
        self.shape = shape
        base = nil
    }

    /// A tensor holding `values` in row-major order.
    public convenience init(shape: Shape, values: [Float]) {
        precondition(values.count == shape.elementCount,
                     "\(values.count) values do not fill shape \(shape)")
        self.init(shape: shape)
        values.withUnsafeBufferPointer { src in
            if let p = src.baseAddress { data.update(from: p, count: count) }
        }
    }

    /// A tensor filled with `value`.
    public convenience init(shape: Shape, repeating value: Float) {
        self.init(shape: shape)
        data.update(repeating: value, count: count)
    }

    /// A view of `other`'s memory with a different shape of the same element count.
    public init(viewing other: Tensor, as shape: Shape) {
        precondition(shape.elementCount == other.count,
                     "cannot view \(other.shape) as \(shape)")
        self.shape = shape
        count = other.count
        capacity = other.count
        data = other.data
        base = other
    }

    deinit { if base == nil { data.deallocate() } }

    /// Whether this tensor views another tensor's memory.
    public var isView: Bool { base != nil }

    /// Gives the tensor a new shape, reallocating (contents undefined) only if it does not fit.
    /// Returns true when the memory moved.
    @discardableResult
    public func resize(to newShape: Shape) -> Bool {
        if newShape == shape { return false }
        let n = newShape.elementCount
        shape = newShape
        count = n
        guard n > capacity else { return false }
        precondition(base == nil, "cannot grow a view")
        data.deallocate()
        capacity = n
        data = .allocate(capacity: n)
        data.initialize(repeating: 0, count: n)
        return true
    }

    /// The elements as an array (allocates).
    public var values: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The elements as a buffer pointer (no copy).
    @inlinable public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: data, count: count)
    }

    /// Element at a multi-dimensional index.
    public subscript(_ index: Int...) -> Float {
        get { data[offset(index)] }
        set { data[offset(index)] = newValue }
    }

    private func offset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index rank \(index.count) != tensor rank \(shape.count)")
        var o = 0
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(i) out of range for axis \(axis) of \(shape)")
            o = o * shape[axis] + i
        }
        return o
    }

    /// A deep copy with its own memory.
    public func copy() -> Tensor {
        let t = Tensor(shape: shape)
        t.data.update(from: data, count: count)
        return t
    }

    /// Copies `other`'s elements into this tensor, resizing it to `other`'s shape.
    public func assign(_ other: Tensor) {
        resize(to: other.shape)
        data.update(from: other.data, count: count)
    }

    /// Sets every element to `value`.
    public func fill(_ value: Float) { data.update(repeating: value, count: count) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = values.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(\(shape): [\(shown)\(count > 8 ? ", …" : "")])"
    }
}
