import Foundation
import Testing
import Experiments
@testable import Reports

/// Declared claims (`[[claims]]`): fresh-referenced and trend effects, computed by hand on a
/// tiny fixed study, equal the report's; task 1 never enters them.
@Suite struct DeclaredClaimsTests {
    static let study = """
        name = "declared"
        title = "Declared claims"
        claim = "c"
        source = "s"
        seeds = 3
        [[groups]]
        label = "random labels"
        [groups.config.stream]
        protocol = "random-labels"
        [[variants]]
        label = "baseline"
        [[variants]]
        label = "fresh"
        [[claims]]
        kind = "fresh-referenced"
        claim = "The baseline fits each new task's probe worse than a fresh network."
        citation = "Lyle et al. 2023"
        group = "random labels"
        variant = "baseline"
        metric = "probe.loss"
        fresh_metric = "probe.loss_fresh"
        [[claims]]
        kind = "fresh-referenced"
        claim = "The baseline fits each new task worse than a network trained on it from scratch."
        citation = "Lyle et al. 2024"
        group = "random labels"
        variant = "baseline"
        metric = "train_accuracy"
        fresh_variant = "fresh"
        higher_is_better = true
        [[claims]]
        kind = "trend"
        claim = "The baseline's training accuracy falls from task to task."
        citation = "Dohare et al. 2024"
        group = "random labels"
        variant = "baseline"
        metric = "train_accuracy"
        higher_is_better = true
        """

    /// Seeds s = 0, 1, 2 and tasks k = 1…4. Baseline: probe.loss = 0.2 + 0.1 k + 0.02 s,
    /// probe.loss_fresh = 0.2 + 0.01 s, train_accuracy = 1 − 0.05 (s + 1) k; fresh variant:
    /// train_accuracy = 0.95. Task 1 gets absurd values that must not matter.
    static func makeStudy(_ text: String = study) throws -> (StudyPlan, URL) {
        let plan = try StudyPlan(text: text, file: "declared.toml", scale: "quick")
        let dir = try writeFakeStudy(plan, name: "declared", summary: "{\"status\": \"finished\"}") { run in
            let s = Double(run.seed)
            return (1...4).map { k -> String in
                let task = Double(k)
                let accuracy = k == 1 ? 7.0 : run.variant == "baseline" ? 1 - 0.05 * (s + 1) * task : 0.95
                let probe = k == 1 ? 99.0 : 0.2 + 0.1 * task + 0.02 * s
                let fresh = k == 1 ? -99.0 : 0.2 + 0.01 * s
                return "{\"event\": \"task_end\", \"task\": \(k), \"train_accuracy\": \(accuracy), \"probe.loss\": \(probe), \"probe.loss_fresh\": \(fresh)}"
            }
        }
        return (plan, dir)
    }

    /// mean ± t(0.975, 2) · sd / √3 of three per-seed effects.
    func expect(_ c: ClaimResult, perSeed: [Double], _ comment: Comment) {
        let mean = perSeed.reduce(0, +) / 3
        let sd = (perSeed.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
        let half = 4.302652729911275 * sd / 3.0.squareRoot()
        #expect(c.n == 3 && abs(c.mean - mean) < 1e-12, comment)
        #expect(abs(c.interval.low - (mean - half)) < 1e-9 && abs(c.interval.high - (mean + half)) < 1e-9, comment)
    }

    @Test func effectsComputedByHandEqualTheReports() throws {
        let (plan, dir) = try Self.makeStudy()
        #expect(plan.declaredClaims.map(\.kind) == [.freshReferenced, .freshReferenced, .trend])
        let report = StudyReport(results: try StudyResults(plan: plan, directory: dir))
        try #require(report.claims.count == 3)
        // (probe.loss − probe.loss_fresh) at task k = 0.1 k + 0.01 s; mean over k = 2, 3, 4.
        expect(report.claims[0], perSeed: [0.30, 0.31, 0.32], "fresh metric")
        #expect(report.claims[0].effect == "baseline probe.loss − probe.loss_fresh, mean over tasks 2–T")
        // −(trained − fresh) = −(0.05 − 0.05 (s + 1) k), mean over k = 2, 3, 4: 0.15 (s + 1) − 0.05.
        expect(report.claims[1], perSeed: [0.10, 0.25, 0.40], "fresh variant")
        // The slope of 1 − 0.05 (s + 1) k is −0.05 (s + 1); negated, higher is better.
        expect(report.claims[2], perSeed: [0.05, 0.10, 0.15], "trend")
        #expect(report.claims[2].effect == "least-squares slope of baseline train_accuracy per task over tasks 2–T (negated: higher is better)")
        #expect(report.claims.map(\.verdict) == [.held, .inconclusive, .inconclusive])
        #expect(report.claims[0].method == "paired t, 95 %" && report.claims[2].method == "one-sample t, 95 %")
    }

    @Test(arguments: [
        ("from_task = 1", "[[claims]] 1: from_task must be ≥ 2 (a claim never contrasts against task 1)"),
        ("fresh_variant = \"fresh\"", "[[claims]] 1: a fresh-referenced claim needs exactly one of fresh_metric and fresh_variant"),
        ("group = \"nope\"", "[[claims]] 1: no group 'nope'"),
        ("kind = \"first-vs-last\"", "[[claims]] 1: kind must be one of fresh-referenced, trend"),
    ])
    func badDeclarationsAreRefusedByName(_ change: String, _ message: String) throws {
        let key = String(change.split(separator: " ")[0])
        // Replace the first claim's line for `key` (or add it).
        var lines = Self.study.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "[[claims]]"))
        if let i = lines[start...].firstIndex(where: { $0.hasPrefix(key + " =") }), i < start + 9 { lines[i] = change } else { lines.insert(change, at: start + 1) }
        #expect(throws: ConfigError(file: "declared.toml", message)) {
            try StudyPlan(text: lines.joined(separator: "\n"), file: "declared.toml", scale: "quick")
        }
    }
}
