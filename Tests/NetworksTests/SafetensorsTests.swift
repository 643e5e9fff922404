import Foundation
import Subprocesses
import Testing
import Tensors
@testable import Networks

// MARK: - Helpers

/// A fresh empty directory for one test.
private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func smallNetwork(seed: UInt64) -> Network {
    var rng = RandomGenerator(seed: seed)
    return Network(Sequential(Linear(4, 3, rng: &rng), Activation(.relu), BatchNorm(3), Linear(3, 2, rng: &rng)))
}

private func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
}

private func float32Bytes(_ values: [Float]) -> [UInt8] { littleEndian(values.map(\.bitPattern)) }

/// A file with the given header text (unpadded) and data buffer.
private func file(header: String, data: [UInt8] = []) -> [UInt8] {
    let json = Array(header.utf8)
    return littleEndian([UInt64(json.count)]) + json + data
}

/// A one-tensor header: `{"a": {<fields>}}`.
private func tensorA(_ fields: String) -> String { #"{"a":{"# + fields + "}}" }

private func zeros(_ count: Int) -> [UInt8] { Array(repeating: 0, count: count) }

private let validA = #""dtype":"F32","shape":[2],"data_offsets":[0,8]"#

// MARK: - Round trips

@Test func networkRoundTripRestoresParametersAndBuffers() throws {
    let source = smallNetwork(seed: 1)
    for (i, (_, buffer)) in source.buffers.enumerated() {
        for j in 0..<buffer.tensor.count { buffer.tensor.data[j] = Float(i * 10 + j) + 0.25 }
    }
    let batches = try #require(source.buffers.first { $0.name.hasSuffix("num_batches_tracked") })
    batches.buffer.tensor.fill(42)

    let url = try temporaryDirectory().appendingPathComponent("model.safetensors")
    try source.saveSafetensors(to: url, metadata: ["format": "pt"])
    let target = smallNetwork(seed: 2)
    #expect(target.parameterVector() != source.parameterVector())
    try target.loadSafetensors(from: url)

    #expect(target.parameterVector() == source.parameterVector())
    #expect(target.buffers.map(\.name) == source.buffers.map(\.name))
    for (a, b) in zip(source.buffers, target.buffers) {
        #expect(a.buffer.tensor.values == b.buffer.tensor.values, "\(a.name)")
    }
    let written = try SafetensorsFile.read(contentsOf: url)
    #expect(written.metadata == ["format": "pt"])
    #expect(written.entry(named: "layers.0.weight")?.shape == [3, 4])
    let tracked = try #require(written.entry(named: "layers.2.num_batches_tracked"))
    #expect(tracked.dtype == .I64 && tracked.shape == [] && tracked.bytes == littleEndian([Int64(42)]))
    #expect(try written.stateEntries().first { $0.name == tracked.name }?.storedType == .int64)
}

@Test func everyDTypeConvertsToFloatAndRoundTrips() throws {
    let entries: [SafetensorsFile.Entry] = [
        .init(name: "bool", dtype: .BOOL, shape: [3], bytes: [0, 1, 2]),
        .init(name: "u8", dtype: .U8, shape: [2], bytes: [0, 255]),
        .init(name: "i8", dtype: .I8, shape: [2], bytes: [0x80, 0x7F]),
        .init(name: "i16", dtype: .I16, shape: [2], bytes: littleEndian([Int16(-300), 300])),
        .init(name: "u16", dtype: .U16, shape: [1], bytes: littleEndian([UInt16(65535)])),
        .init(name: "i32", dtype: .I32, shape: [1], bytes: littleEndian([Int32(-70000)])),
        .init(name: "u32", dtype: .U32, shape: [1], bytes: littleEndian([UInt32(70000)])),
        .init(name: "i64", dtype: .I64, shape: [], bytes: littleEndian([Int64(-7)])),
        .init(name: "u64", dtype: .U64, shape: [1], bytes: littleEndian([UInt64(1) << 40])),
        .init(name: "f16", dtype: .F16, shape: [5], bytes: littleEndian([UInt16(0x3C00), 0xC000, 0x0001, 0x7C00, 0x3555])),
        .init(name: "bf16", dtype: .BF16, shape: [2], bytes: littleEndian([UInt16(0x3F80), 0xC0A0])),
        .init(name: "f32", dtype: .F32, shape: [1, 2], bytes: float32Bytes([0.1, -0.0])),
        .init(name: "f64", dtype: .F64, shape: [1], bytes: littleEndian([(0.1 as Double).bitPattern])),
        .init(name: "empty", dtype: .F32, shape: [0, 3], bytes: []),
    ]
    let file = try SafetensorsFile.decode(SafetensorsFile(entries: entries).encoded(), source: "all.safetensors")
    #expect(Set(file.entries.map(\.name)) == Set(entries.map(\.name)))
    for e in entries {
        let decoded = try #require(file.entry(named: e.name))
        #expect(decoded.dtype == e.dtype && decoded.shape == e.shape && decoded.bytes == e.bytes, "\(e.name)")
    }
    #expect(try file.floats("bool") == [0, 1, 1])
    #expect(try file.floats("u8") == [0, 255])
    #expect(try file.floats("i8") == [-128, 127])
    #expect(try file.floats("i16") == [-300, 300])
    #expect(try file.floats("u16") == [65535])
    #expect(try file.floats("i32") == [-70000])
    #expect(try file.floats("u32") == [70000])
    #expect(try file.floats("i64") == [-7])
    #expect(try file.floats("u64") == [0x1p40])
    #expect(try file.floats("f16") == [1, -2, 0x1p-24, .infinity, 0.333251953125])
    #expect(try file.floats("bf16") == [1, -5])
    #expect(try file.floats("f32").map(\.bitPattern) == [Float(0.1).bitPattern, Float(-0.0).bitPattern])
    #expect(try file.floats("f64") == [Float(0.1)])
    #expect(try file.floats("empty") == [])
    #expect(try file.stateEntries().first { $0.name == "empty" }?.tensor.shape == Shape([0, 3]))
}

@Test func writerPadsHeaderToEightBytesAndSortsByAlignmentThenName() throws {
    for nameLength in 1...9 {
        let entries: [SafetensorsFile.Entry] = [
            .init(name: "b", dtype: .U8, shape: [1], bytes: [9]),
            .init(name: String(repeating: "x", count: nameLength), dtype: .F32, shape: [1], bytes: float32Bytes([1])),
            .init(name: "a", dtype: .F32, shape: [], bytes: float32Bytes([2])),
            .init(name: "c", dtype: .F64, shape: [1], bytes: littleEndian([(3.0 as Double).bitPattern])),
        ]
        let bytes = try SafetensorsFile(entries: entries, metadata: ["k": "v"]).encoded()
        let headerLength = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian }
        #expect((8 + headerLength) % 8 == 0)
        let header = String(decoding: bytes[8..<8 + Int(headerLength)], as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"k":"v"},"c":{"dtype":"F64""#))
        let decoded = try SafetensorsFile.decode(bytes, source: "aligned.safetensors")
        #expect(decoded.entries.map(\.name) == ["c", "a", String(repeating: "x", count: nameLength), "b"])
    }
}

@Test func writeReplacesFileAtomicallyLeavingNoTemporaryFiles() throws {
    let directory = try temporaryDirectory()
    let url = directory.appendingPathComponent("w.safetensors")
    try Data("old contents".utf8).write(to: url)
    let file = SafetensorsFile(entries: [.init(name: "a", dtype: .F32, shape: [1], bytes: float32Bytes([5]))])
    try file.write(to: url)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["w.safetensors"])
    #expect(try SafetensorsFile.read(contentsOf: url).floats("a") == [5])
}

