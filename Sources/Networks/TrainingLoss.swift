import Tensors

/// The loss a trainer minimises, chosen to match the stream's targets.
public enum LossKind: Sendable, Equatable {
    /// Softmax cross-entropy with label smoothing ε (classification).
    case crossEntropy(labelSmoothing: Float = 0)
    /// Mean squared error (regression).
    case mse
    /// Huber with threshold δ (regression).
    case huber(delta: Float = 1)
    /// Distributional regression: two-hot or HL-Gauss over `bins` on [min, max]; the network
    /// has `bins` outputs per regression output.
    case distributional(DistributionalRegressionLoss.Kind, minimum: Float, maximum: Float, bins: Int)

    /// Network outputs needed for targets of `width` values or classes.
    public func outputCount(targetWidth: Int) -> Int {
        if case .distributional(_, _, _, let bins) = self { return targetWidth * bins }
        return targetWidth
    }

    /// Whether this loss trains on class labels.
    public var isClassification: Bool {
        if case .crossEntropy = self { return true }
        return false
    }

    /// The loss names `init(name:)` accepts, as configs and the CLI spell them.
    public static let names = ["cross-entropy", "mse", "huber", "two-hot", "hl-gauss"]

    /// This loss's name, as `init(name:)` reads it.
    public var name: String {
        switch self {
        case .crossEntropy: "cross-entropy"
        case .mse: "mse"
        case .huber: "huber"
        case .distributional(.twoHot, _, _, _): "two-hot"
        case .distributional(.hlGauss, _, _, _): "hl-gauss"
        }
    }

    /// The loss called `name` (one of `names`) with its parameters: label smoothing ε for
    /// cross-entropy, δ for Huber, and for the distributional losses the support
    /// [minimum, maximum], its `bins` and HL-Gauss's σ (nil: 0.75 × the bin width).
    public init(name: String, labelSmoothing: Float = 0, delta: Float = 1, minimum: Float = -10, maximum: Float = 10,
                bins: Int = 51, sigma: Float? = nil) throws(LossNameError) {
        switch name {
        case "cross-entropy": self = .crossEntropy(labelSmoothing: labelSmoothing)
        case "mse": self = .mse
        case "huber": self = .huber(delta: delta)
        case "two-hot": self = .distributional(.twoHot, minimum: minimum, maximum: maximum, bins: bins)
        case "hl-gauss": self = .distributional(.hlGauss(sigma: sigma), minimum: minimum, maximum: maximum, bins: bins)
        default: throw LossNameError(name: name)
        }
    }
}

/// A loss name `LossKind(name:)` does not know; `description` is one line.
public struct LossNameError: Error, CustomStringConvertible, Equatable {
    public let name: String
    public var description: String { "unknown loss '\(name)' (known: \(LossKind.names.joined(separator: ", ")))" }
}

/// Evaluates a `LossKind` on a batch: the mean loss, its gradient with respect to the network
/// output, and (for inspection) per-example scalar predictions of distributional losses.
public final class TrainingLoss {
    public let kind: LossKind
    private let crossEntropy: CrossEntropyLoss?
    private let mse = MSELoss()
    private let huber: HuberLoss?
    private let distributional: DistributionalRegressionLoss?
    private var flatTargets: [Float] = []
    private var logitsView: Tensor?
    private var gradientView: Tensor?
    private let emptyGradient = Tensor(shape: Shape(0))

    public init(_ kind: LossKind) {
        self.kind = kind
        switch kind {
        case .crossEntropy(let eps): crossEntropy = CrossEntropyLoss(labelSmoothing: eps); huber = nil; distributional = nil
        case .mse: crossEntropy = nil; huber = nil; distributional = nil
        case .huber(let d): crossEntropy = nil; huber = HuberLoss(delta: d); distributional = nil
        case .distributional(let k, let lo, let hi, let bins):
            crossEntropy = nil; huber = nil
            distributional = DistributionalRegressionLoss(k, minimum: lo, maximum: hi, bins: bins)
        }
    }

    /// dL/d(output) of the last call, shaped like the output.
    public var gradient: Tensor {
        if let ce = crossEntropy { return ce.gradient }
        if let h = huber { return h.gradient }
        if distributional != nil { return gradientView ?? emptyGradient }
        return mse.gradient
    }

    /// The mean loss of `output` against class `labels` or regression `values`.
    public func callAsFunction(_ output: Tensor, labels: [Int], values: Tensor) -> Float {
        if let ce = crossEntropy { return ce(output, labels) }
        if let h = huber { return h(output, values) }
        if let d = distributional {
            let rows = output.count / d.bins
            if logitsView?.data != output.data || logitsView?.count != output.count {
                logitsView = Tensor(viewing: output, as: Shape(rows, d.bins))
            }
            if flatTargets.count != rows { flatTargets = [Float](repeating: 0, count: rows) }
            for i in 0..<rows { flatTargets[i] = values.data[i] }
            let loss = d(logitsView!, flatTargets)
            if gradientView?.data != d.gradient.data || gradientView?.shape != output.shape {
                gradientView = Tensor(viewing: d.gradient, as: output.shape)
            }
            return loss
        }
        return mse(output, values)
    }

    /// Scalar regression predictions of the last call ([N, width] values), or the raw output.
    public func predictions(of output: Tensor) -> [Float] {
        if let d = distributional { return d.predictions }
        return output.values
    }
}
