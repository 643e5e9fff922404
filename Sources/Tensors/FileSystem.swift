import Foundation

/// File-system steps whose errors are one line naming the path and the system's reason
/// ("No space left on device"), never a Foundation error domain and code.
public enum FileSystem {
    /// Creates `url` and its parents; an existing file in the way is "is a file, not a directory".
    public static func createDirectory(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw FileSystemError(url.path, "is a file, not a directory") }
            return
        }
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw FileSystemError(url.path, "cannot create the directory: \(reason(error))")
        }
    }

    /// The POSIX reason inside a Foundation error (strerror of its underlying errno), else its
    /// localized description.
    public static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        switch (ns.domain, ns.code) {
        case (NSCocoaErrorDomain, NSFileWriteOutOfSpaceError): return String(cString: strerror(ENOSPC))
        case (NSCocoaErrorDomain, NSFileReadNoSuchFileError), (NSCocoaErrorDomain, NSFileNoSuchFileError): return String(cString: strerror(ENOENT))
        case (NSCocoaErrorDomain, NSFileWriteNoPermissionError), (NSCocoaErrorDomain, NSFileReadNoPermissionError): return String(cString: strerror(EACCES))
        default: return ns.localizedDescription
        }
    }

    /// Writes `data` to `url` atomically (a temporary file in the same directory, then a
    /// rename), so a failed write leaves the previous file whole; an error names the path and
    /// the system's reason ("PATH: cannot write: No space left on device").
    public static func write(_ data: Data, to url: URL) throws {
        try attempt("write", url.path) { try data.write(to: url, options: .atomic) }
    }

    /// Writes `text` as UTF-8 to `url` atomically, as `write(_:to:)` does.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Runs `body`, turning any Foundation error into "PATH: cannot WHAT: reason".
    public static func attempt<T>(_ what: String, _ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as FileSystemError { throw e } catch {
            throw FileSystemError(path, "cannot \(what): \(reason(error))")
        }
    }
}

/// A file-system step that failed; `description` is one line naming the path.
public struct FileSystemError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String

    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
