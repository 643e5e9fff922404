import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `DIR/lock`, held for as long as this object lives, so that two
/// processes never train into the same run directory (or run one sweep directory). The
/// kernel releases it when the process ends however it ends (SIGKILL included), so a stale
/// lock file is harmless. The file holds the owner's pid, which the error for a second
/// process names.
public final class RunLock {
    private let fd: Int32

    /// Takes the lock or throws a one-line `ConfigError` naming the directory and the owner.
    /// A run started by a study (`StudyRunner.parentVariable` set) waits up to `studyWait`
    /// seconds for it: after a killed study, its old runs may still be writing their final
    /// checkpoint when the rerun starts them again.
    public init(_ directory: RunDirectory, studyWait: Double = 60) throws {
        let path = directory.lockURL.path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ConfigError(file: path, "cannot open the run lock: \(String(cString: strerror(errno)))")
        }
        let inStudy = ProcessInfo.processInfo.environment[StudyRunner.parentVariable] != nil
        let deadline = Date().addingTimeInterval(inStudy ? studyWait : 0)
        var locked = flock(fd, LOCK_EX | LOCK_NB) == 0
        while !locked && errno == EWOULDBLOCK && Date() < deadline {
            usleep(100_000)
            locked = flock(fd, LOCK_EX | LOCK_NB) == 0
        }
        guard locked else {
            let reason = errno == EWOULDBLOCK ? nil : String(cString: strerror(errno))
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            let owner = String(decoding: buffer.prefix(Swift.max(n, 0)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw ConfigError(file: directory.url.path, reason.map { "cannot lock the run directory: \($0)" }
                ?? "is in use by another plasticity process (pid \(owner.isEmpty ? "unknown" : owner)); wait for it to finish or choose another --out")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
    }

    deinit { close(fd) }
}
