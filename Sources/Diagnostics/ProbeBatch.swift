import Networks
import Tensors

/// The fixed batch every diagnostic is measured on: inputs, and for gradient-based metrics
/// (`grad_dormant`, `grad_norm`) the targets and the loss that defines the gradient.
///
/// The gradient is that of the mean loss over the batch (the research spec's conventions:
/// cross-entropy and MSE are means, as in PyTorch), evaluated at an evaluation-mode forward.
///
/// ```swift
/// let probe = ProbeBatch(inputs: x, targets: .labels(y), loss: .crossEntropy())
/// ```
public struct ProbeBatch {
    /// What the probe loss compares the network's output with.
    public enum Targets {
        /// One class per example (cross-entropy).
        case labels([Int])
        /// A target tensor of the output's size (MSE, Huber, distributional).
        case values(Tensor)
    }

    /// Probe inputs, [N, …] with the network's example shape.
    public let inputs: Tensor
    /// Targets, if gradient-based metrics are wanted.
    public let targets: Targets?
    /// The loss whose gradient gradient-based metrics read.
    public let loss: LossKind

    public init(inputs: Tensor, targets: Targets? = nil, loss: LossKind = .crossEntropy()) {
        precondition(inputs.shape.count >= 1 && inputs.shape[0] > 0, "a probe batch needs at least one example")
        if case .labels(let labels) = targets {
            precondition(labels.count == inputs.shape[0], "\(labels.count) probe labels for \(inputs.shape[0]) inputs")
        }
        self.inputs = inputs
        self.targets = targets
        self.loss = loss
    }

    /// Number of examples N.
    public var exampleCount: Int { inputs.shape[0] }

    /// The mean loss of `output` against the targets (which must exist).
    func evaluate(_ loss: TrainingLoss, output: Tensor) -> Float {
        switch targets {
        case .labels(let labels): return loss(output, labels: labels, values: Tensor(shape: Shape(0)))
        case .values(let values): return loss(output, labels: [], values: values)
        case nil: preconditionFailure("probe loss without targets")
        }
    }
}
