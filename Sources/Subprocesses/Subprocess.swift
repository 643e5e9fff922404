#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A child process started with `posix_spawn`: the one way PlasticityLab starts another
/// program (a study's or sweep's runs, `sbatch`, a Python reference, and the tests' children).
///
/// Foundation's `Process` can block forever in `run()` when the parent already has threads,
/// dispatch signal sources and timers (issue 41). `posix_spawn` involves no run loop and no
/// helper thread: the child starts with an empty signal mask and every signal at its default
/// disposition (so a parent's ignored SIGINT/SIGTERM/SIGPIPE does not leak into it), standard
/// input from `/dev/null`, and no inherited descriptor above standard error. The parent polls
/// `waitpid`, so waiting can always be given a deadline.
public final class Subprocess: Sendable {
    /// Where the child's standard output or standard error goes.
    public enum Destination: Sendable {
        /// The parent's own stream.
        case inherit
        /// `/dev/null`.
        case discard
        /// Appended to this file, created if missing.
        case file(String)
        /// A pipe the parent reads with `finish(deadline:)`.
        case capture
    }

    /// How a child ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// `exit(code)`.
        case exited(Int32)
        /// Killed by this signal.
        case signalled(Int32)

        /// The exit code, or 128 + the signal number as a shell reports it.
        public var status: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            }
        }

        public var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signalled(let signal): "signal \(signal)"
            }
        }
    }

    /// A finished child: how it ended, its captured output, and whether it was killed because
    /// it ran past its deadline.
    public struct Completed: Sendable {
        /// How the child ended.
        public let termination: Termination
        /// Captured standard output (empty unless captured).
        public let standardOutput: String
        /// Captured standard error (empty unless captured).
        public let standardError: String
        /// True when the child was still running at its deadline and was killed.
        public let timedOut: Bool

        /// The exit code, or 128 + the signal number.
        public var status: Int32 { termination.status }

        /// The last `characters` characters of standard output and standard error, for a
        /// failure message.
        public func tail(_ characters: Int = 2_000) -> String {
            "stdout: …\(standardOutput.suffix(characters))\nstderr: …\(standardError.suffix(characters))"
        }
    }

    /// The child's process id.
    public let processIdentifier: pid_t
    /// The command line, for messages.
    public let commandLine: String
    private let capturedOutput: Int32?
    private let capturedError: Int32?
    private let ended = Mutex<Termination?>(nil)

    /// Starts `executable` with `arguments`. An executable without a `/` is looked up on the
    /// parent's `PATH`. `environment` nil passes the parent's environment on.
    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
                standardOutput: Destination = .inherit, standardError: Destination = .inherit) throws {
        commandLine = ([executable] + arguments).joined(separator: " ")
        var actions = FileActions()
        defer { actions.destroy() }
        try actions.open(0, "/dev/null", O_RDONLY)
        let outputPipe = try actions.route(1, to: standardOutput)
        let errorPipe: (read: Int32, write: Int32)?
        do { errorPipe = try actions.route(2, to: standardError) } catch {
            if let outputPipe { close(outputPipe.read); close(outputPipe.write) }
            throw error
        }
        actions.closeDescriptorsAboveStandardError()
        var attributes = SpawnAttributes()
        defer { attributes.destroy() }

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result: Int32 = (argv + [nil]).withUnsafeBufferPointer { arguments in
            let spawn = { (environmentPointer: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32 in
                executable.contains("/")
                    ? posix_spawn(&pid, executable, &actions.value, &attributes.value, arguments.baseAddress!, environmentPointer)
                    : posix_spawnp(&pid, executable, &actions.value, &attributes.value, arguments.baseAddress!, environmentPointer)
            }
            if let envp { return (envp + [nil]).withUnsafeBufferPointer { spawn($0.baseAddress!) } }
            return spawn(UnsafePointer(environ))
        }
        for pipe in [outputPipe, errorPipe].compactMap({ $0 }) { close(pipe.write) }
        guard result == 0 else {
            for pipe in [outputPipe, errorPipe].compactMap({ $0 }) { close(pipe.read) }
            throw SubprocessError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        processIdentifier = pid
        capturedOutput = outputPipe?.read
        capturedError = errorPipe?.read
    }

    deinit {
        for fd in [capturedOutput, capturedError].compactMap({ $0 }) { close(fd) }
    }

    /// How the child ended, or nil while it runs (never blocks).
    public func termination() -> Termination? {
        ended.withLock { ended in
            if ended == nil { ended = Self.reap(processIdentifier, blocking: false) }
            return ended
        }
    }

    /// Whether the child is still running.
    public var isRunning: Bool { termination() == nil }

    /// Sends `signal` to the child (nothing once it has been reaped).
    public func send(_ signal: Int32) {
        ended.withLock { ended in
            if ended == nil { _ = kill(processIdentifier, signal) }
        }
    }

    /// Waits for the child to end (no deadline: for children whose end is certain, such as
    /// one just sent SIGKILL).
    @discardableResult
    public func wait() -> Termination {
        ended.withLock { ended in
            if ended == nil { ended = Self.reap(processIdentifier, blocking: true) }
            return ended!
        }
    }

    /// Reads the captured output to its end and waits for the child, for at most `deadline`
    /// (nil: no limit). A child still running at the deadline is killed with SIGKILL and the
    /// result says `timedOut`.
    public func finish(deadline: Date? = nil) -> Completed {
        var buffers: [Int32: [UInt8]] = [:]
        var open = [capturedOutput, capturedError].compactMap { $0 }
        var timedOut = false
        while true {
            let remaining = deadline.map { $0.timeIntervalSinceNow } ?? 3_600
            if remaining <= 0 {
                timedOut = isRunning
                break
            }
            let wait = Int32(max(1, min(100, remaining * 1_000)))
            if open.isEmpty {
                if !isRunning { break }
                usleep(UInt32(min(wait, 10)) * 1_000)
                continue
            }
            var polled = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&polled, nfds_t(polled.count), wait) >= 0 || errno == EINTR else { break }
            for entry in polled where entry.revents != 0 {
                if Self.drain(entry.fd, into: &buffers[entry.fd, default: []]) { open.removeAll { $0 == entry.fd } }
            }
        }
        if timedOut { send(SIGKILL) }
        let termination = wait()
        for fd in open {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = Self.drain(fd, into: &buffers[fd, default: []])
        }
        func text(_ fd: Int32?) -> String { fd.map { String(decoding: buffers[$0] ?? [], as: UTF8.self) } ?? "" }
        return Completed(termination: termination, standardOutput: text(capturedOutput), standardError: text(capturedError),
                         timedOut: timedOut)
    }

    /// Runs `executable` to its end with both outputs captured, killing it at `timeout`
    /// seconds (nil: no limit).
    public static func run(_ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
                           timeout: Double? = nil) throws -> Completed {
        let child = try Subprocess(executable, arguments, environment: environment, standardOutput: .capture, standardError: .capture)
        return child.finish(deadline: timeout.map { Date().addingTimeInterval($0) })
    }

    /// Reads what `fd` has into `buffer`; true at end of file (or on an error other than
    /// "try again").
    private static func drain(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                if n < chunk.count { return false }
            } else if n == 0 {
                return true
            } else {
                return errno != EINTR && errno != EAGAIN
            }
        }
    }

    /// `waitpid` for `pid`; nil when not blocking and the child still runs.
    private static func reap(_ pid: pid_t, blocking: Bool) -> Termination? {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if r == pid { break }
            if r == 0 { return nil }
            if errno == EINTR { continue }
            return .exited(-1)  // not our child any more (already reaped elsewhere)
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}

/// A child process could not be started; the message names the executable and the reason.
public struct SubprocessError: Error, CustomStringConvertible, Equatable {
    /// The message.
    public let description: String

    /// An error with `description`.
    public init(_ description: String) { self.description = description }
}
