/// Dormancy (Sokar et al. 2023, "The dormant neuron phenomenon in deep RL"): a unit's score
/// is its activity divided by the layer's mean activity,
/// `s_i = a_i / ((1/H) Σ_k a_k)` with `a_i = mean_x |h_i(x)|`, and the unit is τ-dormant when
/// `s_i ≤ τ`. A layer whose activities are all zero has every score 0, so all its units are
/// dormant for every τ ≥ 0. With τ = 0 a unit is dormant exactly when a_i = 0, i.e. dead.
///
/// The same normalisation of per-unit gradient norms gives gradient dormancy
/// (`GradientDormancy`).
public enum DormancyScores {
    /// s_i = a_i / mean(a); all zeros when mean(a) = 0.
    public static func normalized(_ activity: [Double]) -> [Double] {
        let mean = activity.reduce(0, +) / Double(Swift.max(activity.count, 1))
        return mean > 0 ? activity.map { $0 / mean } : activity.map { _ in 0 }
    }

    /// Indices i with s_i ≤ τ, ascending.
    public static func dormant(_ activity: [Double], threshold: Double) -> [Int] {
        let scores = normalized(activity)
        return scores.indices.filter { scores[$0] <= threshold }
    }
}
