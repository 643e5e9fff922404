import Testing
import Tensors
@testable import Diagnostics

@Suite struct ChurnAndPersistenceTests {
    @Test func churnIsTheMeanAbsoluteOutputChange() {
        let before = Tensor(shape: Shape(2, 2), values: [1, 2, 3, 4])
        let after = Tensor(shape: Shape(2, 2), values: [1.5, 2, 1, 4])
        let expected: Double = 2.5 / 4
        #expect(outputChurn(before: before, after: after) == expected)
    }

    @Test func dormantAgainCountsEachResetUnitOnce() {
        #expect(dormantAgainFraction(reset: [3, 1, 3, 7], dormant: [0, 1, 2, 3]) == 2.0 / 3)
        #expect(dormantAgainFraction(reset: [], dormant: [1]) == nil)
    }

    @Test func thresholdNames() {
        #expect(MetricNames.threshold("tau", 0) == "tau0")
        #expect(MetricNames.threshold("tau", 0.025) == "tau0.025")
        #expect(MetricNames.threshold("delta", 0.01) == "delta0.01")
    }
}
