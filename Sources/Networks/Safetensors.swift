import Foundation
import Tensors

/// A safetensors file: named tensors with a string→string metadata map.
///
/// Format: 8 bytes `N` (little-endian u64), then an `N`-byte UTF-8 JSON object
/// `{"__metadata__": {..}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [b, e]}}`
/// padded with spaces, then the data buffer. Offsets are relative to the buffer; tensors are
/// little-endian, row-major, and must cover the buffer exactly, with no holes or overlap.
///
/// Decoding performs the reference reader's checks (header at most 100 MB, sizes agree with
/// shapes, full coverage) plus duplicate-key rejection, and reports any problem as a
/// one-line `SafetensorsError`. Writing follows the reference writer byte for byte.
///
/// ```swift
/// try net.saveSafetensors(to: url, metadata: ["format": "pt"])
/// let file = try SafetensorsFile.read(contentsOf: url)
/// let weight = try file.floats("layers.0.weight")
/// ```
public struct SafetensorsFile: Sendable {
    /// A tensor element type, named as in the header; `BOOL` is one byte per element.
    public enum DType: String, CaseIterable, Sendable {
        case BOOL, U8, I8, I16, U16, I32, U32, I64, U64, F16, BF16, F32, F64

        /// Bytes per element.
        public var byteSize: Int {
            switch self {
            case .BOOL, .U8, .I8: 1
            case .I16, .U16, .F16, .BF16: 2
            case .I32, .U32, .F32: 4
            case .I64, .U64, .F64: 8
            }
        }
    }

    /// One tensor: its name, element type, dimensions and raw little-endian row-major bytes.
    public struct Entry: Sendable {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        public var bytes: [UInt8]

        public init(name: String, dtype: DType, shape: [Int], bytes: [UInt8]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }
    }

    /// The reference reader's cap on the header length.
    public static let maximumHeaderLength: UInt64 = 100_000_000

    /// Tensors in header order.
    public var entries: [Entry]
    /// The optional `__metadata__` map.
    public var metadata: [String: String]
    /// Where the file came from, named in error messages.
    public var source: String

    public init(entries: [Entry] = [], metadata: [String: String] = [:], source: String = "safetensors") {
        self.entries = entries
        self.metadata = metadata
        self.source = source
    }

    /// The entry called `name`, if any.
    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// The values of tensor `name` converted to Float (integers and BOOL as numbers).
    public func floats(_ name: String) throws -> [Float] {
        guard let e = entry(named: name) else { throw SafetensorsError(source, "no tensor named '\(name)'") }
        try e.validate(source: source)
        return e.floats()
    }

    /// Every tensor as a Float32 `StateEntry`; I64 tensors are marked `.int64`.
    public func stateEntries() throws -> [StateEntry] {
        try entries.map { e in
            try e.validate(source: source)
            let tensor = Tensor(shape: Shape(e.shape), values: e.floats())
            return StateEntry(name: e.name, tensor: tensor, storedType: e.dtype == .I64 ? .int64 : .float32)
        }
    }

    /// The network's entries: `stateEntries()` less the `optimizer.*` and `hook.*` entries of a
    /// PlasticityLab training checkpoint (metadata `format` starting `plasticitylab-checkpoint`);
    /// any other file's entries are all the network's.
    public func networkEntries() throws -> [StateEntry] { networkEntries(of: try stateEntries()) }

    /// `networkEntries()` for entries already decoded from this file.
    public func networkEntries(of all: [StateEntry]) -> [StateEntry] {
        guard metadata["format"]?.hasPrefix("plasticitylab-checkpoint") == true else { return all }
        return all.filter { !$0.name.hasPrefix("optimizer.") && !$0.name.hasPrefix("hook.") }
    }
}

/// A malformed or unreadable safetensors file; `description` is one line naming the file
/// and the problem.
public struct SafetensorsError: Error, CustomStringConvertible {
    /// The file (or other source) concerned.
    public let source: String
    /// What is wrong with it.
    public let problem: String

    init(_ source: String, _ problem: String) {
        self.source = source
        self.problem = problem
    }

