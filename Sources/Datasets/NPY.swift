import Foundation

/// A NumPy array read from or written to a `.npy` file, its values converted to Float32.
///
/// The format (numpy `lib/format.py`), versions 1.0, 2.0 and 3.0:
///
///     "\x93NUMPY"  major  minor  HEADER_LEN                      header   data
///     6 bytes      u8     u8     u16 LE (1.0), u32 LE (2.0, 3.0)  ASCII    C order
///
/// The header is a Python dict literal, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, padded with spaces and a
/// final newline so that the data starts at a multiple of 64 bytes. `shape` is a tuple —
/// `()` for a scalar (one value), `(n,)` for a vector — and the data holds
/// `product(shape) × itemsize` bytes.
///
/// The reader is strict: exactly the keys `descr`, `fortran_order` and `shape` (in any order),
/// `fortran_order` False, a dtype among '<f4' '<f8' '<i4' '<i8' '|u1' '<u1' '|b1', a header of
/// at most 10 000 bytes (numpy's own limit), and exactly the data bytes the shape needs.
/// Version 3.0 allows a UTF-8 header; the headers of these dtypes are ASCII, so any other byte
/// is rejected. The writer produces '<f4' version 1.0 files byte-identical to `numpy.save`.
///
/// ```swift
/// try NPYArray.write(shape: [2, 3], values: [1, 2, 3, 4, 5, 6], to: "x.npy")
/// let a = try NPYArray.read("x.npy")   // a.shape == [2, 3]
/// ```
public struct NPYArray: Equatable, Sendable {
    /// The dimensions; `[]` for a scalar.
    public var shape: [Int]
    /// The elements in row-major order, converted to Float.
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }

    /// The magic string that starts every `.npy` file.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// numpy's `_MAX_HEADER_SIZE`: longer headers are refused.
    static let maximumHeaderSize = 10_000

    /// Reads and validates a `.npy` file.
    public static func read(_ path: String) throws -> NPYArray {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError(path, "no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw DataError(path, "cannot read file") }
        return try parse([UInt8](data), path: path)
    }

    /// Throws, naming `path`, the first NaN or infinite element and its index, for data that
    /// must be finite (inputs, probe batches); `what` names the array in the message.
    public func requireFinite(path: String, what: String = "inputs") throws {
        guard let flat = values.firstIndex(where: { !$0.isFinite }) else { return }
        var index: [Int] = [], rest = flat
        for d in shape.reversed() {
            index.insert(rest % Swift.max(d, 1), at: 0)
            rest /= Swift.max(d, 1)
        }
        throw DataError(path, "\(values[flat]) at index \(index) (flat \(flat)): \(what) must be finite")
    }

    /// Validates an in-memory `.npy` file; `path` is used in error messages.
    public static func parse(_ bytes: [UInt8], path: String) throws -> NPYArray {
        guard bytes.count >= 10 else { throw DataError(path, "too short for an NPY header (\(bytes.count) bytes)") }
        guard Array(bytes[0..<6]) == magic else { throw DataError(path, "not an NPY file (bad magic string)") }
        let (major, minor) = (bytes[6], bytes[7])
        guard (1...3).contains(major), minor == 0 else { throw DataError(path, "unsupported NPY version \(major).\(minor)") }
        // HEADER_LEN: little-endian u16 in version 1.0, u32 from 2.0 on.
        let lengthBytes = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthBytes else { throw DataError(path, "truncated header length") }
        let headerLength = (0..<lengthBytes).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        guard headerLength <= maximumHeaderSize else {
            throw DataError(path, "header of \(headerLength) bytes exceeds numpy's limit of \(maximumHeaderSize)")
        }
        let headerStart = 8 + lengthBytes
        let dataStart = headerStart + headerLength
        guard bytes.count >= dataStart else {
            let after = bytes.count - headerStart
            throw DataError(path, "truncated header: HEADER_LEN is \(headerLength), file holds \(after) bytes after it")
        }
        let header = try NPYHeader.parse(bytes[headerStart..<dataStart], path: path)
        // Data bytes: item size × product(shape), refusing shapes whose size overflows Int.
        let size = header.type.size
        var needed = size
        for d in header.shape {
            let (product, overflow) = needed.multipliedReportingOverflow(by: d)
            guard !overflow else { throw DataError(path, "shape \(header.shape) is too large") }
            needed = product
        }
        let available = bytes.count - dataStart
        guard available >= needed else {
            throw DataError(path, "truncated data: holds \(available) bytes, shape \(header.shape) × \(size) bytes needs \(needed)")
        }
        guard available == needed else { throw DataError(path, "\(available - needed) bytes of trailing data after the array") }
        let count = needed / size
        let values = bytes.withUnsafeBytes { header.type.decode($0, from: dataStart, count: count) }
        return NPYArray(shape: header.shape, values: values)
    }

    /// Writes `values` (row-major, `product(shape)` of them) as a '<f4' version 1.0 file.
    public static func write(shape: [Int], values: [Float], to path: String) throws {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values do not fill shape \(shape)")
        var bytes = header(shape: shape)
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { bytes += $0 }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw DataError(path, "cannot write file (\(error.localizedDescription))")
        }
    }

    /// The magic, version 1.0, HEADER_LEN and header of a '<f4' array of `shape`, laid out
    /// exactly as `numpy.save` does.
    static func header(shape: [Int]) -> [UInt8] {
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': \(tuple), }"
        // numpy leaves room for the first axis to grow to 21 digits in place...
        if let first = shape.first { dict += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        // ...then pads with 1…64 spaces and a newline so the data starts at a multiple of 64.
        dict += String(repeating: " ", count: 64 - (10 + dict.utf8.count + 1) % 64) + "\n"
        let length = dict.utf8.count
        precondition(length <= Int(UInt16.max), "shape \(shape) needs a version 2.0 header")
        return magic + [1, 0, UInt8(length & 0xff), UInt8(length >> 8)] + Array(dict.utf8)
    }
}

