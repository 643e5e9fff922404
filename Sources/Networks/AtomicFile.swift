import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Durable, atomic file replacement: the bytes go to a hidden temporary file in the same
/// directory (`.NAME.tmp-PID`), which is `fsync`ed, `rename`d over `NAME`, and then the
/// directory itself is `fsync`ed so the rename survives a power cut. A process killed at
/// any point leaves either the old file or the new one under `NAME` — never a partial one —
/// plus at most a stray temporary file, which `isTemporary` recognises.
///
/// ```swift
/// try AtomicFile.write(bytes, to: URL(fileURLWithPath: "run/checkpoints/step-00000100.safetensors"))
/// ```
public enum AtomicFile {
    /// Writes `bytes` to `url` atomically and durably.
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        let directory = url.deletingLastPathComponent().path
        let temporary = (directory as NSString).appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFileError(url.path, "cannot create \(temporary)") }
        var written = 0
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                written += n
            }
            return fsync(fd) == 0
        }
        let error = ok ? nil : errno
        guard close(fd) == 0, ok else {
            unlink(temporary)
            throw AtomicFileError(url.path, "cannot write \(temporary)", errno: error ?? errno)
        }
        guard rename(temporary, url.path) == 0 else {
            let e = errno
            unlink(temporary)
            throw AtomicFileError(url.path, "cannot rename \(temporary) into place", errno: e)
        }
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }

    /// Writes UTF-8 `text` to `url` atomically and durably.
    public static func write(_ text: String, to url: URL) throws {
        try write(Array(text.utf8), to: url)
    }

    /// Whether `name` is a temporary file left by an interrupted `write`.
    public static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".tmp-")
    }
}

/// An atomic write that failed; `description` is one line naming the file and the reason.
public struct AtomicFileError: Error, CustomStringConvertible {
    /// The file that was to be written.
    public let path: String
    /// What failed, with the system's reason.
    public let problem: String

    init(_ path: String, _ problem: String, errno code: Int32 = errno) {
        self.path = path
        self.problem = "\(problem): \(String(cString: strerror(code)))"
    }

    public var description: String { "\(path): \(problem)" }
}
