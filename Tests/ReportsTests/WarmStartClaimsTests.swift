import Foundation
import Testing
import Experiments
@testable import Reports

/// The warm-start study's claims on synthetic runs with known test accuracies.
@Suite struct WarmStartClaimsTests {
    /// Task 1 test accuracy per variant and seed: scratch beats warm start by 0.03 + 0.01·seed,
    /// shrink & perturb is 0.01 below warm start on every seed.
    @Test func gapsArePairedBySeed() throws {
        let text = StudyPresets.named("warm-start")!
        let plan = try StudyPlan(text: text, file: "warm-start.toml", scale: "quick", seeds: 3)
        let dir = try writeFakeStudy(plan, name: "warm") { run in
            let warm = 0.80 + 0.02 * Double(run.seed)
            let accuracy = switch run.variant {
            case "scratch": warm + 0.03 + 0.01 * Double(run.seed)
            case "shrink & perturb": warm - 0.01
            default: warm
            }
            return (0..<2).map { "{\"event\": \"task_end\", \"task\": \($0), \"test_accuracy\": \($0 == 0 ? 0.7 : accuracy)}" }
        }
        let claims = StudyClaims.evaluate(try StudyResults(plan: plan, directory: dir))
        #expect(claims.count == 2)
        #expect(claims[0].verdict == .held && abs(claims[0].mean - 0.04) < 1e-9 && claims[0].n == 3)
        #expect(claims[1].verdict == .notHeld && abs(claims[1].mean + 0.01) < 1e-9)
    }
}