/// The element types `NPYArray` reads, by their numpy `descr`.
enum NPYType: String, CaseIterable {
    case float32 = "<f4", float64 = "<f8", int32 = "<i4", int64 = "<i8"
    case uint8 = "|u1", uint8Little = "<u1", bool = "|b1"

    /// Bytes per element.
    var size: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .uint8, .uint8Little, .bool: 1
        }
    }

    /// Converts `count` little-endian elements starting at byte `start` of `raw` to Float
    /// (bools: any nonzero byte is 1).
    func decode(_ raw: UnsafeRawBufferPointer, from start: Int, count: Int) -> [Float] {
        func load<T: FixedWidthInteger>(_ i: Int, as: T.Type) -> T {
            T(littleEndian: raw.loadUnaligned(fromByteOffset: start + i * size, as: T.self))
        }
        return switch self {
        case .float32: (0..<count).map { Float(bitPattern: load($0, as: UInt32.self)) }
        case .float64: (0..<count).map { Float(Double(bitPattern: load($0, as: UInt64.self))) }
        case .int32: (0..<count).map { Float(load($0, as: Int32.self)) }
        case .int64: (0..<count).map { Float(load($0, as: Int64.self)) }
        case .uint8, .uint8Little: (0..<count).map { Float(raw[start + $0]) }
        case .bool: (0..<count).map { raw[start + $0] == 0 ? 0 : 1 }
        }
    }
}

/// The validated header dict of a `.npy` file, parsed by a strict recursive-descent reader of
/// the Python literal subset numpy writes:
///
///     dict  := '{' (key ':' value (',' key ':' value)* ','?)? '}'
///     value := string | 'True' | 'False' | '(' ')' | '(' int ',' ')' | '(' int (',' int)+ ','? ')'
///
/// with strings in single or double quotes (no escapes) and whitespace between tokens.
struct NPYHeader {
    var type: NPYType
    var shape: [Int]

    /// A value in the header dict.
    private enum Value { case string(String), bool(Bool), tuple([Int]) }

