import Datasets
import Tensors

/// What a task's examples are trained to predict.
public enum Targets: Sendable {
    /// One class index per example, out of `classCount`.
    case classes([Int], classCount: Int)
    /// `width` real values per example, example after example.
    case values([Float], width: Int)

    /// Number of network outputs the targets need (classes, or regression width).
    public var outputWidth: Int {
        switch self {
        case .classes(_, let k): k
        case .values(_, let w): w
        }
    }
}

/// A set of examples with targets, possibly seen through a fixed input permutation
/// (Permuted-MNIST style). Inputs are shared between tasks without copying.
public struct TaskData: Sendable {
    /// Shape of one example.
    public let exampleShape: Shape
    /// Inputs, example after example (unpermuted).
    public let inputs: [Float]
    /// Targets aligned with `inputs`.
    public let targets: Targets
    /// If set, example feature j is read from feature `inputPermutation[j]`.
    public let inputPermutation: [Int]?

    public init(exampleShape: Shape, inputs: [Float], targets: Targets, inputPermutation: [Int]? = nil) {
        self.exampleShape = exampleShape
        self.inputs = inputs
        self.targets = targets
        self.inputPermutation = inputPermutation
        precondition(inputs.count == count * exampleShape.elementCount, "inputs do not match targets")
    }

    /// A classification task over a labelled dataset's examples with the given labels.
    public init(_ data: LabelledDataset, labels: [Int]? = nil, inputPermutation: [Int]? = nil) {
        self.init(exampleShape: data.exampleShape, inputs: data.inputs,
                  targets: .classes(labels ?? data.labels, classCount: data.classCount),
                  inputPermutation: inputPermutation)
    }

    /// Number of examples.
    public var count: Int {
        switch targets {
        case .classes(let labels, _): labels.count
        case .values(let v, let w): v.count / Swift.max(w, 1)
        }
    }

    /// Class labels, if this is a classification task.
    public var labels: [Int]? {
        if case .classes(let l, _) = targets { return l }
        return nil
    }

    /// Copies the examples at `indices` into `inputs` ([B, exampleShape…]) and, for
    /// classification, their labels into `labels`, for regression their targets into `values`.
    public func fill(_ indices: ArraySlice<Int>, inputs batch: Tensor, labels: inout [Int], values: Tensor) {
        let d = exampleShape.elementCount, b = indices.count
        batch.resize(to: Shape([b] + exampleShape.dimensions))
        inputs.withUnsafeBufferPointer { src in
            let base = src.baseAddress!
            for (row, i) in indices.enumerated() {
                let dst = batch.data + row * d, example = base + i * d
                if let p = inputPermutation {
                    for j in 0..<d { dst[j] = example[p[j]] }
                } else {
                    dst.update(from: example, count: d)
                }
            }
        }
        switch targets {
        case .classes(let all, _):
            if labels.count != b { labels = [Int](repeating: 0, count: b) }
            for (row, i) in indices.enumerated() { labels[row] = all[i] }
        case .values(let all, let w):
            values.resize(to: Shape(b, w))
            all.withUnsafeBufferPointer { src in
                for (row, i) in indices.enumerated() { (values.data + row * w).update(from: src.baseAddress! + i * w, count: w) }
            }
        }
    }
}

/// One task of a stream: its training data, the sets it is evaluated on, and its length.
public struct StreamTask: Sendable {
    /// 0-based position in the stream.
    public let index: Int
    /// Examples trained on.
    public let train: TaskData
    /// Named evaluation sets, e.g. "train" (the task's own examples) and "test" (held out).
    public let evaluation: [(name: String, data: TaskData)]
    /// Optimiser steps spent on this task.
    public let steps: Int

    public init(index: Int, train: TaskData, evaluation: [(name: String, data: TaskData)], steps: Int) {
        self.index = index
        self.train = train
        self.evaluation = evaluation
        self.steps = steps
    }
}

/// A nonstationary sequence of tasks (section 1 of the research spec). Tasks are pure
/// functions of the stream's seed and their index, so a resumed run regenerates them exactly.
public protocol TaskStream: Sendable {
    /// The protocol's name, e.g. "random-labels".
    var name: String { get }
    /// Number of tasks.
    var taskCount: Int { get }
    /// Shape of one input example.
    var exampleShape: Shape { get }
    /// Number of network outputs.
    var outputWidth: Int { get }
    /// Builds task `index` (0-based).
    func task(_ index: Int) -> StreamTask
}
