import Foundation
import Tensors

/// Gaussian-cluster classification: `classCount` class means μ_c ~ N(0, separation²·I) in
/// `dimension` dimensions; example i has class yᵢ (balanced: i mod `classCount`, then
/// shuffled) and input xᵢ = μ_yᵢ + ε, ε ~ N(0, I).
///
/// The means depend on `seed` only and the examples on (`seed`, `draw`), so draws 0 and 1 are
/// a training and a held-out set of the same problem. Two means lie about
/// separation·√(2·dimension) apart, against unit noise per dimension.
///
/// ```swift
/// let clusters = GaussianClusters(classCount: 10, dimension: 20)
/// let train = clusters.generate(seed: 3), test = clusters.generate(seed: 3, draw: 1)
/// ```
public struct GaussianClusters: Sendable {
    /// Number of classes (and means).
    public var classCount: Int
    /// Dimension of the inputs.
    public var dimension: Int
    /// Number of examples.
    public var count: Int
    /// Standard deviation of the means' coordinates.
    public var separation: Float

    public init(classCount: Int = 10, dimension: Int = 20, count: Int = 5000, separation: Float = 1) {
        precondition(classCount >= 1 && dimension >= 1 && count >= 0, "GaussianClusters needs classCount ≥ 1, dimension ≥ 1, count ≥ 0")
        self.classCount = classCount
        self.dimension = dimension
        self.count = count
        self.separation = separation
    }

    /// The class means of `seed`, [classCount, dimension] row-major.
    public func means(seed: UInt64) -> [Float] {
        var rng = RandomGenerator(seed: seed, stream: 0)
        return (0..<(classCount * dimension)).map { _ in separation * rng.normal() }
    }

    /// Draw `draw` of examples around the means of `seed`: shape [dimension] per example.
    public func generate(seed: UInt64, draw: UInt64 = 0) -> LabelledDataset {
        let mu = means(seed: seed)
        var rng = RandomGenerator(seed: seed, stream: draw + 1)
        var labels = (0..<count).map { $0 % classCount }
        rng.shuffle(&labels)
        var inputs: [Float] = []
        inputs.reserveCapacity(count * dimension)
        for y in labels {
            for j in 0..<dimension { inputs.append(mu[y * dimension + j] + rng.normal()) }
        }
        return LabelledDataset(exampleShape: [dimension], inputs: inputs, labels: labels, classCount: classCount)
    }
}

/// Teacher-network regression: inputs x ~ N(0, I) in `inputDimension` dimensions and targets
/// y = (f(x) − m) / s from a fixed random two-layer tanh network
///
///     f(x) = W₂ · tanh(W₁ · x + b₁),   W₁ [hidden, in] ~ N(0, 1/in),  b₁ ~ N(0, 1),
///                                       W₂ [outputs, hidden] ~ N(0, 1/hidden),
///
/// where m and s are f's per-output mean and standard deviation over `referenceCount` inputs
/// drawn with the teacher. The normalisation is part of the teacher, so every draw shares one
/// target function, and its targets have mean ≈ 0 and std ≈ 1 per output.
///
/// The teacher depends on `seed` only and the examples on (`seed`, `draw`), so draws 0 and 1
/// are a training and a held-out set of the same problem.
///
/// ```swift
/// let train = TeacherRegression(inputDimension: 10, outputs: 2).generate(seed: 1)
/// train.targetWidth   // 2
/// ```
public struct TeacherRegression: Sendable {
    /// Dimension of the inputs.
    public var inputDimension: Int
    /// Hidden units of the teacher.
    public var hiddenWidth: Int
    /// Dimension of the targets.
    public var outputs: Int
    /// Number of examples.
    public var count: Int
    /// Inputs used to estimate the teacher's output mean and std.
    public static let referenceCount = 10_000

    public init(inputDimension: Int = 20, hiddenWidth: Int = 32, outputs: Int = 1, count: Int = 5000) {
        precondition(inputDimension >= 1 && hiddenWidth >= 1 && outputs >= 1 && count >= 0,
                     "TeacherRegression needs positive dimensions")
        self.inputDimension = inputDimension
        self.hiddenWidth = hiddenWidth
        self.outputs = outputs
        self.count = count
    }

    /// Draw `draw` of examples labelled by the teacher of `seed`: inputs [inputDimension],
    /// targets of width `outputs`.
    public func generate(seed: UInt64, draw: UInt64 = 0) -> RegressionDataset {
        let teacher = Teacher(self, seed: seed)
        var rng = RandomGenerator(seed: seed, stream: draw + 1)
        let inputs = (0..<(count * inputDimension)).map { _ in rng.normal() }
        var targets: [Float] = []
        targets.reserveCapacity(count * outputs)
        for i in 0..<count {
            let f = teacher.forward(inputs[(i * inputDimension)..<((i + 1) * inputDimension)])
            for o in 0..<outputs { targets.append((f[o] - teacher.mean[o]) / teacher.std[o]) }
        }
        return RegressionDataset(exampleShape: [inputDimension], inputs: inputs, targets: targets, targetWidth: outputs)
    }

    /// The teacher's weights and output statistics, drawn from stream 0 of the seed.
    struct Teacher {
        let d: Int, h: Int, o: Int
        /// W₁ [h, d], b₁ [h], W₂ [o, h], row-major.
        let w1: [Float], b1: [Float], w2: [Float]
        /// Per-output mean and std of f over the reference inputs.
        var mean: [Float] = [], std: [Float] = []

        init(_ task: TeacherRegression, seed: UInt64) {
            d = task.inputDimension
            h = task.hiddenWidth
            o = task.outputs
            var rng = RandomGenerator(seed: seed, stream: 0)
            let (scale1, scale2) = (1 / Float(d).squareRoot(), 1 / Float(h).squareRoot())
            w1 = (0..<(h * d)).map { _ in scale1 * rng.normal() }
            b1 = (0..<h).map { _ in rng.normal() }
            w2 = (0..<(o * h)).map { _ in scale2 * rng.normal() }
            // Mean and std per output over reference inputs, accumulated in Double.
            var sum = [Double](repeating: 0, count: o), squares = sum
            let n = TeacherRegression.referenceCount
            for _ in 0..<n {
                let f = forward((0..<d).map { _ in rng.normal() }[...])
                for k in 0..<o {
                    sum[k] += Double(f[k])
                    squares[k] += Double(f[k]) * Double(f[k])
                }
            }
            mean = sum.map { Float($0 / Double(n)) }
            std = (0..<o).map { k in Float((squares[k] / Double(n) - sum[k] * sum[k] / Double(n * n)).squareRoot()) }
        }

        /// f(x) = W₂ · tanh(W₁ · x + b₁) for one input x [d]; returns [o].
        func forward(_ x: ArraySlice<Float>) -> [Float] {
            var hidden = b1
            for j in 0..<h {
                for i in 0..<d { hidden[j] += w1[j * d + i] * x[x.startIndex + i] }
                hidden[j] = tanh(hidden[j])
            }
            var out = [Float](repeating: 0, count: o)
            for k in 0..<o {
                for j in 0..<h { out[k] += w2[k * h + j] * hidden[j] }
            }
            return out
        }
    }
}