    public var description: String { "\(source): \(problem)" }
}

// MARK: - Network glue

extension SafetensorsFile {
    /// A file holding a state dict: `.float32` entries as F32, `.int64` entries as I64.
    /// Throws if an `.int64` value is not an integer that fits in Int64.
    public init(stateDict entries: [StateEntry], metadata: [String: String] = [:]) throws {
        let source = "state dict"
        self.init(entries: try entries.map { s in
            let values = s.tensor.values
            let shape = s.tensor.shape.dimensions
            switch s.storedType {
            case .float32:
                return Entry(name: s.name, dtype: .F32, shape: shape, bytes: littleEndianBytes(values.map(\.bitPattern)))
            case .int64:
                let integers = try values.map { v in
                    guard let i = Int64(exactly: v) else {
                        throw SafetensorsError(source, "tensor '\(s.name)': \(v) is not an Int64")
                    }
                    return i
                }
                return Entry(name: s.name, dtype: .I64, shape: shape, bytes: littleEndianBytes(integers))
            }
        }, metadata: metadata, source: source)
    }
}

extension Network {
    /// Writes the state dict (parameters and buffers) as a safetensors file, atomically.
    public func saveSafetensors(to url: URL, metadata: [String: String] = [:]) throws {
        try SafetensorsFile(stateDict: stateDict(), metadata: metadata).write(to: url)
    }

    /// Loads parameters and buffers from a safetensors file; see `load(_:strict:)`.
    /// Nothing is modified unless every check passes.
    public func loadSafetensors(from url: URL, strict: Bool = true) throws {
        let entries = try SafetensorsFile.read(contentsOf: url).stateEntries()
        do {
            try load(entries, strict: strict)
        } catch let error as StateDictError {
            throw SafetensorsError(url.path, error.description)
        }
    }
}

// MARK: - Writing

extension SafetensorsFile {
    /// The file's bytes, laid out as the reference writer does: tensors sorted by dtype
    /// alignment (descending) then name, data contiguous, header space-padded so the data
    /// starts at a multiple of 8.
    public func encoded() throws -> [UInt8] {
        var names = Set<String>()
        for e in entries {
            guard e.name != "__metadata__" else { throw SafetensorsError(source, "'__metadata__' is not a tensor name") }
            guard names.insert(e.name).inserted else { throw SafetensorsError(source, "duplicate tensor name '\(e.name)'") }
            try e.validate(source: source)
        }
        let ordered = entries.sorted { a, b in
            a.dtype.byteSize != b.dtype.byteSize
                ? a.dtype.byteSize > b.dtype.byteSize : a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
        }
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { $0.key.jsonLiteral + ":" + $0.value.jsonLiteral }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for e in ordered {
            let shape = e.shape.map(String.init).joined(separator: ",")
            fields.append(e.name.jsonLiteral + ":{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(offset),\(offset + e.bytes.count)]}")
            offset += e.bytes.count
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var out = littleEndianBytes([UInt64(header.count)])
        out.reserveCapacity(8 + header.count + offset)
        out += header
        for e in ordered { out += e.bytes }
        return out
    }

    /// Writes `encoded()` to `url` atomically and durably (`AtomicFile`: a temporary file,
    /// fsync, rename, fsync of the directory).
    public func write(to url: URL) throws {
        var file = self
        file.source = url.path
        let bytes = try file.encoded()
        do {
            try AtomicFile.write(bytes, to: url)
        } catch let error as AtomicFileError {
            throw SafetensorsError(url.path, "cannot write: \(error.problem)")
        }
    }
}

private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(values.count * MemoryLayout<T>.size)
    for v in values {
        withUnsafeBytes(of: v.littleEndian) { out += $0 }
    }
    return out
}

// MARK: - Reading

extension SafetensorsFile {
    /// Reads and checks the file at `url`.
    public static func read(contentsOf url: URL) throws -> SafetensorsFile {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SafetensorsError(url.path, "is a directory, not a safetensors file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw SafetensorsError(url.path, "cannot read: \(FileSystem.reason(error))")
        }
        return try decode(data, source: url.path)
    }

