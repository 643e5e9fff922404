import Datasets
import Networks
import Tensors

/// Examples a network is evaluated on along a path: inputs with class labels (cross-entropy
/// loss, accuracy) or with real-valued targets (mean squared error, no accuracy).
public struct EvaluationSet: Sendable {
    /// What the examples are labelled with.
    public enum Targets: Sendable {
        case classes([Int], count: Int)
        case values([Float], width: Int)
    }

    /// "train", "test", … for tables.
    public let name: String
    /// Shape of one example.
    public let exampleShape: Shape
    /// Inputs, example after example.
    public let inputs: [Float]
    public let targets: Targets

    public init(name: String, exampleShape: Shape, inputs: [Float], targets: Targets) {
        self.name = name
        self.exampleShape = exampleShape
        self.inputs = inputs
        self.targets = targets
        precondition(inputs.count == count * exampleShape.elementCount, "EvaluationSet: inputs do not match targets")
    }

    /// The first `limit` examples of a labelled dataset (all when nil).
    public init(name: String, dataset: LabelledDataset, limit: Int? = nil) {
        let d = limit.map { dataset.prefix(Swift.min($0, dataset.count)) } ?? dataset
        self.init(name: name, exampleShape: d.exampleShape, inputs: d.inputs, targets: .classes(d.labels, count: d.classCount))
    }

    /// Number of examples.
    public var count: Int {
        switch targets {
        case .classes(let l, _): l.count
        case .values(let v, let w): v.count / Swift.max(w, 1)
        }
    }

    /// The examples of `self` followed by those of `other` (same shape and target kind).
    public func appending(_ other: EvaluationSet, name: String) throws -> EvaluationSet {
        guard other.exampleShape == exampleShape else {
            throw ConnectivityError("cannot join evaluation sets of example shapes \(exampleShape) and \(other.exampleShape)")
        }
        switch (targets, other.targets) {
        case (.classes(let l1, let k1), .classes(let l2, let k2)) where k1 == k2:
            return EvaluationSet(name: name, exampleShape: exampleShape, inputs: inputs + other.inputs, targets: .classes(l1 + l2, count: k1))
        case (.values(let v1, let w1), .values(let v2, let w2)) where w1 == w2:
            return EvaluationSet(name: name, exampleShape: exampleShape, inputs: inputs + other.inputs, targets: .values(v1 + v2, width: w1))
        default:
            throw ConnectivityError("cannot join evaluation sets with different targets")
        }
    }

    /// Copies examples start..<end into `x` (and their labels or targets).
    func fill(_ start: Int, _ end: Int, x: Tensor, labels: inout [Int], values: Tensor) {
        let d = exampleShape.elementCount
        x.resize(to: Shape([end - start] + exampleShape.dimensions))
        inputs.withUnsafeBufferPointer { x.data.update(from: $0.baseAddress! + start * d, count: (end - start) * d) }
        switch targets {
        case .classes(let l, _):
            labels.removeAll(keepingCapacity: true)
            labels.append(contentsOf: l[start..<end])
        case .values(let v, let w):
            values.resize(to: Shape(end - start, w))
            v.withUnsafeBufferPointer { values.data.update(from: $0.baseAddress! + start * w, count: (end - start) * w) }
        }
    }
}

/// Mean loss and accuracy of a network in evaluation mode, batch by batch, with buffers
/// allocated once.
public final class SetEvaluator {
    public let batchSize: Int
    private let x = Tensor(shape: Shape(0)), values = Tensor(shape: Shape(0))
    private var labels: [Int] = []
    private let crossEntropy = CrossEntropyLoss(), mse = MSELoss()

    public init(batchSize: Int = 500) { self.batchSize = Swift.max(batchSize, 1) }

    /// (mean loss, accuracy) over `set`: cross-entropy and top-1 accuracy for classes, MSE
    /// and nil for values.
    public func evaluate(_ network: Network, on set: EvaluationSet) -> (loss: Double, accuracy: Double?) {
        var total = 0.0, correct = 0, start = 0
        while start < set.count {
            let end = Swift.min(start + batchSize, set.count)
            set.fill(start, end, x: x, labels: &labels, values: values)
            let out = network.forward(x, mode: .evaluation)
            switch set.targets {
            case .classes:
                total += Double(crossEntropy(out, labels)) * Double(end - start)
                correct += zip(argmaxRows(out), labels).filter { $0 == $1 }.count
            case .values:
                total += Double(mse(out, values)) * Double(end - start)
            }
            start = end
        }
        let n = Double(Swift.max(set.count, 1))
        if case .classes = set.targets { return (total / n, Double(correct) / n) }
        return (total / n, nil)
    }
}
