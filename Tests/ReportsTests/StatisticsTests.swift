import Testing
@testable import Reports

/// Statistics against hand-computed values and the stated verdict rule.
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

    @Test func bootstrapIntervals() {
        let constant = Statistics.bootstrapInterval([[3, 3, 3]]) { Statistics.mean($0[0]) }
        #expect(constant.low == 3 && constant.high == 3)
        let sample = (0..<40).map { Double($0 % 10) }
        let ci = Statistics.bootstrapInterval([sample], seed: 1) { Statistics.mean($0[0]) }
        // Normal approximation: 4.5 ± 1.96 · 2.87/√40 ≈ [3.61, 5.39].
        #expect(ci.low > 3.4 && ci.low < 3.8 && ci.high > 5.2 && ci.high < 5.6)
        #expect(ci == Statistics.bootstrapInterval([sample], seed: 1) { Statistics.mean($0[0]) })
    }

    @Test func verdictRule() {
        #expect(Verdict(interval: (0.1, 0.3)) == .held)
        #expect(Verdict(interval: (-0.3, -0.1)) == .notHeld)
        #expect(Verdict(interval: (-0.1, 0.3)) == .inconclusive)
        #expect(Verdict(interval: (0, 0)) == .inconclusive)
    }

    @Test func niceTicksCoverTheRange() {
        let t = niceTicks(0.13, 0.97)
        #expect(t.first! <= 0.13 && t.last! >= 0.97 && t.count >= 4 && t.count <= 8)
    }
}