    /// Decodes and checks a file's bytes; `source` names it in errors.
    public static func decode(_ data: Data, source: String) throws -> SafetensorsFile {
        try data.withUnsafeBytes { try decode(buffer: $0, source: source) }
    }

    /// Decodes and checks a file's bytes; `source` names it in errors.
    public static func decode(_ bytes: [UInt8], source: String) throws -> SafetensorsFile {
        try bytes.withUnsafeBytes { try decode(buffer: $0, source: source) }
    }

    private static func decode(buffer file: UnsafeRawBufferPointer, source: String) throws -> SafetensorsFile {
        func fail(_ problem: String) -> SafetensorsError { SafetensorsError(source, problem) }
        let fileLength = UInt64(file.count)
        guard fileLength >= 8 else { throw fail("file is \(fileLength) bytes, shorter than the 8-byte header length") }
        let headerLength = file.loadUnaligned(as: UInt64.self).littleEndian
        guard headerLength <= maximumHeaderLength else {
            throw fail("header length \(headerLength) exceeds \(maximumHeaderLength) bytes")
        }
        guard 8 + headerLength <= fileLength else {
            throw fail("truncated: header length \(headerLength) needs \(8 + headerLength) bytes, "
                + "the file has \(fileLength)")
        }
        let header = Array(file[8..<8 + Int(headerLength)])
        guard String(validating: header, as: UTF8.self) != nil else { throw fail("header is not valid UTF-8") }
        guard header.first == UInt8(ascii: "{") else { throw fail("header does not start with '{'") }
        var parser = HeaderParser(bytes: header, source: source)
        guard case .object(let members) = try parser.parseDocument() else { throw fail("header is not a JSON object") }

        var metadata: [String: String] = [:]
        var infos: [(name: String, dtype: DType, shape: [Int], begin: UInt64, end: UInt64)] = []
        for (name, value) in members {
            if name == "__metadata__" {
                metadata = try metadataMap(value, fail: fail)
                continue
            }
            let info = try tensorInfo(value, fail: { fail("tensor '\(name)': " + $0) })
            infos.append((name, info.dtype, info.shape, info.begin, info.end))
        }

        let bufferLength = fileLength - 8 - headerLength
        var expectedBegin: UInt64 = 0
        for info in infos.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            guard info.begin == expectedBegin else {
                throw fail("tensor '\(info.name)' starts at byte \(info.begin), expected \(expectedBegin): "
                    + "data not contiguous")
            }
            expectedBegin = info.end
        }
        guard expectedBegin == bufferLength else {
            throw fail("tensors cover \(expectedBegin) bytes but the buffer holds \(bufferLength)")
        }
        let dataStart = 8 + Int(headerLength)
        let entries = infos.map { info in
            Entry(name: info.name, dtype: info.dtype, shape: info.shape,
                  bytes: Array(file[dataStart + Int(info.begin)..<dataStart + Int(info.end)]))
        }
        return SafetensorsFile(entries: entries, metadata: metadata, source: source)
    }

    private static func metadataMap(_ value: JSONValue, fail: (String) -> SafetensorsError) throws -> [String: String] {
        guard case .object(let members) = value else { throw fail("__metadata__ must map strings to strings") }
        var map: [String: String] = [:]
        for (key, value) in members {
            guard case .string(let s) = value else { throw fail("__metadata__ must map strings to strings") }
            map[key] = s
        }
        return map
    }

    /// The fields of one tensor's header entry, checked against each other.
    private static func tensorInfo(_ value: JSONValue, fail: (String) -> SafetensorsError) throws
        -> (dtype: DType, shape: [Int], begin: UInt64, end: UInt64)
    {
        guard case .object(let members) = value else { throw fail("entry is not a JSON object") }
        var dtype: DType?, shape: [UInt64]?, offsets: [UInt64]?
        for (key, value) in members {
            switch key {
            case "dtype":
                guard case .string(let s) = value else { throw fail("dtype must be a string") }
                guard let d = DType(rawValue: s) else { throw fail("unknown dtype '\(s)'") }
                dtype = d
            case "shape":
                shape = value.unsignedIntegers
                guard shape != nil else { throw fail("shape must be a list of non-negative integers") }
            case "data_offsets":
                offsets = value.unsignedIntegers
                guard let o = offsets, o.count == 2, o[0] <= o[1] else {
                    throw fail("data_offsets must be [begin, end] with begin <= end")
                }
            default:
                throw fail("unexpected key '\(key)'")
            }
        }
        guard let dtype, let shape, let offsets else { throw fail("entry needs dtype, shape and data_offsets") }
        guard shape.count <= Shape.maximumRank else { throw fail("rank \(shape.count) exceeds \(Shape.maximumRank)") }
        guard let byteCount = shapeByteCount(shape, dtype) else {
            throw fail("size of shape \(shape) of \(dtype.rawValue) overflows")
        }
        let span = offsets[1] - offsets[0]
        guard byteCount == span else {
            throw fail("shape \(shape) of \(dtype.rawValue) needs \(byteCount) bytes, data_offsets span \(span)")
        }
        return (dtype, shape.map { Int($0) }, offsets[0], offsets[1])
    }
}

