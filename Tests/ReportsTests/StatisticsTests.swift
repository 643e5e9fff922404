import Testing
@testable import Reports
import Experiments

/// Statistics against hand-computed values and SciPy 1.17.1 (numbers computed once with
/// `scipy.stats`, written here): t and normal distributions, the Student-t interval and
/// p-values, BCa bootstrap intervals, Holm's adjustment and the tie rule.
@Suite struct StatisticsTests {
    @Test func meanSdSeAndQuantiles() {
        let x = [2.0, 4, 4, 4, 5, 5, 7, 9]
        #expect(Statistics.mean(x) == 5)
        #expect(abs(Statistics.standardDeviation(x) - (32.0 / 7).squareRoot()) < 1e-12)
        #expect(abs(Statistics.standardError(x) - (32.0 / 7).squareRoot() / 8.0.squareRoot()) < 1e-12)
        #expect(Statistics.quantile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(Statistics.quantile([1, 2, 3, 4], 0.25) == 1.75)
    }

    @Test func interquartileMean() {
        // Middle half of 1…8 is 3, 4, 5, 6.
        #expect(Statistics.interquartileMean([8, 1, 7, 2, 6, 3, 5, 4]) == 4.5)
        // n = 5: quartiles at 1.25 and 3.75 → weights 0.75, 1, 0.75 on 2, 3, 4.
        #expect(abs(Statistics.interquartileMean([1, 2, 3, 4, 100]) - (0.75 * 2 + 3 + 0.75 * 4) / 2.5) < 1e-12)
    }

    @Test func distributionsMatchSciPy() {
        // scipy.stats.t.ppf(0.975, df), t.cdf(1.3, df)
        let reference: [(df: Double, q: Double, cdf: Double)] = [
            (1, 12.706204736174694, 0.7912855998398473), (2, 4.302652729749462, 0.8383764840919798),
            (4, 2.7764451051977934, 0.868274201764388), (9, 2.262157162798205, 0.8870468136634754),
            (19, 2.0930240544083087, 0.8954242498513361),
        ]
        for r in reference {
            #expect(abs(Distributions.studentTQuantile(0.975, degreesOfFreedom: r.df) - r.q) < 1e-9 * r.q)
            #expect(abs(Distributions.studentTCDF(1.3, degreesOfFreedom: r.df) - r.cdf) < 1e-12)
            #expect(abs(Distributions.studentTCDF(-1.3, degreesOfFreedom: r.df) - (1 - r.cdf)) < 1e-12)
        }
        #expect(abs(Distributions.normalQuantile(0.025) - -1.9599639845400545) < 1e-12)
        #expect(abs(Distributions.normalCDF(-1.1) - 0.13566606094638267) < 1e-14)
        #expect(abs(Distributions.regularizedIncompleteBeta(0.3, 2.5, 0.5) - 0.018927124071945658) < 1e-14)
    }

    @Test func studentTIntervalMatchesSciPy() {
        // scipy.stats.ttest_1samp(x, 0).confidence_interval(0.95); one-sided p-values.
        let x = [0.12, 0.31, -0.05, 0.22, 0.18, 0.40, 0.09]
        let t = StudentTInterval(x)
        #expect(t.n == 7 && abs(t.mean - 0.18142857142857147) < 1e-15)
        #expect(abs(t.low - 0.04451926695236344) < 1e-12 && abs(t.high - 0.31833787590477947) < 1e-12)
        #expect(abs(t.pAbove(0) - 0.008814820742009831) < 1e-10)       // alternative="greater"
        #expect(abs(t.pBelow(0.3) - 0.039186736480531725) < 1e-10)     // H0 μ ≥ 0.3, alternative="less"
        // ttest_rel(a, b).confidence_interval(0.95): the paired interval is the one-sample one of a − b.
        let a = [0.91, 0.88, 0.95, 0.90, 0.93], b = [0.89, 0.90, 0.92, 0.86, 0.94]
        let paired = StudentTInterval(zip(a, b).map { $0 - $1 })
        #expect(abs(paired.low - -0.020139675707319872) < 1e-12 && abs(paired.high - 0.04413967570731989) < 1e-12)
        // Degenerate cases: one value has no interval; identical values give a point.
        #expect(StudentTInterval([1]).low.isNaN && StudentTInterval([1]).pAbove(0) == 1)
        let constant = StudentTInterval([0.5, 0.5, 0.5])
        #expect(constant.low == 0.5 && constant.high == 0.5 && constant.pAbove(0) == 0 && constant.pBelow(0) == 1)
    }

    @Test func bcaMatchesSciPy() {
        // scipy.stats.bootstrap(..., method="BCa", n_resamples=200000): Monte Carlo differs between
        // the two generators, so endpoints agree to 2 % of the interval's width.
        let y = [1.2, 3.4, 0.7, 2.2, 5.9, 1.1, 0.4, 2.8, 7.5, 1.9], z = [0.3, 0.1, 0.8, 0.5, 0.2, 0.9]
        let one = BCaBootstrap.interval([y], resamples: 200_000, seed: 3) { Statistics.mean($0[0]) }
        let width = 4.470000000000001 - 1.62
        #expect(abs(one.low - 1.62) < 0.02 * width && abs(one.high - 4.470000000000001) < 0.02 * width)
        let two = BCaBootstrap.interval([y, z], resamples: 200_000, seed: 4) { Statistics.mean($0[0]) - Statistics.mean($0[1]) }
        let width2 = 4.01 - 1.123333333333333
        #expect(abs(two.low - 1.123333333333333) < 0.02 * width2 && abs(two.high - 4.01) < 0.02 * width2)
        // BCa is not the percentile interval here: the mean of a right-skewed sample shifts right.
        let mean = Statistics.mean(y)
        #expect(one.high - mean > 1.5 * (mean - one.low) && one == BCaBootstrap.interval([y], resamples: 200_000, seed: 3) { Statistics.mean($0[0]) })
        let constant = BCaBootstrap.interval([[2, 2, 2]]) { Statistics.mean($0[0]) }
        #expect(constant.low == 2 && constant.high == 2)
    }

