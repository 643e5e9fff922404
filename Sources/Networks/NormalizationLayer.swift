/// A normalisation layer with a learned per-feature gain γ (`weight`) and offset β (`bias`):
/// LayerNorm and BatchNorm. Code that treats normalisation parameters as a group (e.g.
/// normalize-and-project) uses this instead of the concrete types.
public protocol NormalizationLayer: Layer {
    var weight: Parameter { get }
    var bias: Parameter { get }
}