/// Element count × element size, or nil if it, or a dimension, does not fit in an Int.
private func shapeByteCount(_ shape: [UInt64], _ dtype: SafetensorsFile.DType) -> UInt64? {
    var n = UInt64(dtype.byteSize)
    for d in shape {
        guard d <= UInt64(Int.max) else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: d)
        guard !overflow else { return nil }
        n = product
    }
    return n <= UInt64(Int.max) ? n : nil
}

extension SafetensorsFile.Entry {
    /// Checks the rank and shape, and that `bytes` holds exactly the elements they require.
    func validate(source: String) throws {
        func fail(_ problem: String) -> SafetensorsError { SafetensorsError(source, "tensor '\(name)': " + problem) }
        guard shape.count <= Shape.maximumRank else { throw fail("rank \(shape.count) exceeds \(Shape.maximumRank)") }
        guard shape.allSatisfy({ $0 >= 0 }), let n = shapeByteCount(shape.map { UInt64($0) }, dtype) else {
            throw fail("invalid shape \(shape)")
        }
        guard n == bytes.count else {
            throw fail("shape \(shape) of \(dtype.rawValue) needs \(n) bytes, has \(bytes.count)")
        }
    }

    /// The elements as Float; `bytes` must match the shape.
    func floats() -> [Float] {
        bytes.withUnsafeBytes { raw in
            let count = raw.count / dtype.byteSize
            func load<T: FixedWidthInteger>(_: T.Type) -> [T] {
                (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self).littleEndian }
            }
            switch dtype {
            case .BOOL: return load(UInt8.self).map { $0 == 0 ? 0 : 1 }
            case .U8: return load(UInt8.self).map { Float($0) }
            case .I8: return load(Int8.self).map { Float($0) }
            case .I16: return load(Int16.self).map { Float($0) }
            case .U16: return load(UInt16.self).map { Float($0) }
            case .I32: return load(Int32.self).map { Float($0) }
            case .U32: return load(UInt32.self).map { Float($0) }
            case .I64: return load(Int64.self).map { Float($0) }
            case .U64: return load(UInt64.self).map { Float($0) }
            case .F16: return load(UInt16.self).map(floatFromHalf)
            case .BF16: return load(UInt16.self).map { Float(bitPattern: UInt32($0) << 16) }
            case .F32: return load(UInt32.self).map { Float(bitPattern: $0) }
            case .F64: return load(UInt64.self).map { Float(Double(bitPattern: $0)) }
            }
        }
    }
}