    static func parse(_ text: ArraySlice<UInt8>, path: String) throws -> NPYHeader {
        if let bad = text.first(where: { $0 > 0x7f }) {
            throw DataError(path, "malformed header: non-ASCII byte 0x\(String(bad, radix: 16))")
        }
        var reader = Reader(text: Array(text), path: path)
        let dict = try reader.dictionary()
        guard Set(dict.keys) == ["descr", "fortran_order", "shape"] else {
            throw DataError(path, "header keys \(dict.keys.sorted()) are not exactly descr, fortran_order, shape")
        }
        guard case .string(let descr)? = dict["descr"] else { throw DataError(path, "header 'descr' is not a string") }
        guard case .bool(let fortran)? = dict["fortran_order"] else {
            throw DataError(path, "header 'fortran_order' is not True or False")
        }
        guard case .tuple(let shape)? = dict["shape"] else { throw DataError(path, "header 'shape' is not a tuple") }
        guard let type = NPYType(rawValue: descr) else {
            let supported = NPYType.allCases.map(\.rawValue).joined(separator: ", ")
            throw DataError(path, "unsupported dtype '\(descr)' (supported: \(supported))")
        }
        guard !fortran else { throw DataError(path, "fortran_order True is not supported (save a C-ordered array)") }
        return NPYHeader(type: type, shape: shape)
    }

    /// A cursor over the header's characters.
    private struct Reader {
        let text: [UInt8]
        let path: String
        var position = 0

        func fail(_ expected: String) -> DataError {
            let found = position < text.count ? "'\(Character(Unicode.Scalar(text[position])))'" : "the end"
            return DataError(path, "malformed header: expected \(expected) at character \(position), found \(found)")
        }

        mutating func skipSpace() {
            while position < text.count, [0x20, 0x09, 0x0a, 0x0d].contains(text[position]) { position += 1 }
        }

        /// Skips whitespace, then consumes `c` if it is next.
        mutating func take(_ c: Character) -> Bool {
            skipSpace()
            guard position < text.count, text[position] == c.asciiValue! else { return false }
            position += 1
            return true
        }

        mutating func expect(_ c: Character) throws {
            guard take(c) else { throw fail("'\(c)'") }
        }

        mutating func dictionary() throws -> [String: Value] {
            try expect("{")
            var dict: [String: Value] = [:]
            while !take("}") {
                let key = try string()
                guard dict[key] == nil else { throw DataError(path, "malformed header: key '\(key)' appears twice") }
                try expect(":")
                dict[key] = try value()
                if !take(",") {
                    try expect("}")
                    break
                }
            }
            skipSpace()
            guard position == text.count else { throw fail("only spaces after the dict") }
            return dict
        }

        mutating func value() throws -> Value {
            skipSpace()
            if position < text.count, text[position] == 0x27 || text[position] == 0x22 { return .string(try string()) }
            if take("(") { return .tuple(try tuple()) }
            for (word, flag) in [("True", true), ("False", false)] where text[position...].starts(with: word.utf8) {
                position += word.utf8.count
                return .bool(flag)
            }
            throw fail("a string, True, False or a tuple")
        }

        mutating func string() throws -> String {
            skipSpace()
            guard position < text.count, text[position] == 0x27 || text[position] == 0x22 else {
                throw fail("a quoted string")
            }
            let quote = text[position]
            let start = position + 1
            guard let end = text[start...].firstIndex(of: quote) else {
                position = text.count
                throw fail("a closing quote")
            }
            guard !text[start..<end].contains(0x5c) else {
                throw DataError(path, "malformed header: escapes in strings are not supported")
            }
            position = end + 1
            return String(decoding: text[start..<end], as: UTF8.self)
        }

        /// The elements of a tuple whose '(' was consumed; a 1-tuple needs its trailing comma.
        mutating func tuple() throws -> [Int] {
            var elements: [Int] = []
            while !take(")") {
                elements.append(try integer())
                if !take(",") {
                    guard elements.count > 1 else { throw fail("',' after the only element of a tuple") }
                    try expect(")")
                    break
                }
            }
            return elements
        }

        mutating func integer() throws -> Int {
            skipSpace()
            let start = position
            while position < text.count, (0x30...0x39).contains(text[position]) { position += 1 }
            guard position > start else { throw fail("a non-negative integer") }
            let digits = String(decoding: text[start..<position], as: UTF8.self)
            guard let n = Int(digits) else { throw DataError(path, "malformed header: dimension \(digits) is too large") }
            return n
        }
    }
}
