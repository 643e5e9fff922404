import Foundation

/// Ranks of a feature matrix Φ (N×d) from its singular values σ₁ ≥ … ≥ σ_r (r = min(N, d)).
/// Every rank is nil when Φ = 0 (σ₁ = 0), where each formula divides by zero.
///
/// | name | formula | source |
/// |---|---|---|
/// | `srank.delta<δ>` | least k with Σ_{i≤k} σ_i / Σ_i σ_i ≥ 1 − δ | Kumar et al. 2021, "Implicit under-parameterization" |
/// | `effective_rank` | exp(−Σ p_i log p_i), p_i = σ_i / Σσ (0·log 0 = 0) | Roy & Vetterli 2007 |
/// | `stable_rank` | ‖Φ‖²_F / ‖Φ‖²₂ = Σσ_i² / σ₁² | Rudelson & Vershynin 2007 |
/// | `numerical_rank` | #{σ_i > tol}, tol = σ₁ · max(N, d) · ε₃₂, ε₃₂ = 2⁻²³ | NumPy `matrix_rank` for float32 |
///
/// Other tools use "stable rank" for the 99%-singular-value count (that is `srank.delta0.01`
/// here) and sometimes apply srank to σ² (energy) rather than σ; see `docs/metrics.md`.
public struct FeatureRank: Sendable, Equatable {
    public let srank: Int?
    public let effectiveRank: Double?
    public let stableRank: Double?
    public let numericalRank: Int?
    /// The tolerance `numerical_rank` counted above (0 for Φ = 0).
    public let tolerance: Double

    /// Ranks from singular values (any order, non-negative) of an N×d matrix.
    public init(singularValues: [Double], rows: Int, columns: Int, delta: Double = 0.01) {
        let sigma = singularValues.sorted(by: >)
        let largest = sigma.first ?? 0
        let tolerance = largest * Double(Swift.max(rows, columns)) * Double(Float.ulpOfOne)
        self.tolerance = tolerance
        guard largest > 0 else {
            srank = nil; effectiveRank = nil; stableRank = nil; numericalRank = nil
            return
        }
        let total = sigma.reduce(0, +)
        var cumulative = 0.0, k = sigma.count
        for (i, s) in sigma.enumerated() {
            cumulative += s
            if cumulative >= (1 - delta) * total { k = i + 1; break }
        }
        srank = k
        var entropy = 0.0
        for s in sigma where s > 0 { let p = s / total; entropy -= p * log(p) }
        effectiveRank = exp(entropy)
        stableRank = sigma.reduce(0) { $0 + $1 * $1 } / (largest * largest)
        numericalRank = sigma.filter { $0 > tolerance }.count
    }
}
