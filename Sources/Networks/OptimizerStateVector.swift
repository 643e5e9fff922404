/// The saved state vector `name` of exactly `count` values among `vectors` (what
/// `Optimizer.stateVectors()` wrote); throws naming `optimizer` and the vector otherwise.
func optimizerStateVector(_ name: String, count: Int, in vectors: [(name: String, values: [Float])],
                          optimizer: String) throws -> [Float] {
    guard let v = vectors.first(where: { $0.name == name })?.values, v.count == count else {
        throw StateDictError(description: "\(optimizer): optimizer state '\(name)' is missing or not \(count) values")
    }
    return v
}
