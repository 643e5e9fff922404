import Datasets
import Tensors

/// Class-incremental / expanding data [D]: task k trains on every example whose class is
/// below (k + 1)·c (c = `classesPerTask`), so each task adds c classes to the training set.
/// Held-out evaluation is restricted to the classes seen so far.
public struct ClassIncrementalStream: TaskStream {
    public let spec: StreamSpec
    public let data: LabelledDataset
    public let test: LabelledDataset?

    public var name: String { "class-incremental" }
    public var taskCount: Int { spec.tasks }
    public var exampleShape: Shape { data.exampleShape }
    public var outputWidth: Int { data.classCount }

    static func restrict(_ d: LabelledDataset, below limit: Int) -> TaskData {
        let keep = d.labels.indices.filter { d.labels[$0] < limit }
        let size = d.exampleSize
        var inputs = [Float]()
        inputs.reserveCapacity(keep.count * size)
        for i in keep { inputs += d.inputs[(i * size)..<((i + 1) * size)] }
        return TaskData(exampleShape: d.exampleShape, inputs: inputs,
                        targets: .classes(keep.map { d.labels[$0] }, classCount: d.classCount))
    }

    public func task(_ index: Int) -> StreamTask {
        let limit = (index + 1) * spec.classesPerTask
        let train = Self.restrict(data, below: limit)
        let held = test.map { Self.restrict($0, below: limit) }
        return StreamTask(index: index, train: train, evaluation: spec.evaluation(train: train, test: held),
                          steps: spec.stepsPerTask)
    }
}
