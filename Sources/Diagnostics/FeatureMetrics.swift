import Tensors

/// The `features` group on the penultimate features Φ [N, d] (`DiagnosticContext.features`:
/// the output layer's input, flattened per example, not centred), from one SVD
/// (`LinearAlgebra.singularValuesDouble`, LAPACK `dgesdd` in Double):
///
/// | name | value |
/// |---|---|
/// | `srank.delta<δ>`, `effective_rank`, `stable_rank`, `numerical_rank` | see `FeatureRank`; null for Φ = 0 |
/// | `feature_norm` | (1/N) Σ_x ‖φ(x)‖₂ |
/// | `feature_variance` | (1/d) Σ_j Var_x(φ_j(x)), variance with ddof = 0 |
public func featureMetrics(features phi: Tensor, delta: Double = 0.01) throws -> DiagnosticValues {
    let n = phi.shape[0], d = phi.count / Swift.max(n, 1)
    let rank = FeatureRank(singularValues: try LinearAlgebra.singularValuesDouble(phi.data, rows: n, columns: d),
                           rows: n, columns: d, delta: delta)
    let x = phi.data
    var normSum = 0.0
    for i in 0..<n { normSum += sumOfSquares(x + i * d, d).squareRoot() }
    // Two passes (means, then squared deviations) so that large means do not cancel.
    var mean = [Double](repeating: 0, count: d), squares = mean
    mean.withUnsafeMutableBufferPointer { m in
        for i in 0..<n { let row = x + i * d; for j in 0..<d { m[j] += Double(row[j]) } }
        for j in 0..<d { m[j] /= Double(n) }
        squares.withUnsafeMutableBufferPointer { q in
            for i in 0..<n {
                let row = x + i * d
                for j in 0..<d { let c = Double(row[j]) - m[j]; q[j] += c * c }
            }
        }
    }
    let variance = squares.reduce(0, +) / Double(n)
    var values = DiagnosticValues()
    values.set("srank." + MetricNames.threshold("delta", delta), rank.srank.map(Double.init))
    values.set("effective_rank", rank.effectiveRank)
    values.set("stable_rank", rank.stableRank)
    values.set("numerical_rank", rank.numericalRank.map(Double.init))
    values.set("feature_norm", normSum / Double(n))
    values.set("feature_variance", variance / Double(d))
    return values
}
