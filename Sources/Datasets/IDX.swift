import Tensors

/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): two zero bytes, a type byte
/// (0x08 = unsigned byte), the number of dimensions, each dimension as a big-endian UInt32,
/// then the data in row-major order. Files may be gzip-compressed.
///
/// The header is checked before the data is read: its element count must fit `budget` as
/// decoded Float32 pixels plus the raw bytes (5 bytes a value), and a gzip stream is inflated
/// no further than the size the header promises, so a small file claiming millions of images
/// is refused before it is decompressed.
public struct IDXArray: Equatable {
    /// Dimensions from the header, e.g. [60000, 28, 28].
    public let dimensions: [Int]
    /// The raw unsigned bytes.
    public let bytes: [UInt8]

    /// Reads and validates an IDX file of unsigned bytes (raw or .gz).
    public static func read(_ path: String, budget: MemoryBudget = .builtIn) throws -> IDXArray {
        try parse(try CompressedFile.read(path, expectedSize: { try expectedSize(prefix: $0, path: path, budget: budget) }),
                  path: path, budget: budget)
    }

    /// Validates the in-memory contents of an IDX file, inflating them first if they are
    /// gzip-compressed; `path` is used in error messages.
    public static func parse(file bytes: [UInt8], path: String, budget: MemoryBudget = .builtIn) throws -> IDXArray {
        let inflated = try CompressedFile.inflateIfGzip(bytes, path: path, expectedSize: {
            try expectedSize(prefix: $0, path: path, budget: budget)
        })
        return try parse(inflated, path: path, budget: budget)
    }

    /// Validates an in-memory IDX file; `path` is used in error messages.
    public static func parse(_ bytes: [UInt8], path: String, budget: MemoryBudget = .builtIn) throws -> IDXArray {
        guard let header = try Header(bytes, path: path, complete: true) else { preconditionFailure("a complete header") }
        let available = UInt64(bytes.count - header.size)
        guard !header.overflows else {
            throw DataError(path, "truncated: header promises more than 2^64 values \(header.dimensions), file holds \(available)")
        }
        guard available >= header.values else {
            throw DataError(path, "truncated: header promises \(header.values) values \(header.dimensions), file holds \(available)")
        }
        guard available == header.values else {
            throw DataError(path, "\(available - header.values) bytes of trailing data after \(header.values) values")
        }
        try header.check(budget, path: path)
        return IDXArray(dimensions: header.dimensions, bytes: Array(bytes[header.size...]))
    }

    /// The file size the header at the start of `prefix` promises, or nil while `prefix` is
    /// too short to hold the whole header; throws for a bad header or one over `budget`.
    static func expectedSize(prefix: [UInt8], path: String, budget: MemoryBudget) throws -> Int? {
        guard let header = try Header(prefix, path: path, complete: false) else { return nil }
        guard !header.overflows else { throw DataError(path, "header promises more than 2^64 values \(header.dimensions)") }
        try header.check(budget, path: path)
        return header.size + Int(header.values)
    }

    /// The magic, type, rank and dimensions at the start of a file.
    private struct Header {
        let dimensions: [Int]
        /// Header bytes: 4 + 4 · rank.
        let size: Int
        /// The product of the dimensions (meaningless when it `overflows`).
        let values: UInt64
        /// Whether the product exceeds 2^64 (no dimension being 0).
        let overflows: Bool

        /// Nil when `bytes` is shorter than the header and `complete` is false (more may come).
        init?(_ bytes: [UInt8], path: String, complete: Bool) throws {
            guard bytes.count >= 4 else {
                if !complete { return nil }
                throw DataError(path, "too short for an IDX header (\(bytes.count) bytes)")
            }
            guard bytes[0] == 0, bytes[1] == 0 else { throw DataError(path, "not an IDX file (bad magic number)") }
            guard bytes[2] == 0x08 else {
                throw DataError(path, "IDX element type 0x\(String(bytes[2], radix: 16)) is not unsigned byte (0x08)")
            }
            let rank = Int(bytes[3])
            guard rank >= 1 && rank <= 4 else { throw DataError(path, "IDX rank \(rank) outside 1…4") }
            size = 4 + 4 * rank
            guard bytes.count >= size else {
                if !complete { return nil }
                throw DataError(path, "truncated IDX header")
            }
            var dims: [Int] = []
            var expected: UInt64 = 1
            var overflow = false
            for d in 0..<rank {
                let o = 4 + 4 * d
                let v = UInt64(bytes[o]) << 24 | UInt64(bytes[o + 1]) << 16 | UInt64(bytes[o + 2]) << 8 | UInt64(bytes[o + 3])
                dims.append(Int(v))
                let (product, overflowed) = expected.multipliedReportingOverflow(by: v)
                expected = product
                overflow = overflow || overflowed
            }
            overflows = overflow && !dims.contains(0)
            dimensions = dims
            values = dims.contains(0) ? 0 : expected
        }

        /// Refuses a header whose values, decoded, exceed `budget`.
        func check(_ budget: MemoryBudget, path: String) throws {
            do {
                try budget.check(bytes: 5 * Double(values), for: path, what: "IDX header \(dimensions): \(values) values as bytes and Float32")
            } catch let e as MemoryBudgetError {
                throw DataError(path, e.message)
            }
        }
    }
}
