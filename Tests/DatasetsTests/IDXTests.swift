import Foundation
import Subprocesses
import Testing
@testable import Datasets
import Tensors

/// IDX parsing of good and malformed files, gzip included.
@Suite struct IDXTests {
    let header: [UInt8] = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3]

    func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let path = NSTemporaryDirectory() + "plasticity-idx-\(UUID().uuidString)-\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func gzip(_ path: String) throws -> String {
        let r = try Subprocess.run("/bin/gzip", ["-kf", path], timeout: 60)
        try #require(r.status == 0, "gzip failed: \(r.tail())")
        return path + ".gz"
    }

    @Test func parsesRawAndGzip() throws {
        let raw = try temporaryFile(header + [1, 2, 3, 4, 5, 6], name: "ok")
        let a = try IDXArray.read(raw)
        #expect(a.dimensions == [2, 3] && a.bytes == [1, 2, 3, 4, 5, 6])
        #expect(try IDXArray.read(try gzip(raw)) == a)
    }

    @Test func truncatedDataNamesTheFile() throws {
        let path = try temporaryFile(header + [1, 2, 3], name: "short")
        #expect(throws: DataError(path, "truncated: header promises 6 values [2, 3], file holds 3")) {
            try IDXArray.read(path)
        }
    }

    @Test func truncatedGzipStream() throws {
        let gz = try gzip(try temporaryFile(header + [UInt8](repeating: 7, count: 6), name: "gz"))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: gz)))
        let cut = try temporaryFile(Array(bytes.prefix(bytes.count - 12)), name: "cut.gz")
        #expect(throws: DataError(cut, "truncated gzip stream")) { try IDXArray.read(cut) }
    }

    @Test func badHeaders() {
        #expect(throws: DataError("f", "not an IDX file (bad magic number)")) { try IDXArray.parse([1, 0, 8, 1, 0], path: "f") }
        #expect(throws: DataError("f", "IDX element type 0xd is not unsigned byte (0x08)")) { try IDXArray.parse([0, 0, 0x0d, 1], path: "f") }
        #expect(throws: DataError("f", "truncated IDX header")) { try IDXArray.parse([0, 0, 8, 3, 0, 0], path: "f") }
        #expect(throws: DataError("f", "too short for an IDX header (2 bytes)")) { try IDXArray.parse([0, 0], path: "f") }
        #expect(throws: DataError("f", "2 bytes of trailing data after 1 values")) { try IDXArray.parse([0, 0, 8, 1, 0, 0, 0, 1, 5, 6, 7], path: "f") }
    }

    @Test func hostileHeadersNeverOverflowOrAllocate() throws {
        // Four dimensions of 2^32 − 1: the element count overflows 64 bits.
        let huge: [UInt8] = [0, 0, 8, 4] + [UInt8](repeating: 0xff, count: 16)
        #expect(throws: DataError("f", "truncated: header promises more than 2^64 values [4294967295, 4294967295, 4294967295, 4294967295], file holds 0")) {
            try IDXArray.parse(huge, path: "f")
        }
        // 2^40 elements claimed by a 28-byte file.
        let claimed: [UInt8] = [0, 0, 8, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0] + [UInt8](repeating: 1, count: 12)
        #expect(throws: DataError("f", "truncated: header promises 1099511627776 values [65536, 65536, 256], file holds 12")) {
            try IDXArray.parse(claimed, path: "f")
        }
        // A zero dimension makes an empty array, however large the others.
        #expect(try IDXArray.parse([0, 0, 8, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], path: "f").bytes == [])
        #expect(throws: DataError("f", "IDX rank 0 outside 1…4")) { try IDXArray.parse([0, 0, 8, 0], path: "f") }
        #expect(throws: DataError("f", "IDX rank 255 outside 1…4")) { try IDXArray.parse([0, 0, 8, 255], path: "f") }
    }

    @Test func gzipBombIsCappedAndInMemoryGzipParses() throws {
        let gz = try gzip(try temporaryFile(header + [UInt8](repeating: 0, count: 6) + [UInt8](repeating: 0, count: 100_000), name: "bomb"))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: gz)))
        #expect(bytes.count < 1000)
        #expect(throws: DataError("b.gz", "gzip stream inflates beyond 4096 bytes")) {
            try CompressedFile.inflateIfGzip(bytes, path: "b.gz", maximumSize: 4096)
        }
        #expect(try CompressedFile.inflateIfGzip(bytes, path: "b.gz", maximumSize: 100_018).count == 100_018)
        let ok = try gzip(try temporaryFile(header + [1, 2, 3, 4, 5, 6], name: "mem"))
        let parsed = try IDXArray.parse(file: [UInt8](try Data(contentsOf: URL(fileURLWithPath: ok))), path: "mem.gz")
        #expect(parsed == IDXArray(dimensions: [2, 3], bytes: [1, 2, 3, 4, 5, 6]))
        #expect(throws: DataError("x.gz", "truncated gzip stream")) { try IDXArray.parse(file: [0x1f, 0x8b], path: "x.gz") }
    }

    /// A gzip IDX file is inflated no further than its header promises, and a header whose
    /// values do not fit the memory budget is refused after its first inflated chunk.
    @Test func gzipInflatesOnlyWhatTheHeaderPromisesWithinTheBudget() throws {
        // The header promises 6 values; the stream holds 100 006.
        let long = try gzip(try temporaryFile(header + [UInt8](repeating: 0, count: 100_006), name: "long"))
        #expect(throws: DataError(long, "gzip stream inflates beyond the 18 bytes its header promises")) { try IDXArray.read(long) }
        // 2·3 values as bytes and Float32 are 30 bytes: over a 16-byte budget, under a 64-byte one.
        let ok = try gzip(try temporaryFile(header + [1, 2, 3, 4, 5, 6], name: "budget"))
        let small = MemoryBudget(limitBytes: 16, remedy: "raise it")
        #expect(throws: DataError(ok, "needs 30 bytes (IDX header [2, 3]: 6 values as bytes and Float32), above the memory limit of 16 bytes; raise it")) {
            try IDXArray.read(ok, budget: small)
        }
        #expect(try IDXArray.read(ok, budget: MemoryBudget(limitBytes: 64)).bytes == [1, 2, 3, 4, 5, 6])
        // 4.9 M images of 28×28 claimed by a small file: refused by the default budget.
        let claimed = try gzip(try temporaryFile([0, 0, 8, 3, 0, 0x4a, 0xc4, 0xa0, 0, 0, 0, 28, 0, 0, 0, 28] + [UInt8](repeating: 0, count: 1 << 20), name: "claims"))
        #expect(throws: DataError(claimed, "needs 17.9 GiB (IDX header [4900000, 28, 28]: 3841600000 values as bytes and Float32), above the memory limit of 8 GiB; raise the limit with PLASTICITY_MEMORY_LIMIT_GB=GB")) {
            try IDXArray.read(claimed)
        }
        let directory = NSTemporaryDirectory()
        #expect(throws: DataError(directory, "is a directory, not a file")) { try CompressedFile.read(directory) }
    }

    @Test func imagesWithoutPixelsAreRefused() throws {
        let dir = NSTemporaryDirectory() + "plasticity-idx-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 28]).write(to: URL(fileURLWithPath: dir + "/train-images-idx3-ubyte"))
        try Data([0, 0, 8, 1, 0, 0, 0, 2, 1, 2]).write(to: URL(fileURLWithPath: dir + "/train-labels-idx1-ubyte"))
        #expect(throws: DataError(dir, "train images of shape [2, 0, 28] hold no pixels")) {
            try MNISTStyle.load(directory: dir, split: "train")
        }
    }

    @Test func missingFileAndDirectory() {
        #expect(throws: DataError("/nonexistent/x.idx", "no such file")) { try IDXArray.read("/nonexistent/x.idx") }
        #expect(throws: DataError.self) { try MNISTStyle.load(directory: "/nonexistent-dir", split: "train") }
    }

    @Test func loadsDebianFashionMNIST() throws {
        let test = try MNISTStyle.load(directory: MNISTStyle.debianFashionMNIST, split: "t10k")
        #expect(test.count == 10_000 && test.exampleShape == [1, 28, 28])
        #expect(Set(test.labels) == Set(0..<10))
        #expect(test.inputs.max() == 1 && test.inputs.min() == 0)
        // Fashion-MNIST's test split is balanced: 1000 examples per class.
        #expect((0..<10).allSatisfy { c in test.labels.filter { $0 == c }.count == 1000 })
    }
}
