import Foundation
import Testing
import Experiments
@testable import Reports

/// The report's structure, built from synthetic run directories of a small plan.
@Suite struct StudyReportTests {
    static let study = """
        name = "swiss-cheese"
        title = "Test study"
        claim = "A claim."
        source = "A paper"
        seeds = 2
        [scales.quick.stream]
        tasks = 3
        [[groups]]
        label = "random labels"
        [groups.config.stream]
        protocol = "random-labels"
        [[groups]]
        label = "target offset"
        metric = "task_mean_loss"
        [groups.config.stream]
        protocol = "target-offset"
        [[variants]]
        label = "baseline"
        [[variants]]
        label = "layernorm + L2"
        [variants.config.model]
        norm = "layernorm"
        """

    /// Writes fake finished runs: baseline accuracy falls 1.0 → 0.5, the other stays at 0.9.
    func makeStudy() throws -> (StudyPlan, URL) {
        let plan = try StudyPlan(text: Self.study, file: "study.toml", scale: "quick")
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("report-\(UUID().uuidString)")
        for run in plan.runs {
            let runDir = dir.appendingPathComponent(run.relativePath)
            try FileManager.default.createDirectory(at: runDir, withIntermediateDirectories: true)
            var lines: [String] = []
            for t in 0..<3 {
                let acc = run.variant == "baseline" ? 1.0 - 0.25 * Double(t) + 0.01 * Double(run.seed) : 0.9
                let loss = run.variant == "baseline" ? 0.5 + Double(t) : 0.4
                lines.append("{\"event\": \"task_end\", \"task\": \(t), \"train_accuracy\": \(acc), \"train_loss\": 0.1, \"task_mean_loss\": \(loss)}")
            }
            try (lines.joined(separator: "\n") + "\n").write(to: runDir.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
            try "{}".write(to: runDir.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
        }
        return (plan, dir)
    }

    @Test func reportStructure() throws {
        let (plan, dir) = try makeStudy()
        let report = StudyReport(results: try StudyResults(plan: plan, directory: dir))
        try report.write(to: dir)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<table id=\"summary\">") && html.contains("<table id=\"heatmap\">"))
        // One chart per group of its primary metric, each with one polyline per variant.
        #expect(report.charts().map(\.file) == ["random-labels-train-accuracy.svg", "target-offset-task-mean-loss.svg"])
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.components(separatedBy: "<polyline").count - 1 == 4)
        #expect(report.charts().allSatisfy { $0.chart.series.allSatisfy { $0.points.count == 3 } })
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("![random labels: train_accuracy at the end of each task](charts/random-labels-train-accuracy.svg)"))
        let csv = try String(contentsOf: dir.appendingPathComponent("results.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 1 + 8 * 3)
        #expect(csv[0] == "group,variant,seed,task,task_mean_loss,train_accuracy,train_loss")
        #expect(csv[1] == "random labels,baseline,0,1,0.5,1.0,0.1")
    }

    @Test func swissCheeseClaims() throws {
        let (plan, dir) = try makeStudy()
        let claims = StudyClaims.evaluate(try StudyResults(plan: plan, directory: dir))
        #expect(claims.count == 4)
        // Baseline accuracy falls by 0.5 on random labels; its mean loss rises by 2 on target offset.
        #expect(claims[0].verdict == .held && abs(claims[0].mean - 0.5) < 1e-9)
        #expect(claims[2].verdict == .held && abs(claims[2].mean - 2) < 1e-9)
        // The combined variant beats the baseline's last task (0.9 vs ≈0.505, loss 0.4 vs 2.5).
        #expect(claims[1].verdict == .held && claims[3].verdict == .held)
        #expect(abs(claims[3].mean - 2.1) < 1e-9)
    }

    @Test func missingRunsAreReported() throws {
        let (plan, dir) = try makeStudy()
        try FileManager.default.removeItem(at: dir.appendingPathComponent(plan.runs[0].relativePath).appendingPathComponent("summary.json"))
        let results = try StudyResults(plan: plan, directory: dir)
        #expect(results.missing == [plan.runs[0].relativePath] && results.runs.count == 7)
        #expect(StudyReport(results: results).summaryText().contains("1 planned runs have no results."))
    }
}