// MARK: - Fixture written by the Python safetensors package

@Test func readsFixtureWrittenByPythonSafetensors() throws {
    let url = try #require(Bundle.module.url(forResource: "python_written", withExtension: "safetensors",
                                             subdirectory: "Fixtures"))
    let file = try SafetensorsFile.read(contentsOf: url)
    #expect(file.metadata == ["format": "pt"])
    #expect(file.entries.map(\.name) == ["bn.num_batches_tracked", "x.f64", "layers.0.bias", "layers.0.weight"])
    #expect(file.entry(named: "layers.0.weight")?.dtype == .F32)
    #expect(file.entry(named: "layers.0.weight")?.shape == [2, 3])
    #expect(try file.floats("layers.0.weight") == [0, 0.5, 1, 1.5, 2, 2.5])
    #expect(try file.floats("layers.0.bias") == [-1.25, 3])
    #expect(file.entry(named: "bn.num_batches_tracked")?.dtype == .I64)
    #expect(file.entry(named: "bn.num_batches_tracked")?.shape == [])
    #expect(try file.floats("bn.num_batches_tracked") == [7])
    #expect(file.entry(named: "x.f64")?.dtype == .F64)
    #expect(try file.floats("x.f64") == [Float(0.1), -2.5, Float(1e10)])
    // The writer reproduces the reference writer's bytes exactly.
    #expect(try file.encoded() == Array(Data(contentsOf: url)))
}