    @Test func verdictsAndHolm() {
        #expect(Verdict(pHeld: 0.01, pNotHeld: 0.99) == .held)
        #expect(Verdict(pHeld: 0.99, pNotHeld: 0.01) == .notHeld)
        #expect(Verdict(pHeld: 0.03, pNotHeld: 0.97) == .inconclusive)
        // Two-sided p = 0.004, 0.02, 0.03, 0.8 against 0.05/4, 0.05/3, 0.05/2, 0.05:
        // the first is rejected, the second (0.02 > 0.0167) stops the procedure.
        let holm = Holm.verdicts(pHeld: [0.002, 0.99, 0.015, 0.4], pNotHeld: [0.998, 0.01, 0.985, 0.6])
        #expect(holm == [.held, .inconclusive, .inconclusive, .inconclusive])
        let all = Holm.verdicts(pHeld: [0.001, 0.999, 0.002], pNotHeld: [0.999, 0.001, 0.998])
        #expect(all == [.held, .notHeld, .held])
    }

    @Test func directionalClaimsOnSeparatedSamples() {
        let up = ClaimResult(claim: "c", citation: "s", effect: "e", perSeed: [0.30, 0.28, 0.35, 0.31, 0.29], paired: true)
        #expect(up.verdict == .held && up.n == 5 && up.method == "paired t, 95 %" && up.interquartileMean != nil)
        let down = ClaimResult(claim: "c", citation: "s", effect: "e", perSeed: [-0.30, -0.28, -0.35, -0.31, -0.29], paired: false)
        #expect(down.verdict == .notHeld && down.method == "one-sample t, 95 %")
        let noisy = ClaimResult(claim: "c", citation: "s", effect: "e", perSeed: [0.3, -0.2, 0.1, -0.3, 0.2], paired: true)
        #expect(noisy.verdict == .inconclusive)
    }

    @Test func tieClaims() {
        let seeds = 0..<5
        func values(_ f: (Int) -> Double) -> [Int: Double] { Dictionary(uniqueKeysWithValues: seeds.map { ($0, f($0)) }) }
        let margin = StudyMargin(value: 0.02, isRelative: false)
        // Identical seeds: A − r = 0 exactly on every seed, which lies above −δ.
        let same = values { 0.9 + 0.01 * Double($0) }
        let tie = ClaimResult.tiedBest(claim: "c", citation: "s", effect: "e", best: same, rivals: [("r", same)], margin: margin)!
        #expect(tie.verdict == .held && tie.mean == 0 && tie.margin == 0.02 && tie.n == 5)
        // A clearly ahead of one rival, tied with the other within δ.
        let behind = values { 0.5 + 0.01 * Double($0) }, close = values { 0.895 + 0.01 * Double($0) + 0.002 * Double($0 % 2) }
        let ahead = ClaimResult.tiedBest(claim: "c", citation: "s", effect: "e", best: same, rivals: [("behind", behind), ("close", close)], margin: margin)!
        #expect(ahead.verdict == .held && ahead.effect.contains("vs close"))
        // A rival ahead by 0.1 ≫ δ on every seed: not held, and the row names that rival.
        let better = values { 1.0 + 0.01 * Double($0) + 0.003 * Double($0 % 2) }
        let lost = ClaimResult.tiedBest(claim: "c", citation: "s", effect: "e", best: same, rivals: [("behind", behind), ("better", better)], margin: margin)!
        #expect(lost.verdict == .notHeld && lost.effect.contains("vs better") && lost.interval.high < -0.02)
        // A rival ahead by about δ: inconclusive.
        let edge = values { 0.92 + 0.01 * Double($0) + 0.02 * Double($0 % 2) - 0.01 }
        #expect(ClaimResult.tiedBest(claim: "c", citation: "s", effect: "e", best: same, rivals: [("edge", edge)], margin: margin)!.verdict == .inconclusive)
        // A relative margin scales with the rival's mean: 5 % of 2.0 = 0.1.
        let loss = values { -2.0 - 0.01 * Double($0) }, rivalLoss = values { -1.95 - 0.01 * Double($0) - 0.001 * Double($0 % 2) }
        let relative = ClaimResult.tiedBest(claim: "c", citation: "s", effect: "e", best: loss, rivals: [("r", rivalLoss)],
                                            margin: StudyMargin(value: 0.05, isRelative: true))!
        #expect(relative.verdict == .held && abs(relative.margin! - 0.05 * 1.9704) < 1e-9)
    }

    @Test func niceTicksCoverTheRange() {
        let t = niceTicks(0.13, 0.97)
        #expect(t.first! <= 0.13 && t.last! >= 0.97 && t.count >= 4 && t.count <= 8)
    }
}
