import Foundation
import Testing
import Tensors
@testable import Datasets

/// Gaussian clusters, teacher-network regression and the regression batch copy.
@Suite struct SyntheticTests {
    @Test func gaussianClustersCentreOnTheirMeans() {
        let clusters = GaussianClusters(classCount: 5, dimension: 8, count: 10_000, separation: 3)
        let mu = clusters.means(seed: 11)
        #expect(mu.count == 40 && mu == clusters.means(seed: 11) && mu != clusters.means(seed: 12))
        // Coordinates of the means are N(0, 3²): their sample std is near 3.
        let std = (mu.map { $0 * $0 }.reduce(0, +) / 40).squareRoot()
        #expect(std > 2 && std < 4)
        let data = clusters.generate(seed: 11)
        #expect(data.exampleShape == [8] && data.count == 10_000 && data.classCount == 5)
        #expect((0..<5).allSatisfy { c in data.labels.filter { $0 == c }.count == 2000 })
        // Each class mean of 2000 examples lies within 0.12 (5.4 standard errors) of μ_c,
        // and the spread around it is unit.
        var sums = [Double](repeating: 0, count: 40), squares = 0.0
        for (i, y) in data.labels.enumerated() {
            for j in 0..<8 {
                sums[y * 8 + j] += Double(data.inputs[i * 8 + j])
                squares += pow(Double(data.inputs[i * 8 + j] - mu[y * 8 + j]), 2)
            }
        }
        #expect(zip(sums, mu).allSatisfy { abs($0 / 2000 - Double($1)) < 0.12 })
        #expect(abs(squares / 80_000 - 1) < 0.03)
    }

    @Test func gaussianClusterDrawsShareMeansButNotExamples() {
        let clusters = GaussianClusters(classCount: 3, dimension: 4, count: 30)
        let a = clusters.generate(seed: 5), b = clusters.generate(seed: 5), held = clusters.generate(seed: 5, draw: 1)
        #expect(a.inputs == b.inputs && a.labels == b.labels)
        #expect(zip(a.inputs, held.inputs).allSatisfy { $0 != $1 })
    }

    @Test func teacherTargetsAreStandardisedAndDeterministic() {
        let task = TeacherRegression(inputDimension: 6, hiddenWidth: 16, outputs: 3, count: 5000)
        let data = task.generate(seed: 9)
        #expect(data.exampleShape == [6] && data.targetWidth == 3 && data.count == 5000)
        #expect(data.inputs.count == 30_000 && data.targets.count == 15_000)
        for o in 0..<3 {
            let y = stride(from: o, to: 15_000, by: 3).map { Double(data.targets[$0]) }
            let mean = y.reduce(0, +) / 5000
            let std = (y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5000).squareRoot()
            #expect(abs(mean) < 0.06 && abs(std - 1) < 0.06, "output \(o): mean \(mean), std \(std)")
        }
        let again = task.generate(seed: 9)
        #expect(again.inputs == data.inputs && again.targets == data.targets)
        #expect(task.generate(seed: 10).targets != data.targets)
    }

    /// Targets are (W₂ tanh(W₁x + b₁) − m) / s of the seed's teacher, for every draw.
    @Test func teacherTargetsFollowTheTeacher() {
        let task = TeacherRegression(inputDimension: 3, hiddenWidth: 4, outputs: 2, count: 50)
        let teacher = TeacherRegression.Teacher(task, seed: 1)
        for draw: UInt64 in [0, 1] {
            let data = task.generate(seed: 1, draw: draw)
            for i in 0..<50 {
                let x = Array(data.inputs[(3 * i)..<(3 * i + 3)])
                let hidden = (0..<4).map { j in tanh(zip(teacher.w1[(3 * j)..<(3 * j + 3)], x).map(*).reduce(teacher.b1[j], +)) }
                for k in 0..<2 {
                    let f = zip(teacher.w2[(4 * k)..<(4 * k + 4)], hidden).map(*).reduce(0, +)
                    #expect(abs(data.targets[2 * i + k] - (f - teacher.mean[k]) / teacher.std[k]) < 1e-5)
                }
            }
        }
        #expect(task.generate(seed: 1).inputs != task.generate(seed: 1, draw: 1).inputs)
    }

    @Test func regressionFillCopiesRows() {
        let data = RegressionDataset(exampleShape: [1, 2], inputs: [0, 1, 10, 11, 20, 21], targets: [5, 6, 7, 15, 16, 17, 25, 26, 27],
                                     targetWidth: 3)
        #expect(data.count == 3 && data.exampleSize == 2)
        let x = Tensor(shape: [1]), y = Tensor(shape: [1])
        data.fill([2, 0][...], inputs: x, targets: y)
        #expect(x.shape == [2, 1, 2] && x.values == [20, 21, 0, 1])
        #expect(y.shape == [2, 3] && y.values == [25, 26, 27, 5, 6, 7])
    }
}
