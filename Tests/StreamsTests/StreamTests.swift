import Testing
import Datasets
import Tensors
@testable import Streams

/// Every protocol's defining property on a small synthetic labelled dataset.
@Suite struct StreamTests {
    /// 40 examples of 6 features, labels cycling through 4 classes.
    static let data = LabelledDataset(exampleShape: Shape(6), inputs: (0..<240).map { Float($0) },
                                      labels: (0..<40).map { $0 % 4 }, classCount: 4)
    static let test = LabelledDataset(exampleShape: Shape(6), inputs: (0..<60).map { -Float($0) },
                                      labels: (0..<10).map { $0 % 4 }, classCount: 4)

    func stream(_ p: StreamProtocol, configure: (inout StreamSpec) -> Void = { _ in }) throws -> any TaskStream {
        var spec = StreamSpec(p)
        spec.tasks = 4
        spec.stepsPerTask = 10
        spec.subset = 0
        spec.testSubset = 0
        spec.seed = 3
        configure(&spec)
        return try spec.makeStream(train: Self.data, test: Self.test)
    }

    @Test func randomLabelsAreFreshEachTaskAndReproducible() throws {
        let s = try stream(.randomLabels)
        let l0 = s.task(0).train.labels!, l1 = s.task(1).train.labels!
        #expect(l0 != l1 && l0 == s.task(0).train.labels!)
        #expect(Set(l0).isSubset(of: Set(0..<4)) && l0.count == 40)
        // Fresh labels agree with the previous task's about 1/4 of the time.
        let same = zip(l0, l1).filter { $0 == $1 }.count
        #expect(same < 20)
        #expect(s.task(2).evaluation.map(\.name) == ["train"])
    }

    @Test func labelDriftRedrawsOnlyTheFraction() throws {
        let s = try stream(.labelDrift) { $0.fraction = 0.25 }
        for k in 1..<4 {
            let before = s.task(k - 1).train.labels!, after = s.task(k).train.labels!
            let changed = zip(before, after).filter { $0 != $1 }.count
            #expect(changed <= 10 && changed > 0, "task \(k): \(changed) labels changed")
        }
        #expect(throws: StreamError.self) { try stream(.labelDrift) { $0.fraction = 0 } }
    }

    /// The shift-smoothness construction: the first task keeps its own length, the drift tasks
    /// are shorter, and the labels of task 0 do not depend on the re-draw fraction.
    @Test func labelDriftFirstTaskStepsAndSharedStart() throws {
        let smooth = try stream(.labelDrift) { $0.fraction = 0.25; $0.firstTaskSteps = 40 }
        let abrupt = try stream(.labelDrift) { $0.fraction = 1; $0.stepsPerTask = 40 }
        #expect((0..<4).map { smooth.task($0).steps } == [40, 10, 10, 10])
        #expect((0..<4).map { abrupt.task($0).steps } == [40, 40, 40, 40])
        #expect(smooth.task(0).train.labels! == abrupt.task(0).train.labels!)
    }

    @Test func labelPermutationIsABijectionAppliedToTest() throws {
        let s = try stream(.labelPermutation) as! LabelPermutationStream
        let pi = s.permutation(task: 2)
        #expect(pi.sorted() == [0, 1, 2, 3])
        let t = s.task(2)
        #expect(t.train.labels! == Self.data.labels.map { pi[$0] })
        #expect(t.evaluation[1].data.labels! == Self.test.labels.map { pi[$0] })
    }

    @Test func inputPermutationPermutesFeatures() throws {
        let s = try stream(.inputPermutation) as! InputPermutationStream
        let t = s.task(1), sigma = s.permutation(task: 1)
        let x = Tensor(shape: Shape(0)), y = Tensor(shape: Shape(0))
        var labels: [Int] = []
        t.train.fill([2][...], inputs: x, labels: &labels, values: y)
        #expect(x.values == sigma.map { Float(12 + $0) })
        #expect(labels == [2] && sigma != Array(0..<6))
    }

    @Test func targetOffsetAndScale() throws {
        let offset = try stream(.targetOffset) { $0.shiftPerTask = 2 }
        guard case .values(let v, let w) = offset.task(3).train.targets else { Issue.record("not regression"); return }
        #expect(w == 4 && Array(v[0..<4]) == [7, 6, 6, 6])
        let scale = try stream(.targetScale) { $0.shiftPerTask = 2 }
        guard case .values(let s, _) = scale.task(3).train.targets else { Issue.record("not regression"); return }
        #expect(Array(s[4..<8]) == [0, 7, 0, 0])
    }

    @Test func classIncrementalExpands() throws {
        let s = try stream(.classIncremental) { $0.tasks = 2; $0.classesPerTask = 2 }
        #expect(Set(s.task(0).train.labels!) == [0, 1] && s.task(0).train.count == 20)
        #expect(Set(s.task(1).train.labels!) == [0, 1, 2, 3] && s.task(1).train.count == 40)
        #expect(Set(s.task(0).evaluation[1].data.labels!) == [0, 1])
        #expect(throws: StreamError("class-incremental needs 6 classes (3 tasks × 2), the data has 4")) {
            try stream(.classIncremental) { $0.tasks = 3; $0.classesPerTask = 2 }
        }
    }

    @Test func warmStartUsesAFractionThenAll() throws {
        let s = try stream(.warmStart) { $0.fraction = 0.5; $0.firstTaskSteps = 99 }
        #expect(s.taskCount == 2)
        let first = s.task(0)
        #expect(first.train.count == 20 && first.steps == 99 && s.task(1).train.count == 40 && s.task(1).steps == 10)
        #expect(first.evaluation.map(\.name) == ["train", "test"])
    }

    @Test func noisyThenCleanCorruptsOnlyTheFirstTask() throws {
        let s = try stream(.noisyThenClean) { $0.fraction = 0.5 }
        let noisy = s.task(0).train.labels!, clean = s.task(1).train.labels!
        #expect(clean == Self.data.labels)
        let changed = zip(noisy, clean).filter { $0 != $1 }.count
        #expect(changed > 5 && changed <= 20)
    }

    @Test func subsetsAndValidation() throws {
        let s = try stream(.randomLabels) { $0.subset = 12 }
        #expect(s.task(0).train.count == 12)
        #expect(throws: StreamError("stream.tasks must be ≥ 1, got 0")) { try stream(.randomLabels) { $0.tasks = 0 } }
    }
}
