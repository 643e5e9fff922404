import Datasets
import Tensors

/// Label permutation [D]: every task relabels classes through a new random permutation π_k
/// of the class ids (y ↦ π_k(y)), on the same inputs; held-out data gets the same π_k.
public struct LabelPermutationStream: TaskStream {
    public let spec: StreamSpec
    public let data: LabelledDataset
    public let test: LabelledDataset?

    public var name: String { "label-permutation" }
    public var taskCount: Int { spec.tasks }
    public var exampleShape: Shape { data.exampleShape }
    public var outputWidth: Int { data.classCount }

    /// π_k as an array: class c becomes `permutation[c]`.
    public func permutation(task index: Int) -> [Int] {
        var rng = spec.rng(task: index)
        return rng.permutation(data.classCount)
    }

    public func task(_ index: Int) -> StreamTask {
        let pi = permutation(task: index)
        let train = TaskData(data, labels: data.labels.map { pi[$0] })
        let held = test.map { TaskData($0, labels: $0.labels.map { pi[$0] }) }
        return StreamTask(index: index, train: train, evaluation: spec.evaluation(train: train, test: held),
                          steps: spec.stepsPerTask)
    }
}

/// Input permutation [D] (Permuted-MNIST): every task reads the input features through a new
/// fixed random permutation σ_k (x ↦ x∘σ_k); labels are unchanged.
public struct InputPermutationStream: TaskStream {
    public let spec: StreamSpec
    public let data: LabelledDataset
    public let test: LabelledDataset?

    public var name: String { "input-permutation" }
    public var taskCount: Int { spec.tasks }
    public var exampleShape: Shape { data.exampleShape }
    public var outputWidth: Int { data.classCount }

    /// σ_k: feature j of a permuted example is feature `permutation[j]` of the original.
    public func permutation(task index: Int) -> [Int] {
        var rng = spec.rng(task: index)
        return rng.permutation(data.exampleSize)
    }

    public func task(_ index: Int) -> StreamTask {
        let sigma = permutation(task: index)
        let train = TaskData(data, inputPermutation: sigma)
        let held = test.map { TaskData($0, inputPermutation: sigma) }
        return StreamTask(index: index, train: train, evaluation: spec.evaluation(train: train, test: held),
                          steps: spec.stepsPerTask)
    }
}
