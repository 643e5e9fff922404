import Datasets
import Tensors

/// The protocols of research spec section 1, by the names configs use.
public enum StreamProtocol: String, Sendable, CaseIterable {
    case randomLabels = "random-labels"
    case labelPermutation = "label-permutation"
    case inputPermutation = "input-permutation"
    case labelDrift = "label-drift"
    case targetOffset = "target-offset"
    case targetScale = "target-scale"
    case classIncremental = "class-incremental"
    case warmStart = "warm-start"
    case noisyThenClean = "noisy-then-clean"

    /// One line describing the construction and its source.
    public var summary: String {
        switch self {
        case .randomLabels: "fixed subset, fresh uniform random labels every task (memorisation) [U][D]"
        case .labelPermutation: "a new random permutation of the class ids every task [D]"
        case .inputPermutation: "a new fixed random pixel permutation every task (Permuted-MNIST) [D]"
        case .labelDrift: "random labels; each task re-draws a fraction p of them (p = 1 is abrupt) [D]"
        case .targetOffset: "regression to one-hot targets plus an offset c_k = k·Δ growing each task [U][D]"
        case .targetScale: "regression to one-hot targets scaled by s_k = 1 + k·Δ each task [U][D]"
        case .classIncremental: "task k trains on the first (k+1)·c classes (expanding data) [D]"
        case .warmStart: "task 1 trains on a fraction of the data, task 2 on all of it [S]"
        case .noisyThenClean: "task 1 with a fraction of labels corrupted, task 2 clean (ours)"
        }
    }
}

/// Everything that defines a stream besides its base data. Defaults follow research.md at
/// CPU scale; unused fields are ignored by protocols that do not need them.
public struct StreamSpec: Sendable, Equatable {
    public var protocolName: StreamProtocol
    /// Number of tasks (fixed to 2 for warm-start and noisy-then-clean).
    public var tasks: Int = 10
    /// Optimiser steps per task.
    public var stepsPerTask: Int = 1000
    /// Training examples taken from the base data (0 = all).
    public var subset: Int = 1000
    /// Held-out examples evaluated (0 = all available).
    public var testSubset: Int = 1000
    /// Seed of the stream's randomness (labels, permutations).
    public var seed: UInt64 = 0
    /// label-drift: fraction of labels re-drawn per task; warm-start: fraction of the data in
    /// task 1; noisy-then-clean: fraction of labels corrupted in task 1.
    public var fraction: Double = 0.5
    /// target-offset / target-scale: Δ added per task.
    public var shiftPerTask: Float = 1
    /// class-incremental: classes added per task.
    public var classesPerTask: Int = 2
    /// warm-start / noisy-then-clean / random-labels / label-drift: steps of the first task
    /// (0 = `stepsPerTask`).
    public var firstTaskSteps: Int = 0

    public init(_ protocolName: StreamProtocol) { self.protocolName = protocolName }
}

/// A problem with a stream's specification; one line naming the field.
public struct StreamError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension StreamSpec {
    /// Builds the stream over `train` (and held-out `test`) data, validating the fields.
    public func makeStream(train: LabelledDataset, test: LabelledDataset?) throws -> any TaskStream {
        guard tasks >= 1 else { throw StreamError("stream.tasks must be ≥ 1, got \(tasks)") }
        guard stepsPerTask >= 1 else { throw StreamError("stream.steps_per_task must be ≥ 1, got \(stepsPerTask)") }
        guard subset >= 0, testSubset >= 0 else { throw StreamError("stream.subset and stream.test_subset must be ≥ 0") }
        guard train.count > 0 else { throw StreamError("the training data is empty") }
        let base = subset == 0 ? train : train.prefix(subset)
        let held = test.map { testSubset == 0 ? $0 : $0.prefix(testSubset) }
        switch protocolName {
        case .randomLabels, .labelDrift:
            let p = protocolName == .randomLabels ? 1 : fraction
            guard p > 0 && p <= 1 else { throw StreamError("stream.fraction must be in (0, 1], got \(fraction)") }
            return RandomLabelStream(spec: self, data: base, redrawFraction: p)
        case .labelPermutation:
            return LabelPermutationStream(spec: self, data: base, test: held)
        case .inputPermutation:
            return InputPermutationStream(spec: self, data: base, test: held)
        case .targetOffset, .targetScale:
            return TargetShiftStream(spec: self, data: base, test: held)
        case .classIncremental:
            guard classesPerTask >= 1 else { throw StreamError("stream.classes_per_task must be ≥ 1") }
            let needed = classesPerTask * tasks
            guard needed <= train.classCount else {
                throw StreamError("class-incremental needs \(needed) classes (\(tasks) tasks × \(classesPerTask)), the data has \(train.classCount)")
            }
            return ClassIncrementalStream(spec: self, data: base, test: held)
        case .warmStart, .noisyThenClean:
            guard fraction > 0 && fraction <= 1 else { throw StreamError("stream.fraction must be in (0, 1], got \(fraction)") }
            return TwoPhaseStream(spec: self, data: base, test: held)
        }
    }

    /// The RNG of task `index`: a stream of its own, so tasks are independent of each other.
    func rng(task index: Int) -> RandomGenerator {
        RandomGenerator(seed: seed, stream: UInt64(index) + 1)
    }

    func evaluation(train: TaskData, test: TaskData?) -> [(name: String, data: TaskData)] {
        [("train", train)] + (test.map { [("test", $0)] } ?? [])
    }
}
