import Foundation
import Testing
@testable import Datasets

/// IDX parsing of good and malformed files, gzip included.
@Suite struct IDXTests {
    let header: [UInt8] = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3]

    func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let path = NSTemporaryDirectory() + "plasticity-idx-\(UUID().uuidString)-\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func gzip(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-kf", path]
        try p.run()
        p.waitUntilExit()
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
