import Datasets
import Tensors

/// Growing regression targets [U][D]: the network regresses the one-hot encoding e_y of each
/// example's class, shifted per task: y_k = e_y + k·Δ (`target-offset`) or y_k = (1 + k·Δ)·e_y
/// (`target-scale`), Δ = `shiftPerTask`. Trained with MSE (or a distributional loss); the
/// arg-max of the prediction still gives a class, so accuracy stays readable.
public struct TargetShiftStream: TaskStream {
    public let spec: StreamSpec
    public let data: LabelledDataset
    public let test: LabelledDataset?

    public var name: String { spec.protocolName.rawValue }
    public var taskCount: Int { spec.tasks }
    public var exampleShape: Shape { data.exampleShape }
    public var outputWidth: Int { data.classCount }

    /// (offset, scale) of task `index`.
    public func transform(task index: Int) -> (offset: Float, scale: Float) {
        let shift = Float(index) * spec.shiftPerTask
        return spec.protocolName == .targetScale ? (0, 1 + shift) : (shift, 1)
    }

    func targets(_ d: LabelledDataset, task index: Int) -> TaskData {
        let (offset, scale) = transform(task: index)
        let k = d.classCount
        var values = [Float](repeating: offset, count: d.count * k)
        for (i, y) in d.labels.enumerated() { values[i * k + y] = offset + scale }
        return TaskData(exampleShape: d.exampleShape, inputs: d.inputs, targets: .values(values, width: k))
    }

    public func task(_ index: Int) -> StreamTask {
        let train = targets(data, task: index)
        let held = test.map { targets($0, task: index) }
        return StreamTask(index: index, train: train, evaluation: spec.evaluation(train: train, test: held),
                          steps: spec.stepsPerTask)
    }
}
