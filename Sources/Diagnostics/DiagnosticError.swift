/// A diagnostic that cannot be computed as asked (a reference that does not fit the network,
/// an unknown group or layer name); `description` is one line.
public struct DiagnosticError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
