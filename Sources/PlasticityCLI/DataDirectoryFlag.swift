import Datasets

/// The fix that commands with a `--data-dir` flag (`diagnose`, `lmc`) give for a missing data
/// directory, in place of the config key `data.dir` that `run` and `study` users set.
enum DataDirectoryFlag {
    static let remedy = "pass --data-dir DIR, the folder holding the files"

    /// `error` with the flag as its remedy when it is a missing data directory, else `error`.
    static func explain(_ error: any Error) -> any Error {
        guard let e = error as? DataError, e.isMissingDirectory else { return error }
        return e.with(remedy: remedy)
    }
}
