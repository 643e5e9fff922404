/// A problem with a data file or directory; `description` is one line naming the file.
public struct DataError: Error, CustomStringConvertible, Equatable {
    /// The file or directory concerned.
    public let file: String
    /// What is wrong with it.
    public let problem: String

    public init(_ file: String, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
