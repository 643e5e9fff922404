import Networks

/// A Linear or Conv2d weight seen as a row-major matrix W [rows, columns]: rows are output
/// units, columns the inputs of one unit (a conv weight [O, C, K, K] is W [O, C·K·K]).
/// Used by the interventions that act on whole weight matrices (spectral normalisation,
/// Parseval regularisation, normalize-and-project).
struct WeightMatrix {
    /// The layer's state-dict prefix (`layers.0`).
    let name: String
    let parameter: Parameter
    let rows: Int
    var columns: Int { parameter.count / rows }
}

extension Network {
    /// Every Linear and Conv2d weight in network order (including those inside containers).
    var weightMatrices: [WeightMatrix] {
        namedLayers.compactMap { name, layer in
            (layer as? any UnitLayer).map { WeightMatrix(name: name, parameter: $0.weight, rows: $0.unitCount) }
        }
    }
}

extension Layer {
    /// Flat storage indices of this layer's own parameters.
    var parameterIndices: [Int] {
        localParameters.flatMap { $0.parameter.offset..<($0.parameter.offset + $0.parameter.count) }
    }
}
