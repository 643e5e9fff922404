/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): two zero bytes, a type byte
/// (0x08 = unsigned byte), the number of dimensions, each dimension as a big-endian UInt32,
/// then the data in row-major order. Files may be gzip-compressed.
public struct IDXArray: Equatable {
    /// Dimensions from the header, e.g. [60000, 28, 28].
    public let dimensions: [Int]
    /// The raw unsigned bytes.
    public let bytes: [UInt8]

    /// Reads and validates an IDX file of unsigned bytes (raw or .gz).
    public static func read(_ path: String) throws -> IDXArray {
        try parse(try CompressedFile.read(path), path: path)
    }

    /// Validates the in-memory contents of an IDX file, inflating them first if they are
    /// gzip-compressed; `path` is used in error messages.
    public static func parse(file bytes: [UInt8], path: String) throws -> IDXArray {
        try parse(try CompressedFile.inflateIfGzip(bytes, path: path), path: path)
    }

    /// Validates an in-memory IDX file; `path` is used in error messages.
    public static func parse(_ bytes: [UInt8], path: String) throws -> IDXArray {
        guard bytes.count >= 4 else { throw DataError(path, "too short for an IDX header (\(bytes.count) bytes)") }
        guard bytes[0] == 0, bytes[1] == 0 else { throw DataError(path, "not an IDX file (bad magic number)") }
        guard bytes[2] == 0x08 else {
            throw DataError(path, "IDX element type 0x\(String(bytes[2], radix: 16)) is not unsigned byte (0x08)")
        }
        let rank = Int(bytes[3])
        guard rank >= 1 && rank <= 4 else { throw DataError(path, "IDX rank \(rank) outside 1…4") }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else { throw DataError(path, "truncated IDX header") }
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
        let available = UInt64(bytes.count - headerSize)
        guard !overflow || dims.contains(0) else {
            throw DataError(path, "truncated: header promises more than 2^64 values \(dims), file holds \(available)")
        }
        guard available >= expected else {
            throw DataError(path, "truncated: header promises \(expected) values \(dims), file holds \(available)")
        }
        guard available == expected else {
            throw DataError(path, "\(available - expected) bytes of trailing data after \(expected) values")
        }
        return IDXArray(dimensions: dims, bytes: Array(bytes[headerSize...]))
    }
}
