import Foundation
import Testing
import Tensors

/// File-system steps fail in one line naming the path and the system's reason, never with a
/// Foundation error domain and code; writes replace a file whole.
@Suite struct FileSystemTests {
    let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("filesystem-\(UUID().uuidString)")

    @Test func writesReplaceTheFileWhole() throws {
        try FileSystem.createDirectory(root)
        let file = root.appendingPathComponent("lmc.json")
        try FileSystem.write("{\"first\": 1}", to: file)
        try FileSystem.write(Data("{}".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "{}")
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["lmc.json"])
    }

    @Test func failedWritesNameThePathAndTheReason() throws {
        try FileSystem.createDirectory(root)
        let missing = root.appendingPathComponent("no-such-directory/report.md")
        #expect(throws: FileSystemError(missing.path, "cannot write: No such file or directory")) {
            try FileSystem.write("x", to: missing)
        }
        let file = root.appendingPathComponent("a-file")
        try FileSystem.write("x", to: file)
        let underFile = file.appendingPathComponent("report.md")
        // Foundation reports a parent that is a file as a missing directory.
        #expect(throws: FileSystemError(underFile.path, "cannot write: No such file or directory")) {
            try FileSystem.write("x", to: underFile)
        }
        #expect(throws: FileSystemError(file.path, "is a file, not a directory")) {
            try FileSystem.createDirectory(file)
        }
    }
}
