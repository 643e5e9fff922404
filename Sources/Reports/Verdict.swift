/// How a measured effect relates to its claim, by the rule every report states.
///
/// A claim is a one-sided hypothesis about a per-seed effect against a null value μ₀: 0 for
/// a directional claim ("A is larger than B"), −δ for a non-inferiority claim ("A is best or
/// tied-best within δ"). *held* when the 95 % interval lies above μ₀ (one-sided p < 0.025),
/// *not held* when it lies below μ₀ for a directional claim, or entirely below −δ for a
/// tie claim, *inconclusive* otherwise.
public enum Verdict: String, Sendable {
    case held, notHeld = "not held", inconclusive

    /// The verdict from one-sided p-values for and against the claim, each judged at 0.025
    /// (the two tails of a 95 % interval).
    public init(pHeld: Double, pNotHeld: Double) {
        if pHeld < 0.025 { self = .held } else if pNotHeld < 0.025 { self = .notHeld } else { self = .inconclusive }
    }
}

/// Holm's step-down adjustment (Holm 1979) of a family of claims at family-wise error 0.05.
///
/// Each claim's p-value is two-sided, p = min(1, 2 · min(p_held, p_not_held)); sorted
/// ascending, the k-th smallest (k = 0, 1, …) is rejected when p_(k) ≤ 0.05 / (m − k) and
/// every smaller one was; a rejected claim keeps its direction (held or not held), the rest
/// are inconclusive. The adjusted verdict controls the chance of any wrong held / not held
/// among the m claims of a study at 5 %, however they depend on each other.
public enum Holm {
    public static func verdicts(pHeld: [Double], pNotHeld: [Double], alpha: Double = 0.05) -> [Verdict] {
        precondition(pHeld.count == pNotHeld.count, "Holm: one p-value pair per claim")
        let m = pHeld.count
        let p = zip(pHeld, pNotHeld).map { Swift.min(1, 2 * Swift.min($0, $1)) }
        var out = [Verdict](repeating: .inconclusive, count: m)
        for (rank, i) in p.indices.sorted(by: { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }).enumerated() {
            guard p[i] <= alpha / Double(m - rank) else { break }
            out[i] = pHeld[i] <= pNotHeld[i] ? .held : .notHeld
        }
        return out
    }
}
