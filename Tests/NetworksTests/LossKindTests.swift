import Testing
@testable import Networks

/// Loss names: one parser for configs and the CLI, and its inverse.
@Suite struct LossKindTests {
    @Test func everyNameReadsBackToItself() throws {
        for name in LossKind.names { #expect(try LossKind(name: name).name == name) }
    }

    @Test func parametersReachTheirLoss() throws {
        #expect(try LossKind(name: "cross-entropy", labelSmoothing: 0.1) == .crossEntropy(labelSmoothing: 0.1))
        #expect(try LossKind(name: "huber", delta: 2) == .huber(delta: 2))
        #expect(try LossKind(name: "hl-gauss", minimum: -5, maximum: 5, bins: 11, sigma: 0.3)
                == .distributional(.hlGauss(sigma: 0.3), minimum: -5, maximum: 5, bins: 11))
        #expect(try LossKind(name: "two-hot", bins: 7).outputCount(targetWidth: 3) == 21)
    }

    @Test func anUnknownNameIsOneLineNamingTheKnownOnes() {
        #expect(throws: LossNameError(name: "l1")) { try LossKind(name: "l1") }
        #expect(LossNameError(name: "l1").description == "unknown loss 'l1' (known: cross-entropy, mse, huber, two-hot, hl-gauss)")
    }
}
