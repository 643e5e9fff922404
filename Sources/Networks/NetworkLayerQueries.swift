extension Network {
    /// Every BatchNorm layer in network order (code that recomputes running statistics).
    public var batchNormLayers: [BatchNorm] {
        namedLayers.compactMap { $0.layer as? BatchNorm }
    }

    /// Every `DenseUnitLayer` (Linear) in network order.
    public var denseUnitLayers: [any DenseUnitLayer] {
        namedLayers.compactMap { $0.layer as? any DenseUnitLayer }
    }
}
