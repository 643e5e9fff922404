import Foundation
import Subprocesses

/// Runs the built `plasticity` executable (it sits next to the test bundle), always under a
/// deadline: a child that hangs is killed and fails its test with its last output, so a hang
/// costs minutes, never a suite that does not end.
enum CLI {
    static var executable: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("plasticity")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("plasticity")
    }

    /// The longest any test's `plasticity` child may take (the slowest, a study in a debug
    /// build on two busy cores, takes about a minute).
    static let deadline: Double = 420

    /// A child that ran past its deadline; the description holds its command line and last output.
    struct TimedOut: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `plasticity arguments…` with both outputs captured (read them with `finish`).
    static func start(_ arguments: [String], environment: [String: String]? = nil) throws -> Subprocess {
        try Subprocess(executable.path, arguments, environment: environment, standardOutput: .capture, standardError: .capture)
    }

    /// Waits at most `seconds` for `child`; one still running then is killed, and the thrown
    /// `TimedOut` carries its last output.
    static func finish(_ child: Subprocess, within seconds: Double = deadline) throws -> Subprocess.Completed {
        let r = child.finish(deadline: Date().addingTimeInterval(seconds))
        if r.timedOut {
            throw TimedOut(description: "\(child.commandLine) ran past its \(Int(seconds)) s deadline and was killed; \(r.tail())")
        }
        return r
    }

    /// Runs to completion within `seconds`; returns the exit status and both outputs.
    static func run(_ arguments: [String], within seconds: Double = deadline) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try finish(start(arguments), within: seconds)
        return (r.status, r.standardOutput, r.standardError)
    }

    static func temporaryDirectory(_ name: String) -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("plasticity-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) throws { try text.write(to: url, atomically: true, encoding: .utf8) }
}
