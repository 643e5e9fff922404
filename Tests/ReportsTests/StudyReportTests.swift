import Datasets
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
        [scales.quick]
        seeds = 5
        [scales.quick.stream]
        tasks = 3
        [[groups]]
        label = "random labels"
        margin = 0.02
        [groups.config.stream]
        protocol = "random-labels"
        [[groups]]
        label = "target offset"
        metric = "task_mean_loss"
        relative_margin = 0.05
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
                for step in [100, 200] {
                    lines.append("{\"event\": \"step\", \"task\": \(t), \"step\": \(step), \"loss\": \(loss + 1.0 / Double(step) + 0.001 * Double(run.seed))}")
                }
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
        // Per group: the judged metric at task ends, then the within-task loss of the first
        // variant and of the last, each with the first, middle and last task.
        #expect(report.charts().map(\.file) == [
            "random-labels-train-accuracy.svg", "random-labels-baseline-loss-within-tasks.svg", "random-labels-layernorm-l2-loss-within-tasks.svg",
            "target-offset-task-mean-loss.svg", "target-offset-baseline-loss-within-tasks.svg", "target-offset-layernorm-l2-loss-within-tasks.svg",
        ])
        #expect(html.components(separatedBy: "<svg").count - 1 == 6)
        #expect(html.components(separatedBy: "<polyline").count - 1 == 2 * (2 + 3 + 3))
        let within = report.charts()[1].chart
        #expect(within.series.map(\.name) == ["task 1 of 3", "task 2 of 3", "task 3 of 3"] && within.series[0].points.map(\.x) == [100, 200])
        #expect(abs(within.series[2].points[0].y - (2.5 + 0.01 + 0.002)) < 1e-12)
        // Bands are 95 % t intervals, and every caption says so; identical series are named.
        let accuracy = report.charts()[0].chart
        let t = StudentTInterval((0..<5).map { 0.5 + 0.01 * Double($0) })
        #expect(abs(accuracy.series[0].points[2].low - t.low) < 1e-12 && abs(accuracy.series[0].points[2].high - t.high) < 1e-12)
        #expect(html.components(separatedBy: "95 % Student-t confidence interval of that mean").count - 1 == 6)
        #expect(report.charts()[5].chart.fullCaption.isEmpty == false)
        // Claim rows carry n, the interval method, δ and both verdicts; multiplicity is stated.
        #expect(html.contains("<th>n</th><th>mean</th><th>95 % interval</th><th>method</th><th>δ</th><th>IQM</th><th>verdict</th><th>Holm verdict</th>"))
        #expect(html.contains("This study tests 4 claims.") && html.contains("paired t, 95 %"))
        #expect(html.contains("<table id=\"normalised\">") && html.contains("<table id=\"iqm\">") && html.contains("<table id=\"improvement\">"))
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("![random labels: training accuracy at the end of each task](charts/random-labels-train-accuracy.svg)"))
        // Tidy CSV: one row per run × task × metric.
        let csv = String(decoding: try CompressedFile.read(dir.appendingPathComponent("results.csv.gz").path), as: UTF8.self).split(separator: "\n")
        #expect(csv.count == 1 + 20 * 3 * 3)
        #expect(csv[0] == "run,group,variant,seed,task,metric,value")
        #expect(csv[1] == "runs/random-labels/baseline/seed-0,random labels,baseline,0,1,task_mean_loss,0.5")
        let wide = String(decoding: try CompressedFile.read(dir.appendingPathComponent("results-wide.csv.gz").path), as: UTF8.self).split(separator: "\n")
        #expect(wide[0] == "group,variant,seed,task,task_mean_loss,train_accuracy,train_loss" && wide[1] == "random labels,baseline,0,1,0.5,1.0,0.1")
    }

    @Test func swissCheeseClaims() throws {
        let (plan, dir) = try makeStudy()
        let claims = StudyClaims.evaluate(try StudyResults(plan: plan, directory: dir))
        #expect(claims.count == 4 && claims.allSatisfy { $0.n == 5 })
        // Baseline accuracy falls by 0.5 on random labels; its mean loss rises by 2 on target offset.
        #expect(claims[0].verdict == .held && abs(claims[0].mean - 0.5) < 1e-9 && claims[0].holmVerdict == .held)
        #expect(claims[2].verdict == .held && abs(claims[2].mean - 2) < 1e-9)
        // The combined variant beats the baseline's last task (0.9 vs 0.50–0.54, loss 0.4 vs 2.5):
        // a tie claim against the only rival, δ declared absolute (0.02) and relative (5 % of 2.5).
        #expect(claims[1].verdict == .held && claims[3].verdict == .held && claims[1].margin == 0.02)
        #expect(abs(claims[3].mean - 2.1) < 1e-9 && abs(claims[3].margin! - 0.125) < 1e-9)
    }

    @Test func missingRunsAreReported() throws {
        let (plan, dir) = try makeStudy()
        try FileManager.default.removeItem(at: dir.appendingPathComponent(plan.runs[0].relativePath).appendingPathComponent("summary.json"))
        let results = try StudyResults(plan: plan, directory: dir)
        #expect(results.missing == [plan.runs[0].relativePath] && results.runs.count == 19)
        #expect(StudyReport(results: results).summaryText().contains("1 planned runs have no results."))
    }
}
