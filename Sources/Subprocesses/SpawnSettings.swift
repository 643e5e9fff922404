#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSpawn

#if os(Linux)
typealias FileActionsValue = posix_spawn_file_actions_t
typealias AttributesValue = posix_spawnattr_t
#else
typealias FileActionsValue = posix_spawn_file_actions_t?
typealias AttributesValue = posix_spawnattr_t?
#endif

/// The descriptor set-up of a child: what its standard streams are.
struct FileActions {
    var value = FileActionsValue()

    init() { posix_spawn_file_actions_init(&value) }

    mutating func destroy() { posix_spawn_file_actions_destroy(&value) }

    /// Opens `path` with `flags` as the child's descriptor `fd`.
    mutating func open(_ fd: Int32, _ path: String, _ flags: Int32) throws {
        let r = posix_spawn_file_actions_addopen(&value, fd, path, flags, 0o644)
        guard r == 0 else { throw SubprocessError("cannot set up \(path) for a child: \(String(cString: strerror(r)))") }
    }

    /// Routes the child's `fd` to `destination`; for `.capture`, returns the pipe (the parent
    /// reads `read` and must close `write` once the child has started).
    mutating func route(_ fd: Int32, to destination: Subprocess.Destination) throws -> (read: Int32, write: Int32)? {
        switch destination {
        case .inherit:
            return nil
        case .discard:
            try open(fd, "/dev/null", O_WRONLY)
            return nil
        case .file(let path):
            try open(fd, path, O_WRONLY | O_CREAT | O_APPEND)
            return nil
        case .capture:
            var ends: [Int32] = [0, 0]
            guard spawn_shim_pipe_cloexec(&ends) == 0 else { throw SubprocessError("cannot create a pipe: \(String(cString: strerror(errno)))") }
            posix_spawn_file_actions_adddup2(&value, ends[1], fd)
            return (ends[0], ends[1])
        }
    }

    /// The child keeps no descriptor above standard error, whether or not the parent opened it
    /// close-on-exec.
    mutating func closeDescriptorsAboveStandardError() {
        spawn_shim_addclosefrom(&value, 3)
    }
}

/// The child's signal state: an empty mask and every signal at its default disposition.
struct SpawnAttributes {
    var value = AttributesValue()

    init() {
        posix_spawnattr_init(&value)
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&value, &none)
        posix_spawnattr_setsigdefault(&value, &all)
        posix_spawnattr_setflags(&value, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    }

    mutating func destroy() { posix_spawnattr_destroy(&value) }
}
