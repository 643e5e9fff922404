import Experiments

/// A claim of a paper tested on a study's runs: the per-seed effect's mean, its 95 %
/// Student-t interval, the one-sided p-values behind the verdict, and the verdict before and
/// after Holm's adjustment over the study's claims (`Verdict`, `Holm`).
public struct ClaimResult: Sendable {
    /// What the paper claims, in one sentence.
    public let claim: String
    /// The paper, figure or table.
    public let citation: String
    /// How the effect is computed; positive means the claim holds.
    public let effect: String
    /// Seeds (or seed pairs) behind the effect.
    public let n: Int
    public let mean: Double
    /// The 95 % interval of the mean effect.
    public let interval: (low: Double, high: Double)
    /// How the interval was computed, e.g. "paired t, 95 %".
    public let method: String
    /// δ of a tie (non-inferiority) claim, in the effect's units; nil for a directional claim.
    public let margin: Double?
    /// Where δ comes from, e.g. "0.02 (declared)" or "5 % of the rival's mean".
    public let marginNote: String?
    /// Interquartile mean of the per-seed effects, when there are ≥ 5.
    public let interquartileMean: Double?
    /// One-sided p-values for and against the claim.
    public let pHeld: Double
    public let pNotHeld: Double
    /// The verdict of this claim alone.
    public let verdict: Verdict
    /// The verdict after Holm's adjustment over the study's claims (set by `StudyClaims`).
    public internal(set) var holmVerdict: Verdict

    init(claim: String, citation: String, effect: String, n: Int, mean: Double, interval: (low: Double, high: Double),
         method: String, margin: (value: Double, note: String)?, interquartileMean: Double?, pHeld: Double, pNotHeld: Double) {
        self.claim = claim
        self.citation = citation
        self.effect = effect
        self.n = n
        self.mean = mean
        self.interval = interval
        self.method = method
        self.margin = margin?.value
        marginNote = margin?.note
        self.interquartileMean = interquartileMean
        self.pHeld = pHeld
        self.pNotHeld = pNotHeld
        verdict = Verdict(pHeld: pHeld, pNotHeld: pNotHeld)
        holmVerdict = verdict
    }

    init(claim: String, citation: String, effect: String, interval t: StudentTInterval, method: String,
         margin: (value: Double, note: String)?, perSeed: [Double], pHeld: Double, pNotHeld: Double) {
        self.init(claim: claim, citation: citation, effect: effect, n: t.n, mean: t.mean, interval: (t.low, t.high),
                  method: method, margin: margin,
                  interquartileMean: perSeed.count >= 5 ? Statistics.interquartileMean(perSeed) : nil,
                  pHeld: pHeld, pNotHeld: pNotHeld)
    }

    /// A correlation claim, "ρ > 0": `rho`'s value, its Fisher-transform interval and
    /// one-sided p-values (`SpearmanCorrelation`); n counts runs, not seeds.
    init(claim: String, citation: String, effect: String, correlation rho: SpearmanCorrelation) {
        self.init(claim: claim, citation: citation, effect: effect, n: rho.n, mean: rho.rho, interval: (rho.low, rho.high),
                  method: rho.strata > 1 ? "Spearman ρ within \(rho.strata) strata, Fisher z (se 1.06/√(n−\(rho.strata + 2))), 95 %"
                      : "Spearman ρ, Fisher z (se 1.06/√(n−3)), 95 %", margin: nil, interquartileMean: nil,
                  pHeld: rho.pPositive, pNotHeld: rho.pNegative)
    }

    /// A directional claim: the mean of `perSeed` (one effect per seed, or per seed pair when
    /// `paired`) is above zero.
    public init(claim: String, citation: String, effect: String, perSeed: [Double], paired: Bool) {
        let t = StudentTInterval(perSeed)
        self.init(claim: claim, citation: citation, effect: effect, interval: t,
                  method: (paired ? "paired t" : "one-sample t") + ", 95 %", margin: nil, perSeed: perSeed,
                  pHeld: t.pAbove(0), pNotHeld: t.pBelow(0))
    }

    /// A tie claim, "`best` is best or tied-best": for every rival r the per-seed paired
    /// difference best − r (oriented so that higher is better) must lie above −δ.
    ///
    /// *held* when every rival's 95 % paired-t interval lies above −δ (an intersection–union
    /// test: p_held is the largest of the rivals' one-sided p-values); *not held* when some
    /// rival's difference lies below −δ with Bonferroni over the k rivals (p_not_held = k ×
    /// the smallest one-sided p). The row shows the deciding rival: the one with the largest
    /// p_held, or for *not held* the one with the smallest p_not_held. δ is `margin` for an
    /// absolute margin, or `margin` × |that rival's mean| for a relative one. Returns nil
    /// without rivals or common seeds.
    public static func tiedBest(claim: String, citation: String, effect: String, best: [Int: Double],
                                rivals: [(name: String, values: [Int: Double])], margin: StudyMargin) -> ClaimResult? {
        let tests = rivals.compactMap { rival -> (name: String, diffs: [Double], t: StudentTInterval, delta: Double)? in
            let diffs = pairedDifferences(best, rival.values)
            guard !diffs.isEmpty else { return nil }
            let rivalMean = Statistics.mean(rival.values.values.map { $0 })
            let delta = margin.isRelative ? margin.value * Swift.abs(rivalMean) : margin.value
            return (rival.name, diffs, StudentTInterval(diffs), delta)
        }
        guard !tests.isEmpty else { return nil }
        let pHeldEach = tests.map { $0.t.pAbove(-$0.delta) }, pNotHeldEach = tests.map { $0.t.pBelow(-$0.delta) }
        let pHeld = pHeldEach.max()!, pNotHeld = Swift.min(1, Double(tests.count) * pNotHeldEach.min()!)
        let deciding = pNotHeld < 0.025 ? pNotHeldEach.firstIndex(of: pNotHeldEach.min()!)! : pHeldEach.firstIndex(of: pHeld)!
        let d = tests[deciding]
        let note = margin.isRelative ? "\(format(margin.value * 100)) % of \(d.name)'s mean" : "declared"
        return ClaimResult(claim: claim, citation: citation, effect: effect + " (vs \(d.name))", interval: d.t,
                           method: "paired t, 95 %; all \(tests.count) rivals must hold (IUT), not held Bonferroni × \(tests.count)",
                           margin: (d.delta, note), perSeed: d.diffs, pHeld: pHeld, pNotHeld: pNotHeld)
    }
}

/// a[s] − b[s] over the seeds s both have, in ascending seed order.
public func pairedDifferences(_ a: [Int: Double], _ b: [Int: Double]) -> [Double] {
    a.keys.filter { b[$0] != nil }.sorted().map { a[$0]! - b[$0]! }
}
