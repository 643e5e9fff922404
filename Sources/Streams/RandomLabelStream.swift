import Datasets
import Tensors

/// Random-label memorisation [U][D] and smooth label drift [D] over a fixed subset.
///
/// Task 0 draws every label uniformly at random. Each later task re-draws a random
/// ⌈p·N⌉ of the previous task's labels (p = `redrawFraction`): p = 1 is the abrupt
/// random-label stream, p < 1 the smooth drift of the same protocol. Evaluated on the task's
/// own examples ("train"), since the labels carry no held-out signal. Task 0 runs
/// `firstTaskSteps` steps (default `stepsPerTask`), so a drift of K times more, K times
/// shorter tasks after the same first task can match an abrupt stream's steps and re-draws.
public struct RandomLabelStream: TaskStream {
    public let spec: StreamSpec
    public let data: LabelledDataset
    public let redrawFraction: Double

    public var name: String { redrawFraction == 1 ? "random-labels" : "label-drift" }
    public var taskCount: Int { spec.tasks }
    public var exampleShape: Shape { data.exampleShape }
    public var outputWidth: Int { data.classCount }

    /// Labels of task `index`, replayed from task 0.
    public func labels(task index: Int) -> [Int] {
        let n = data.count, k = data.classCount
        var r0 = spec.rng(task: 0)
        var labels = (0..<n).map { _ in r0.below(k) }
        guard index > 0 else { return labels }
        let redraw = Int((redrawFraction * Double(n)).rounded(.up))
        for t in 1...index {
            var rng = spec.rng(task: t)
            var order = Array(0..<n)
            for i in 0..<redraw {
                order.swapAt(i, i + rng.below(n - i))
                labels[order[i]] = rng.below(k)
            }
        }
        return labels
    }

    public func task(_ index: Int) -> StreamTask {
        let train = TaskData(data, labels: labels(task: index))
        let steps = index == 0 && spec.firstTaskSteps > 0 ? spec.firstTaskSteps : spec.stepsPerTask
        return StreamTask(index: index, train: train, evaluation: spec.evaluation(train: train, test: nil), steps: steps)
    }
}
