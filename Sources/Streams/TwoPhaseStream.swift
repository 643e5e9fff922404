import Datasets
import Tensors

/// The two-task protocols. Warm start [S]: task 0 trains on a random fraction f of the
/// training subset, task 1 on all of it; compare task 1's final test accuracy with a network
/// trained from scratch on all the data. Noisy-then-clean: task 0 replaces the labels of a
/// random fraction f of the examples by uniform random classes, task 1 uses the clean labels.
/// Task 0 runs `firstTaskSteps` steps (default `stepsPerTask`).
public struct TwoPhaseStream: TaskStream {
    public let spec: StreamSpec
    public let data: LabelledDataset
    public let test: LabelledDataset?

    public var name: String { spec.protocolName.rawValue }
    public var taskCount: Int { 2 }
    public var exampleShape: Shape { data.exampleShape }
    public var outputWidth: Int { data.classCount }

    /// The examples (warm start) or corrupted examples (noisy) of task 0.
    public func chosenExamples() -> [Int] {
        var rng = spec.rng(task: 0)
        let count = Int((spec.fraction * Double(data.count)).rounded())
        return Array(rng.permutation(data.count).prefix(count)).sorted()
    }

    public func task(_ index: Int) -> StreamTask {
        let held = test.map { TaskData($0) }
        let chosen = chosenExamples()
        var train = TaskData(data)
        if index == 0 && spec.protocolName == .warmStart {
            let size = data.exampleSize
            var inputs = [Float]()
            inputs.reserveCapacity(chosen.count * size)
            for i in chosen { inputs += data.inputs[(i * size)..<((i + 1) * size)] }
            train = TaskData(exampleShape: data.exampleShape, inputs: inputs,
                             targets: .classes(chosen.map { data.labels[$0] }, classCount: data.classCount))
        } else if index == 0 {
            var rng = spec.rng(task: 1)
            var labels = data.labels
            for i in chosen { labels[i] = rng.below(data.classCount) }
            train = TaskData(data, labels: labels)
        }
        let steps = index == 0 && spec.firstTaskSteps > 0 ? spec.firstTaskSteps : spec.stepsPerTask
        return StreamTask(index: index, train: train, evaluation: spec.evaluation(train: train, test: held), steps: steps)
    }
}
