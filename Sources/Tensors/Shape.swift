/// The dimensions of a row-major tensor, stored inline (up to rank 8) so that creating or
/// comparing a shape in a training step never touches the heap.
///
/// ```swift
/// let s = Shape(128, 784)      // s[0] == 128, s.count == 2, s.elementCount == 100_352
/// let t: Shape = [2, 3, 4]
/// ```
public struct Shape: Equatable, Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The largest rank a shape can hold.
    public static let maximumRank = 8
    @usableFromInline var dims: SIMD8<Int>
    /// Number of dimensions.
    public let count: Int

    @inlinable public init(_ d0: Int) { dims = SIMD8(d0, 0, 0, 0, 0, 0, 0, 0); count = 1 }
    @inlinable public init(_ d0: Int, _ d1: Int) { dims = SIMD8(d0, d1, 0, 0, 0, 0, 0, 0); count = 2 }
    @inlinable public init(_ d0: Int, _ d1: Int, _ d2: Int) {
        dims = SIMD8(d0, d1, d2, 0, 0, 0, 0, 0); count = 3
    }
    @inlinable public init(_ d0: Int, _ d1: Int, _ d2: Int, _ d3: Int) {
        dims = SIMD8(d0, d1, d2, d3, 0, 0, 0, 0); count = 4
    }
    /// A shape from an array of dimensions; `[]` is the rank-0 (scalar) shape.
    public init(_ dimensions: [Int]) {
        precondition(dimensions.count <= Shape.maximumRank, "rank \(dimensions.count) exceeds \(Shape.maximumRank)")
        precondition(dimensions.allSatisfy { $0 >= 0 }, "negative dimension in \(dimensions)")
        var d = SIMD8<Int>(repeating: 0)
        for (i, v) in dimensions.enumerated() { d[i] = v }
        dims = d
        count = dimensions.count
    }
    public init(arrayLiteral elements: Int...) { self.init(elements) }

    @inlinable public subscript(_ i: Int) -> Int {
        precondition(i >= 0 && i < count, "dimension index \(i) out of range for rank \(count)")
        return dims[i]
    }
    /// Product of all dimensions (1 for a scalar).
    @inlinable public var elementCount: Int {
        var n = 1
        for i in 0..<count { n *= dims[i] }
        return n
    }
    /// The dimensions as an array (allocates; for I/O and messages).
    public var dimensions: [Int] { (0..<count).map { dims[$0] } }
    /// Product of the dimensions after the first: the per-example size of a batch.
    @inlinable public var trailingCount: Int {
        var n = 1
        for i in 1..<Swift.max(count, 1) { n *= dims[i] }
        return n
    }
    public var description: String { "[" + dimensions.map(String.init).joined(separator: ", ") + "]" }
}
