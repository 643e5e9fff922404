import Foundation

/// Runs Python snippets for cross-checks against numpy and scipy.
enum Python {
    /// A failed Python run; its description says what to install.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `python3 -c script arguments…` and returns its standard output. Fails with a clear
    /// message when python3, numpy or scipy is missing.
    static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            throw Failure(description: "cannot start python3 (\(error)); these tests need python3 with numpy and scipy")
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 exited with status \(process.terminationStatus); these tests need python3 "
                + "with numpy and scipy installed. stderr: \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whitespace-separated numbers printed by a script, parsed as Float.
    static func floats(_ script: String, _ arguments: [String] = []) throws -> [Float] {
        try run(script, arguments).split(whereSeparator: \.isWhitespace).map { Float(String($0))! }
    }
}

/// A fresh empty directory under the system's temporary folder.
func temporaryDirectory(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "plasticity-\(name)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
