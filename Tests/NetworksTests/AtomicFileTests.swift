import Foundation
import Testing
@testable import Networks

/// `AtomicFile`: whole replacement, no leftovers, recognisable temporaries, one-line errors.
@Suite struct AtomicFileTests {
    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func replacesTheWholeFileAndLeavesNothingElse() throws {
        let dir = try scratch()
        let url = dir.appendingPathComponent("a.bin")
        try AtomicFile.write([UInt8](repeating: 7, count: 100_000), to: url)
        try AtomicFile.write([1, 2, 3], to: url)
        #expect(try [UInt8](Data(contentsOf: url)) == [1, 2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.bin"])
        try AtomicFile.write("text\n", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "text\n")
    }

    @Test func temporaryNamesAreRecognised() {
        #expect(AtomicFile.isTemporary(".step-00000100.safetensors.tmp-4242"))
        #expect(!AtomicFile.isTemporary("step-00000100.safetensors"))
        #expect(!AtomicFile.isTemporary("model.tmp-1"))
    }

    @Test func failureNamesTheFileAndLeavesTheOldContents() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-dir/x.bin")
        let error = #expect(throws: AtomicFileError.self) { try AtomicFile.write([1], to: missing) }
        #expect(error?.description == "/nonexistent-dir/x.bin: cannot create /nonexistent-dir/.x.bin.tmp-\(getpid()): No such file or directory")
        // Renaming over a directory fails; the directory and no temporary remain.
        let dir = try scratch()
        let target = dir.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: target.appendingPathComponent("child"), withIntermediateDirectories: true)
        #expect(throws: AtomicFileError.self) { try AtomicFile.write([1], to: target) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["occupied"])
        let file = SafetensorsFile(entries: [.init(name: "a", dtype: .U8, shape: [], bytes: [0])])
        let wrapped = #expect(throws: SafetensorsError.self) { try file.write(to: missing) }
        #expect(wrapped?.description.hasPrefix("/nonexistent-dir/x.bin: cannot write: cannot create ") == true)
    }
}
