/// A problem with a data file or directory; `description` is one line naming the file.
public struct DataError: Error, CustomStringConvertible, Equatable {
    /// The file or directory concerned.
    public let file: String
    /// What is wrong with it.
    public let problem: String
    /// Whether the data directory itself is missing: the fix is then to give the right folder,
    /// which the layer that knows how a folder is given (a config key, a flag) says in `remedy`.
    public let isMissingDirectory: Bool
    /// How to fix it, appended after a semicolon.
    public var remedy: String?

    public init(_ file: String, _ problem: String, isMissingDirectory: Bool = false, remedy: String? = nil) {
        self.file = file
        self.problem = problem
        self.isMissingDirectory = isMissingDirectory
        self.remedy = remedy
    }

    /// A missing data directory; `source` says where the files come from.
    public static func missingDirectory(_ directory: String, source: String) -> DataError {
        DataError(directory, "data directory does not exist (\(source))", isMissingDirectory: true)
    }

    /// This error with `remedy` as its fix.
    public func with(remedy: String) -> DataError {
        var e = self
        e.remedy = remedy
        return e
    }

    public var description: String { "\(file): \(problem)" + (remedy.map { "; \($0)" } ?? "") }
}
