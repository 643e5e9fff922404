import Foundation
import Testing
import Experiments
@testable import Reports

/// Manipulation checks (`[[checks]]`): judged on every seed, shown before the claims, and a
/// failed one withholds every verdict.
@Suite struct ManipulationCheckTests {
    /// The declared-claims study plus one check on the baseline's training accuracy at the
    /// end of task 2, which is 1 − 0.1 (s + 1) = 0.9, 0.8, 0.7 for seeds 0, 1, 2.
    static func study(atLeast: Double) -> String {
        DeclaredClaimsTests.study + """

            [[checks]]
            check = "The baseline fits task 2."
            group = "random labels"
            variant = "baseline"
            metric = "train_accuracy"
            task = 2
            at_least = \(atLeast)
            """
    }

    @Test func aPassingCheckLeavesTheVerdicts() throws {
        let (plan, dir) = try DeclaredClaimsTests.makeStudy(Self.study(atLeast: 0.5))
        let report = StudyReport(results: try StudyResults(plan: plan, directory: dir))
        let check = try #require(report.checks.first)
        #expect(check.passed && report.checksPassed)
        #expect(check.values.keys.sorted() == [0, 1, 2] && abs(check.values[2]! - 0.7) < 1e-12)
        #expect(check.summary == "passed: train_accuracy at the end of task 2 ≥ 0.5 on 3 of 3 seeds (min 0.7, max 0.9)")
        #expect(report.summaryText().contains("HELD          (Holm: held)"), "\(report.summaryText())")
    }

    @Test func aFailedCheckWithholdsEveryVerdict() throws {
        let (plan, dir) = try DeclaredClaimsTests.makeStudy(Self.study(atLeast: 0.75))
        let report = StudyReport(results: try StudyResults(plan: plan, directory: dir))
        #expect(!report.checksPassed)
        #expect(report.checks[0].summary == "FAILED: train_accuracy at the end of task 2 ≥ 0.75 on 2 of 3 seeds (min 0.7, max 0.9)")
        let text = report.summaryText()
        #expect(text.contains("A MANIPULATION CHECK FAILED") && text.contains("WITHHELD") && !text.contains("\nHELD "), "\(text)")
        try report.write(to: dir)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<table id=\"checks\">") && html.components(separatedBy: ">withheld</td>").count - 1 == 6)
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("| The baseline fits task 2. | random labels | baseline | **FAILED: train_accuracy") && !md.contains("**held**"))
    }

    @Test func aCheckNeedsExactlyOneBound() {
        let text = Self.study(atLeast: 0.5) + "\nat_most = 0.9\n"
        #expect(throws: ConfigError(file: "declared.toml", "[[checks]] 1 needs exactly one number, at_least or at_most")) {
            try StudyPlan(text: text, file: "declared.toml", scale: "quick")
        }
    }
}
