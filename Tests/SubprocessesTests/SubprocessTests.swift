#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Subprocesses

/// The posix_spawn helper: exit statuses, captured output, deadlines, and a child that
/// inherits neither the parent's signal state nor its descriptors.
@Suite struct SubprocessTests {
    @Test func capturesBothStreamsAndTheExitStatus() throws {
        let r = try Subprocess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], timeout: 60)
        #expect(r.termination == .exited(3) && r.status == 3 && !r.timedOut)
        #expect(r.standardOutput == "out\n" && r.standardError == "err\n")
    }

    @Test func looksUpABareNameOnPATHAndPassesTheEnvironment() throws {
        let r = try Subprocess.run("env", [], environment: ["ONLY": "this"], timeout: 60)
        #expect(r.status == 0 && r.standardOutput == "ONLY=this\n")
    }

    @Test func aMissingExecutableIsAnErrorNamingIt() {
        #expect(throws: SubprocessError("cannot start /nonexistent/tool: No such file or directory")) {
            try Subprocess("/nonexistent/tool")
        }
    }

    @Test func megabytesOnBothPipesDoNotDeadlock() throws {
        let r = try Subprocess.run("/bin/sh", ["-c", "head -c 1000000 /dev/zero; head -c 1500000 /dev/zero >&2"], timeout: 60)
        #expect(r.status == 0 && r.standardOutput.utf8.count == 1_000_000 && r.standardError.utf8.count == 1_500_000)
    }

    @Test func aChildPastItsDeadlineIsKilledAndSaysSo() throws {
        let started = Date()
        let r = try Subprocess.run("/bin/sh", ["-c", "echo started; exec sleep 30"], timeout: 1)
        #expect(r.timedOut && r.termination == .signalled(SIGKILL) && r.status == 128 + SIGKILL)
        #expect(r.standardOutput == "started\n", "the output before the deadline is kept: \(r.tail())")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func signalsReachTheChildAndItsEndIsReported() throws {
        let child = try Subprocess("/bin/sleep", ["30"])
        #expect(child.isRunning && child.termination() == nil)
        child.send(SIGTERM)
        #expect(child.wait() == .signalled(SIGTERM))
        #expect(!child.isRunning && child.termination() == .signalled(SIGTERM))
    }

    @Test func standardInputIsEmptyAndAFileDestinationAppends() throws {
        let path = NSTemporaryDirectory() + "plasticity-subprocess-\(UUID().uuidString).log"
        try "before\n".write(toFile: path, atomically: true, encoding: .utf8)
        let child = try Subprocess("/bin/cat", [], standardOutput: .file(path), standardError: .file(path))
        #expect(child.finish(deadline: Date().addingTimeInterval(60)).status == 0)
        _ = try Subprocess("/bin/sh", ["-c", "echo after; echo problem >&2"], standardOutput: .file(path), standardError: .file(path))
            .finish(deadline: Date().addingTimeInterval(60))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "before\nafter\nproblem\n")
    }

    /// A parent that ignores and blocks a signal (as one with dispatch signal sources does)
    /// starts its child with neither (`SigBlk`, `SigIgn` of `/proc/self/status`).
    @Test func theChildStartsWithAnEmptySignalMaskAndDefaultDispositions() throws {
        let previous = signal(SIGUSR2, SIG_IGN)
        var blocked = sigset_t(), old = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR2)
        pthread_sigmask(SIG_BLOCK, &blocked, &old)
        defer {
            pthread_sigmask(SIG_SETMASK, &old, nil)
            signal(SIGUSR2, previous)
        }
        let r = try Subprocess.run("/bin/cat", ["/proc/self/status"], timeout: 60)
        let fields = Dictionary(uniqueKeysWithValues: r.standardOutput.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces)) : nil
        })
        #expect(fields["SigBlk"] == "0000000000000000", "\(r.standardOutput)")
        // The standard signals 1-31 (glibc keeps its own real-time signals above them).
        let ignored = try #require(UInt64(fields["SigIgn"] ?? "", radix: 16), "\(r.standardOutput)")
        #expect(ignored & 0x7fff_ffff == 0, "\(r.standardOutput)")
    }

    @Test func theChildInheritsNoDescriptorAboveStandardError() throws {
        let fd = open("/dev/null", O_RDONLY)  // not close-on-exec
        try #require(fd > 2)
        defer { close(fd) }
        let r = try Subprocess.run("/bin/sh", ["-c", "test -e /proc/$$/fd/\(fd) && echo inherited || echo closed"], timeout: 60)
        #expect(r.standardOutput == "closed\n")
    }
}