// MARK: - Malformed input

/// A malformed file and the phrase its error must contain.
struct Malformed: Sendable, CustomTestStringConvertible {
    let label: String
    let bytes: [UInt8]
    let phrase: String
    var testDescription: String { label }
}

private let malformedFiles: [Malformed] = [
    .init(label: "shorter than 8 bytes", bytes: [1, 2, 3],
          phrase: "file is 3 bytes, shorter than the 8-byte header length"),
    .init(label: "huge header length", bytes: littleEndian([UInt64(9_999_999_999)]) + Array("{}".utf8),
          phrase: "header length 9999999999 exceeds 100000000 bytes"),
    .init(label: "maximal header length", bytes: littleEndian([UInt64.max]), phrase: "exceeds 100000000 bytes"),
    .init(label: "truncated header", bytes: littleEndian([UInt64(100)]) + Array("{}".utf8), phrase: "truncated"),
    .init(label: "header not UTF-8", bytes: littleEndian([UInt64(3)]) + [0x7B, 0xFF, 0x7D],
          phrase: "header is not valid UTF-8"),
    .init(label: "header not an object", bytes: file(header: "[]"), phrase: "header does not start with '{'"),
    .init(label: "leading space", bytes: file(header: " {}"), phrase: "header does not start with '{'"),
    .init(label: "unterminated JSON", bytes: file(header: #"{"a":"#), phrase: "header is not valid JSON"),
    .init(label: "text after JSON", bytes: file(header: "{}x"), phrase: "unexpected text after the JSON value"),
    .init(label: "invalid escape", bytes: file(header: #"{"\q":1}"#), phrase: "invalid escape"),
    .init(label: "unpaired surrogate", bytes: file(header: #"{"\ud800":1}"#), phrase: "unpaired surrogate"),
    .init(label: "deep nesting", bytes: file(header: #"{"a":"# + String(repeating: "[", count: 10_000)),
          phrase: "nesting deeper than 64"),
    .init(label: "unknown dtype",
          bytes: file(header: tensorA(#""dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]"#), data: zeros(2)),
          phrase: "tensor 'a': unknown dtype 'F8_E4M3'"),
    .init(label: "negative dimension", bytes: file(header: tensorA(#""dtype":"F32","shape":[-1],"data_offsets":[0,0]"#)),
          phrase: "tensor 'a': shape must be a list of non-negative integers"),
    .init(label: "fractional dimension", bytes: file(header: tensorA(#""dtype":"F32","shape":[1.5],"data_offsets":[0,0]"#)),
          phrase: "shape must be a list of non-negative integers"),
    .init(label: "shape not a list", bytes: file(header: tensorA(#""dtype":"F32","shape":2,"data_offsets":[0,8]"#)),
          phrase: "shape must be a list of non-negative integers"),
    .init(label: "rank 9",
          bytes: file(header: tensorA(#""dtype":"U8","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,1]"#), data: zeros(1)),
          phrase: "tensor 'a': rank 9 exceeds 8"),
    .init(label: "reversed offsets", bytes: file(header: tensorA(#""dtype":"F32","shape":[2],"data_offsets":[8,0]"#)),
          phrase: "tensor 'a': data_offsets must be [begin, end] with begin <= end"),
    .init(label: "three offsets", bytes: file(header: tensorA(#""dtype":"F32","shape":[2],"data_offsets":[0,8,8]"#)),
          phrase: "data_offsets must be [begin, end]"),
    .init(label: "element count overflow",
          bytes: file(header: tensorA(#""dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]"#)),
          phrase: "tensor 'a': size of shape [4294967296, 4294967296] of F32 overflows"),
    .init(label: "byte count overflow",
          bytes: file(header: tensorA(#""dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]"#)),
          phrase: "overflows"),
    .init(label: "size mismatch",
          bytes: file(header: tensorA(#""dtype":"F32","shape":[3],"data_offsets":[0,8]"#), data: zeros(8)),
          phrase: "tensor 'a': shape [3] of F32 needs 12 bytes, data_offsets span 8"),
    .init(label: "missing field", bytes: file(header: tensorA(#""dtype":"F32","shape":[2]"#)),
          phrase: "tensor 'a': entry needs dtype, shape and data_offsets"),
    .init(label: "unexpected field", bytes: file(header: tensorA(validA + #","offsets":[0,8]"#), data: zeros(8)),
          phrase: "tensor 'a': unexpected key 'offsets'"),
    .init(label: "entry not an object", bytes: file(header: #"{"a":[1]}"#),
          phrase: "tensor 'a': entry is not a JSON object"),
    .init(label: "hole between tensors",
          bytes: file(header: #"{"a":{"# + validA + #"},"b":{"dtype":"U8","shape":[2],"data_offsets":[10,12]}}"#,
                      data: zeros(12)),
          phrase: "tensor 'b' starts at byte 10, expected 8: data not contiguous"),
    .init(label: "overlapping tensors",
          bytes: file(header: #"{"a":{"# + validA + #"},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}"#,
                      data: zeros(8)),
          phrase: "data not contiguous"),
    .init(label: "buffer not starting at 0",
          bytes: file(header: tensorA(#""dtype":"F32","shape":[2],"data_offsets":[4,12]"#), data: zeros(12)),
          phrase: "tensor 'a' starts at byte 4, expected 0"),
    .init(label: "trailing bytes", bytes: file(header: tensorA(validA), data: zeros(12)),
          phrase: "tensors cover 8 bytes but the buffer holds 12"),
    .init(label: "data truncated", bytes: file(header: tensorA(validA), data: zeros(4)),
          phrase: "tensors cover 8 bytes but the buffer holds 4"),
    .init(label: "duplicate tensor name",
          bytes: file(header: #"{"a":{"# + validA + #"},"a":{"# + validA + "}}", data: zeros(8)),
          phrase: "duplicate key 'a' in header"),
    .init(label: "duplicate field", bytes: file(header: tensorA(validA + #","dtype":"F32""#), data: zeros(8)),
          phrase: "duplicate key 'dtype' in header"),
    .init(label: "metadata value not a string", bytes: file(header: #"{"__metadata__":{"k":1}}"#),
          phrase: "__metadata__ must map strings to strings"),
    .init(label: "metadata not an object", bytes: file(header: #"{"__metadata__":"x"}"#),
          phrase: "__metadata__ must map strings to strings"),
]

@Test(arguments: malformedFiles)
func malformedFileIsRejectedWithOneLineError(_ malformed: Malformed) {
    let error = #expect(throws: SafetensorsError.self) {
        try SafetensorsFile.decode(malformed.bytes, source: "bad.safetensors")
    }
    guard let description = error?.description else { return }
    #expect(description.hasPrefix("bad.safetensors: "))
    #expect(description.contains(malformed.phrase), "\(description)")
    #expect(!description.contains("\n"))
}

@Test func readErrorsNameTheFile() throws {
    let url = try temporaryDirectory().appendingPathComponent("model.safetensors")
    try Data(littleEndian([UInt64(9_999_999_999)])).write(to: url)
    let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile.read(contentsOf: url) }
    #expect(error?.description == "\(url.path): header length 9999999999 exceeds 100000000 bytes")
    let missing = url.deletingLastPathComponent().appendingPathComponent("missing.safetensors")
    let readError = #expect(throws: SafetensorsError.self) { try SafetensorsFile.read(contentsOf: missing) }
    #expect(readError?.description.hasPrefix("\(missing.path): cannot read") == true)
}

@Test func mutatedFilesNeverCrash() throws {
    let valid = try SafetensorsFile(stateDict: smallNetwork(seed: 3).stateDict(), metadata: ["format": "pt"]).encoded()
    for length in 0..<valid.count {
        #expect(throws: SafetensorsError.self) { try SafetensorsFile.decode(Array(valid[..<length]), source: "cut") }
    }
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<2000 {
        var bytes = valid
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
        }
        do {
            _ = try SafetensorsFile.decode(bytes, source: "mutant").stateEntries()
        } catch is SafetensorsError {
        }
    }
}

// MARK: - Writer and loader checks

@Test func writerRejectsInconsistentEntries() {
    let cases: [(SafetensorsFile.Entry, String)] = [
        (.init(name: "a", dtype: .F32, shape: [3], bytes: zeros(4)), "tensor 'a': shape [3] of F32 needs 12 bytes, has 4"),
        (.init(name: "a", dtype: .F32, shape: [-1], bytes: []), "tensor 'a': invalid shape [-1]"),
        (.init(name: "a", dtype: .U8, shape: Array(repeating: 1, count: 9), bytes: [0]), "tensor 'a': rank 9 exceeds 8"),
        (.init(name: "__metadata__", dtype: .U8, shape: [], bytes: [0]), "'__metadata__' is not a tensor name"),
    ]
    for (entry, phrase) in cases {
        let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile(entries: [entry]).encoded() }
        #expect(error?.description.contains(phrase) == true, "\(String(describing: error))")
    }
    let twice = SafetensorsFile.Entry(name: "a", dtype: .U8, shape: [], bytes: [0])
    let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile(entries: [twice, twice]).encoded() }
    #expect(error?.description.contains("duplicate tensor name 'a'") == true)
    let nan = StateEntry(name: "n", tensor: Tensor(shape: [], values: [.nan]), storedType: .int64)
    #expect(throws: SafetensorsError.self) { try SafetensorsFile(stateDict: [nan]) }
}

@Test func loadingMismatchedStateNamesTheFileAndChangesNothing() throws {
    let directory = try temporaryDirectory()
    let url = directory.appendingPathComponent("partial.safetensors")
    var entries = smallNetwork(seed: 1).stateDict()
    entries.removeAll { $0.name == "layers.3.bias" }
    try SafetensorsFile(stateDict: entries).write(to: url)

    let target = smallNetwork(seed: 2)
    let before = target.parameterVector()
    let error = #expect(throws: SafetensorsError.self) { try target.loadSafetensors(from: url) }
    #expect(error?.description == "\(url.path): missing key 'layers.3.bias'")
    #expect(target.parameterVector() == before)
    try target.loadSafetensors(from: url, strict: false)
    #expect(target.parameterVector() != before)
}

// MARK: - Interoperability with Python (numpy, and the safetensors package when installed)

/// The Python interpreter: `$PYTHON` if set, else `python3` on `PATH`.
private func pythonExecutable() -> URL? {
    let environment = ProcessInfo.processInfo.environment
    if let python = environment["PYTHON"], !python.isEmpty { return URL(fileURLWithPath: python) }
    for directory in (environment["PATH"] ?? "").split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("python3")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
}

/// Reads a safetensors file with numpy alone, prints one tab-separated line per tensor
/// (name, dtype, shape, values as `float.hex` or integers), then the metadata as JSON, then
/// whether `safetensors.numpy.load_file` agrees.
private let pythonReader = #"""
import json, struct, sys
try:
    import numpy as np
except ImportError as error:
    print(f"numpy is missing: {error}", file=sys.stderr)
    sys.exit(3)
path = sys.argv[1]
blob = open(path, "rb").read()
(n,) = struct.unpack("<Q", blob[:8])
header = json.loads(blob[8:8 + n])
data = blob[8 + n:]
types = {"BOOL": "?", "U8": "u1", "I8": "i1", "I16": "<i2", "U16": "<u2", "I32": "<i4", "U32": "<u4",
         "I64": "<i8", "U64": "<u8", "F16": "<f2", "F32": "<f4", "F64": "<f8"}
metadata = header.pop("__metadata__", {})
arrays = {}
for name, info in sorted(header.items()):
    begin, end = info["data_offsets"]
    array = np.frombuffer(data[begin:end], dtype=types[info["dtype"]]).reshape(info["shape"])
    arrays[name] = array
    values = [float(x).hex() if array.dtype.kind == "f" else str(int(x)) for x in array.flat]
    shape = "[" + ",".join(map(str, array.shape)) + "]"
    print("\t".join([name, info["dtype"], shape, " ".join(values)]))
print("metadata\t" + json.dumps(metadata, sort_keys=True))
try:
    from safetensors.numpy import load_file
except ImportError:
    print("safetensors\tabsent")
else:
    loaded = load_file(path)
    same = loaded.keys() == arrays.keys() and all(
        loaded[k].dtype == arrays[k].dtype and loaded[k].shape == arrays[k].shape
        and loaded[k].tobytes() == arrays[k].tobytes() for k in arrays)
    print("safetensors\t" + ("match" if same else "MISMATCH"))
"""#

@Test func pythonReadsWhatSwiftWrites() throws {
    let state = smallNetwork(seed: 5).stateDict()
    var file = try SafetensorsFile(stateDict: state, metadata: ["format": "pt", "note": "tab\t \"quoted\" é"])
    let extraFloats: [Float] = [0.1, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, -3.5]
    let extraIntegers: [Int64] = [.min, -1, .max]
    file.entries += [
        .init(name: "extra.f32", dtype: .F32, shape: [2, 3], bytes: float32Bytes(extraFloats)),
        .init(name: "extra.i64", dtype: .I64, shape: [3], bytes: littleEndian(extraIntegers)),
        .init(name: "extra.empty", dtype: .F32, shape: [0, 4], bytes: []),
    ]
    // Expected per tensor: dtype, shape and values (floats as Double bit patterns, integers as text).
    var expected: [String: (dtype: String, shape: String, values: [String])] = [:]
    func floatTokens(_ values: [Float]) -> [String] { values.map { String(Double($0).bitPattern) } }
    for s in state {
        let integer = s.storedType == .int64
        let shape = "[" + s.tensor.shape.dimensions.map(String.init).joined(separator: ",") + "]"
        expected[s.name] = (integer ? "I64" : "F32", shape,
                            integer ? s.tensor.values.map { String(Int64($0)) } : floatTokens(s.tensor.values))
    }
    expected["extra.f32"] = ("F32", "[2,3]", floatTokens(extraFloats))
    expected["extra.i64"] = ("I64", "[3]", extraIntegers.map(String.init))
    expected["extra.empty"] = ("F32", "[0,4]", [])

    let url = try temporaryDirectory().appendingPathComponent("swift_written.safetensors")
    try file.write(to: url)

    guard let python = pythonExecutable() else {
        Issue.record("python3 not found on PATH (or $PYTHON): install python3 with numpy to run this test")
        return
    }
    let r = try Subprocess.run(python.path, ["-c", pythonReader, url.path], timeout: 300)
    guard r.status == 0, !r.timedOut else {
        Issue.record("\(python.path) failed (\(r.timedOut ? "killed after 300 s" : "\(r.termination)")); it needs numpy: \(r.tail())")
        return
    }
    let stdout = r.standardOutput

    var seen = Set<String>()
    for line in stdout.split(separator: "\n") {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        switch fields.first {
        case "metadata":
            let decoded = try JSONSerialization.jsonObject(with: Data(fields[1].utf8)) as? [String: String]
            #expect(decoded == file.metadata)
        case "safetensors":
            #expect(fields[1] != "MISMATCH", "safetensors.numpy.load_file disagrees with numpy")
        default:
            try #require(fields.count == 4, "unexpected line: \(line)")
            let name = fields[0]
            let want = try #require(expected[name], "unexpected tensor \(name)")
            seen.insert(name)
            #expect(fields[1] == want.dtype && fields[2] == want.shape, "\(name)")
            let tokens = fields[3].split(separator: " ").map(String.init)
            let got = want.dtype == "F32" ? tokens.map { Double($0).map { String($0.bitPattern) } ?? $0 } : tokens
            #expect(got == want.values, "\(name)")
        }
    }
    #expect(seen == Set(expected.keys))
}
