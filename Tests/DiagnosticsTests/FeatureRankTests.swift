import Foundation
import Testing
import Tensors
@testable import Diagnostics

@Suite struct FeatureRankTests {
    /// Φ = U diag(σ) Vᵀ with orthonormal U (N×r) and V (d×r) from `LinearAlgebra.orthogonal`.
    static func matrix(sigma: [Double], rows n: Int, columns d: Int, seed: UInt64) throws -> Tensor {
        let r = sigma.count
        var rng = RandomGenerator(seed: seed)
        var u = [Float](repeating: 0, count: n * r), v = [Float](repeating: 0, count: d * r)
        try u.withUnsafeMutableBufferPointer { try LinearAlgebra.orthogonal(rows: n, columns: r, gain: 1, rng: &rng, into: $0.baseAddress!) }
        try v.withUnsafeMutableBufferPointer { try LinearAlgebra.orthogonal(rows: d, columns: r, gain: 1, rng: &rng, into: $0.baseAddress!) }
        let phi = Tensor(shape: Shape(n, d))
        for i in 0..<n {
            for j in 0..<d {
                var s = 0.0
                for k in 0..<r { s += Double(u[i * r + k]) * sigma[k] * Double(v[j * r + k]) }
                phi[i, j] = Float(s)
            }
        }
        return phi
    }

    static let sigma = [4.0, 2, 1, 0.5, 0.25, 0.25]

    @Test func ranksOfAMatrixWithKnownSingularValues() throws {
        let phi = try Self.matrix(sigma: Self.sigma, rows: 20, columns: 12, seed: 3)
        let values = try featureMetrics(features: phi, delta: 0.01)
        // Σσ = 8; cumulative ratios 0.5, 0.75, 0.875, 0.9375, 0.96875, 1: the 99% count is 6.
        #expect(values["srank.delta0.01"] == 6)
        #expect(try featureMetrics(features: phi, delta: 0.1)["srank.delta0.1"] == 4)
        let p = Self.sigma.map { $0 / 8 }
        let effective = exp(-p.map { $0 * log($0) }.reduce(0, +))
        #expect(abs(values["effective_rank"]! - effective) < 1e-5 * effective)
        let stable = (16 + 4 + 1 + 0.25 + 0.0625 + 0.0625) / 16.0
        #expect(abs(values["stable_rank"]! - stable) < 1e-5)
        // Float32 rounding of Φ leaves the 6 zero singular values below σ₁·max(N,d)·2⁻²³.
        #expect(values["numerical_rank"] == 6)
    }

    @Test func numericalRankToleranceIsStated() {
        let rank = FeatureRank(singularValues: [3, 1, 1e-9], rows: 10, columns: 3)
        #expect(rank.tolerance == 3 * 10 * Double(Float.ulpOfOne))
        #expect(rank.numericalRank == 2 && rank.srank == 2)
    }

    @Test func zeroMatrixHasNullRanks() throws {
        let values = try featureMetrics(features: Tensor(shape: Shape(5, 4)))
        for name in ["srank.delta0.01", "effective_rank", "stable_rank", "numerical_rank"] {
            #expect(values.entries.contains { $0.name == name && $0.value == nil })
        }
        #expect(values["feature_norm"] == 0 && values["feature_variance"] == 0)
    }

    @Test func featureNormAndVarianceMatchDouble() throws {
        let phi = ReferenceMath.normal(Shape(9, 7), seed: 5)
        for i in 0..<phi.count { phi.data[i] += 3 }
        let rows = ReferenceMath.rows(phi)
        let norm = ReferenceMath.mean(rows.map { $0.map { $0 * $0 }.reduce(0, +).squareRoot() })
        let variance = ReferenceMath.mean((0..<7).map { ReferenceMath.std(ReferenceMath.column(rows, $0)) }.map { $0 * $0 })
        let values = try featureMetrics(features: phi)
        #expect(abs(values["feature_norm"]! - norm) < 1e-12)
        #expect(abs(values["feature_variance"]! - variance) < 1e-12)
    }
}
