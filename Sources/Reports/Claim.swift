/// A claim of a paper tested on a study's runs: the measured effect across seeds, its 95 %
/// bootstrap interval and the verdict by the rule in `Verdict`.
public struct ClaimResult: Sendable {
    /// What the paper claims, in one sentence.
    public let claim: String
    /// The paper, figure or table.
    public let citation: String
    /// How the effect is computed; positive means the claim holds.
    public let effect: String
    public let mean: Double
    public let interval: (low: Double, high: Double)
    /// Interquartile mean across seeds, when there are ≥ 5 seeds.
    public let interquartileMean: Double?
    public let seeds: Int
    public let verdict: Verdict

    public init(claim: String, citation: String, effect: String, mean: Double, interval: (low: Double, high: Double),
                interquartileMean: Double?, seeds: Int) {
        self.claim = claim
        self.citation = citation
        self.effect = effect
        self.mean = mean
        self.interval = interval
        self.interquartileMean = interquartileMean
        self.seeds = seeds
        verdict = Verdict(interval: interval)
    }

    /// The effect of one group of per-seed values: mean, bootstrap interval of the mean, IQM.
    public init(claim: String, citation: String, effect: String, perSeed: [Double], seed: UInt64) {
        self.init(claim: claim, citation: citation, effect: effect, mean: Statistics.mean(perSeed),
                  interval: Statistics.bootstrapInterval([perSeed], seed: seed) { Statistics.mean($0[0]) },
                  interquartileMean: perSeed.count >= 5 ? Statistics.interquartileMean(perSeed) : nil, seeds: perSeed.count)
    }
}
