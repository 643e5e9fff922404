import Networks
import Tensors

/// One hidden layer's pre-activations z and activations h on the probe batch, copied out of
/// the layer caches right after an evaluation-mode forward so that later forwards cannot
/// overwrite them.
///
/// Shapes: z is [N, C] (Linear) or [N, C, H, W] (Conv2d); h has the same shape, or 2C
/// channels for CReLU. A unit's samples are its N·H·W values ("positions" per example H·W,
/// 1 for a Linear): every statistic over a unit pools them.
public struct HiddenLayerActivity {
    /// The incoming Linear/Conv2d's state-dict prefix (`layers.0`).
    public let name: String
    public let nonlinearity: UnitNonlinearity
    /// Units C.
    public let unitCount: Int
    /// Examples N.
    public let exampleCount: Int
    /// Spatial positions per example and unit (H·W; 1 for a Linear).
    public let positions: Int
    /// z, the activation's input (after LayerNorm/BatchNorm where present).
    public let preactivations: Tensor
    /// u, the normalisation's input (the incoming layer's output, same shape as z) when the
    /// layer has a LayerNorm/BatchNorm; nil otherwise, where u = z.
    public let prenormalization: Tensor?
    /// h = φ(z).
    public let activations: Tensor

    /// Copies the caches of `layer`'s activation, which must have just run forward.
    public init(_ layer: HiddenLayer) {
        guard let z = layer.activation.lastInput, let h = layer.activation.lastOutput else {
            preconditionFailure("hidden layer \(layer.name) has not run forward")
        }
        name = layer.name
        guard let nonlinearity = layer.nonlinearity else {
            preconditionFailure("hidden layer \(layer.name) has an activation without unit metrics (Fourier features)")
        }
        self.nonlinearity = nonlinearity
        unitCount = layer.unitCount
        exampleCount = z.shape[0]
        positions = z.count / Swift.max(exampleCount * unitCount, 1)
        precondition(exampleCount * unitCount * positions == z.count, "hidden layer \(layer.name): z \(z.shape) does not hold \(unitCount) units")
        preactivations = z.copy()
        activations = h.copy()
        if let norm = layer.normalization {
            guard let u = norm.lastInput, u.count == z.count else {
                preconditionFailure("hidden layer \(layer.name): its normalisation has not run forward on z's batch")
            }
            prenormalization = u.copy()
        } else {
            prenormalization = nil
        }
    }

    /// Samples per unit, N·H·W.
    public var samplesPerUnit: Int { exampleCount * positions }
}
