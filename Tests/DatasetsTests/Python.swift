import Foundation
import Subprocesses

/// Runs Python snippets for cross-checks against numpy and scipy.
enum Python {
    /// A failed Python run; its description says what to install.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `python3 -c script arguments…` and returns its standard output. Fails with a clear
    /// message when python3, numpy or scipy is missing.
    static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let r: Subprocess.Completed
        do { r = try Subprocess.run("python3", ["-c", script] + arguments, timeout: 300) } catch {
            throw Failure(description: "\(error); these tests need python3 with numpy and scipy")
        }
        guard r.status == 0, !r.timedOut else {
            throw Failure(description: "python3 \(r.timedOut ? "ran past 300 s and was killed" : "ended with \(r.termination)"); "
                + "these tests need python3 with numpy and scipy installed. \(r.tail())")
        }
        return r.standardOutput
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
