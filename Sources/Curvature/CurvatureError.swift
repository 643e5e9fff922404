/// A network the R-operator cannot differentiate (a layer without a `TangentNode`, a
/// parameter outside the network's storage); `description` is one line.
public struct CurvatureError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
