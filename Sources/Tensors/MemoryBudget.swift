import Foundation

/// The memory one command may plan to allocate, checked against an estimate *before* the
/// allocation: a network's parameters, gradients and optimiser state, the activations of a
/// batch, a data set decoded from a file header, a diagnostic's workspace. A size that does not
/// fit is an error naming what asked for it, the estimate and the limit, so a typo or a hostile
/// header ends in one line instead of an aborted multi-gigabyte allocation.
///
/// The default, 8 GiB, leaves a 24 GB machine room for two such processes and the system.
/// `PLASTICITY_MEMORY_LIMIT_GB` in the environment replaces it for every command (and for the
/// runs a study starts); the `--memory-limit GB` flag of `run`, `study`, `diagnose` and `lmc`
/// replaces it for one command.
///
/// ```swift
/// let budget = MemoryBudget(limitBytes: 1 << 30)
/// try budget.check(bytes: 3e9, for: "--arch mlp[30000]")   // throws: needs 2.79 GiB, limit 1 GiB
/// ```
public struct MemoryBudget: Sendable, Equatable {
    /// The most bytes an estimate may reach.
    public var limitBytes: Double
    /// Says how to raise the limit, appended to the error (e.g. "raise it with --memory-limit GB").
    public var remedy: String

    /// The built-in limit: 8 GiB.
    public static let defaultLimitBytes: Double = 8 * 1_073_741_824
    /// The built-in budget, for library callers that choose none.
    public static let builtIn = MemoryBudget(limitBytes: defaultLimitBytes)
    /// The environment variable that replaces the built-in limit, in GiB.
    public static let environmentVariable = "PLASTICITY_MEMORY_LIMIT_GB"

    public init(limitBytes: Double, remedy: String = MemoryBudget.environmentRemedy) {
        self.limitBytes = limitBytes
        self.remedy = remedy
    }

    /// How the environment variable raises the limit.
    public static let environmentRemedy = "raise the limit with \(environmentVariable)=GB"

    /// The limit for this process: `flag` (GiB, from `--memory-limit`) if given, else
    /// `PLASTICITY_MEMORY_LIMIT_GB` if set, else 8 GiB. Throws if the one used is not a
    /// positive number.
    public static func standard(flag: String? = nil) throws -> MemoryBudget {
        let remedy = "raise it with --memory-limit GB or \(environmentVariable)=GB"
        if let flag { return MemoryBudget(limitBytes: try gigabytes(flag, source: "--memory-limit"), remedy: remedy) }
        guard let text = ProcessInfo.processInfo.environment[environmentVariable] else {
            return MemoryBudget(limitBytes: defaultLimitBytes, remedy: remedy)
        }
        return MemoryBudget(limitBytes: try gigabytes(text, source: environmentVariable), remedy: remedy)
    }

    /// A limit given in GiB by `source` (a flag, a config key, the environment variable).
    public static func gigabytes(_ text: String, source: String) throws -> Double {
        guard let gb = Double(text), gb.isFinite, gb > 0, gb <= 1_048_576 else {
            throw MemoryBudgetError(input: source, message: "'\(text)' is not a memory limit in GiB (a number in (0, 1048576])")
        }
        return gb * 1_073_741_824
    }

    /// Throws a `MemoryBudgetError` naming `input` when `bytes` (an estimate; NaN or infinite
    /// counts as too large) exceeds the limit; `what` says what the bytes are for.
    public func check(bytes: Double, for input: String, what: String = "") throws {
        guard bytes.isFinite, bytes <= limitBytes else {
            let detail = what.isEmpty ? "" : " (\(what))"
            throw MemoryBudgetError(input: input, message: "needs \(Self.format(bytes))\(detail), above the memory limit of \(Self.format(limitBytes)); \(remedy)")
        }
    }

    /// Bytes in the largest binary unit that keeps the number ≥ 1, e.g. "2.79 GiB"; an
    /// estimate that overflowed Double is "an unbounded number of bytes".
    public static func format(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "an unbounded number of bytes" }
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes, unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(Int(value)) bytes" : String(format: "%.3g %@", value, units[unit])
    }
}

/// An estimate above the memory limit, or an unreadable limit; one line naming the input
/// (a flag, a file, a config key) and the sizes.
public struct MemoryBudgetError: Error, CustomStringConvertible, Equatable {
    /// The flag, file or key whose size was refused.
    public let input: String
    /// The estimate, the limit and how to raise it.
    public let message: String

    public init(input: String, message: String) {
        self.input = input
        self.message = message
    }

    public var description: String { "\(input): \(message)" }
}
