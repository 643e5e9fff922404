/// A layer asked to do what it cannot; `description` is one line.
public struct LayerError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