/// IEEE half-precision bits to Float (portable: `Float16` is unavailable on Intel macOS).
private func floatFromHalf(_ h: UInt16) -> Float {
    let sign: Float = h & 0x8000 == 0 ? 1 : -1
    let exponent = Int(h >> 10 & 0x1F)
    let mantissa = Float(h & 0x3FF)
    switch exponent {
    case 0: return sign * mantissa * 0x1p-24
    case 0x1F: return mantissa == 0 ? sign * .infinity : .nan
    default: return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}

// MARK: - Header JSON

/// A JSON value, with object members in file order. Numbers keep their text.
private enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case literal(String)

    /// The value as a list of non-negative integers, if it is one.
    var unsignedIntegers: [UInt64]? {
        guard case .array(let items) = self else { return nil }
        var out: [UInt64] = []
        for item in items {
            guard case .number(let text) = item, let n = UInt64(text) else { return nil }
            out.append(n)
        }
        return out
    }
}

/// A strict recursive-descent JSON parser that rejects duplicate object keys.
private struct HeaderParser {
    let bytes: [UInt8]
    let source: String
    var position = 0
    var depth = 0
    static let maximumDepth = 64

    init(bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
    }

    mutating func parseDocument() throws -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected text after the JSON value") }
        return value
    }

    private func fail(_ problem: String) -> SafetensorsError {
        SafetensorsError(source, "header is not valid JSON: \(problem) at byte \(position)")
    }

    private var next: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let c = next, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
    }

    private mutating func consume(_ c: UInt8) -> Bool {
        guard next == c else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ c: UInt8) throws {
        guard consume(c) else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
    }

    private mutating func parseValue() throws -> JSONValue {
        skipWhitespace()
        guard let c = next else { throw fail("unexpected end") }
        switch c {
        case UInt8(ascii: "{"): return try nested { try $0.parseObject() }
        case UInt8(ascii: "["): return try nested { try $0.parseArray() }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default:
            for word in ["true", "false", "null"] where bytes[position...].starts(with: word.utf8) {
                position += word.utf8.count
                return .literal(word)
            }
            throw fail("unexpected character")
        }
    }

    private mutating func nested(_ parse: (inout HeaderParser) throws -> JSONValue) throws -> JSONValue {
        guard depth < Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth)") }
        depth += 1
        defer { depth -= 1 }
        return try parse(&self)
    }

    private mutating func parseObject() throws -> JSONValue {
        try expect(UInt8(ascii: "{"))
        var members: [(key: String, value: JSONValue)] = []
        var keys = Set<String>()
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(members) }
        repeat {
            skipWhitespace()
            let key = try parseString()
            guard keys.insert(key).inserted else { throw SafetensorsError(source, "duplicate key '\(key)' in header") }
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            members.append((key, try parseValue()))
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
        return .object(members)
    }

    private mutating func parseArray() throws -> JSONValue {
        try expect(UInt8(ascii: "["))
        var items: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(items) }
        repeat {
            items.append(try parseValue())
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
        return .array(items)
    }

    private mutating func parseString() throws -> String {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while let c = next {
            position += 1
            switch c {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"): try parseEscape(into: &out)
            case 0..<0x20: throw fail("control character in string")
            default: out.append(c)
            }
        }
        throw fail("unterminated string")
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws {
        guard let c = next else { throw fail("unterminated string") }
        position += 1
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(c)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var code = try parseHex4()
            if (0xD800..<0xDC00).contains(code) {
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else { throw fail("unpaired surrogate") }
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw fail("unpaired surrogate") }
            UTF8.encode(scalar) { out.append($0) }
        default: throw fail("invalid escape")
        }
    }

    private mutating func parseHex4() throws -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let c = next, let digit = Character(Unicode.Scalar(c)).hexDigitValue else {
                throw fail("invalid \\u escape")
            }
            code = code << 4 | UInt32(digit)
            position += 1
        }
        return code
    }

    /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as text.
    private mutating func parseNumber() throws -> String {
        let start = position
        _ = consume(UInt8(ascii: "-"))
        if !consume(UInt8(ascii: "0")) {
            guard digits() > 0 else { throw fail("invalid number") }
        }
        if consume(UInt8(ascii: ".")) {
            guard digits() > 0 else { throw fail("invalid number") }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            _ = consume(UInt8(ascii: "+")) || consume(UInt8(ascii: "-"))
            guard digits() > 0 else { throw fail("invalid number") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func digits() -> Int {
        let start = position
        while let c = next, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { position += 1 }
        return position - start
    }
}
