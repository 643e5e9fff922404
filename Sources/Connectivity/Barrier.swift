/// Barriers of a curve sampled along a linear path.
///
/// Loss barrier (Frankle et al. 2020; Adilova et al. 2024, ICLR, "Layer-wise Linear Mode
/// Connectivity", Def. 1):
/// `B = max_α [ L(θ(α)) − ((1−α)·L(θ(0)) + α·L(θ(1))) ]`, the largest excess of the curve
/// over the chord between its endpoints. For the whole network θ(0) = θ_A and θ(1) = θ_B; for
/// a layer-wise path the endpoints are the path's own (others fixed at A or at B). Since α = 0
/// and α = 1 are on the grid, B ≥ 0 up to rounding; B ≈ 0 means linearly connected, and a
/// convex loss gives B = 0.
///
/// Accuracy barrier: the same with the sign flipped, so that a drop in accuracy is positive:
/// `B_acc = max_α [ ((1−α)·A(θ(0)) + α·A(θ(1))) − A(θ(α)) ]`.
public enum Barrier {
    /// The loss barrier of `values` sampled at `alphas` (ascending, first 0 and last 1) and
    /// the α where it is attained. The chord is evaluated as L₀ + α(L₁ − L₀), which equals
    /// L₀ exactly when L₁ = L₀, so a constant curve has a barrier of exactly 0.
    public static func loss(alphas: [Double], values: [Double]) -> (value: Double, alpha: Double) {
        precondition(alphas.count == values.count && !values.isEmpty, "Barrier: \(alphas.count) alphas for \(values.count) values")
        let first = values[0], last = values[values.count - 1]
        var best = -Double.infinity, at = alphas[0]
        for (alpha, v) in zip(alphas, values) {
            let excess = v - (first + alpha * (last - first))
            if excess > best { best = excess; at = alpha }
        }
        return (best, at)
    }

    /// The paper's layer-wise averaging barrier (Adilova et al. 2024, layer-wise heatmaps):
    /// `L(θ(α*)) − ((1−α*)·L(θ_A) + α*·L(θ_B))` at the grid point α* nearest ½, against the
    /// whole network's endpoint losses `endpoints` rather than the path's own. For a single
    /// layer it asks whether averaging that layer alone costs more than the chord of A and B.
    public static func midpoint(alphas: [Double], values: [Double], endpoints: (a: Double, b: Double)) -> Double {
        precondition(alphas.count == values.count && !values.isEmpty, "Barrier: \(alphas.count) alphas for \(values.count) values")
        let i = alphas.indices.min { abs(alphas[$0] - 0.5) < abs(alphas[$1] - 0.5) }!
        return values[i] - (endpoints.a + alphas[i] * (endpoints.b - endpoints.a))
    }

    /// The accuracy barrier (a drop below the chord is positive) and where it is attained.
    public static func accuracy(alphas: [Double], values: [Double]) -> (value: Double, alpha: Double) {
        loss(alphas: alphas, values: values.map { -$0 })
    }
}
