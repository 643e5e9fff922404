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

    /// The same study with the `fresh` reference variant (a full reset before every task).
    static let studyWithFresh = study + """

        [[variants]]
        label = "fresh"
        """

    /// Writes fake finished runs: baseline accuracy falls 1.0 → 0.5, its mean loss rises
    /// 0.5 → 2.5 and its probe loss 0.1 → 1.1; `layernorm + L2` stays at 0.9, 0.4 and 0.12.
    /// The `fresh` variant has absurd task-1 values (which no claim may use), then 0.95 and 0.45,
    /// and the best probe loss of all (which the tie claim must not count: it is the reference).
    /// Every run's fresh probe network reaches 0.1.
    func makeStudy(_ text: String = Self.study) throws -> (StudyPlan, URL) {
        let plan = try StudyPlan(text: text, file: "study.toml", scale: "quick")
        let dir = try writeFakeStudy(plan, name: "report") { run in
            var lines: [String] = []
            for t in 0..<3 {
                let (acc, loss, probe): (Double, Double, Double) = switch run.variant {
                case "baseline": (1.0 - 0.25 * Double(t) + 0.01 * Double(run.seed), 0.5 + Double(t), 0.1 + 0.5 * Double(t) + 0.01 * Double(run.seed))
                case "fresh": t == 0 ? (0.0, 100, 0.0) : (0.95, 0.45, 0.0)
                default: (0.9, 0.4, 0.12)
                }
                for step in [100, 200] {
                    lines.append("{\"event\": \"step\", \"task\": \(t), \"step\": \(step), \"loss\": \(loss + 1.0 / Double(step) + 0.001 * Double(run.seed))}")
                }
                lines.append("{\"event\": \"task_end\", \"task\": \(t), \"train_accuracy\": \(acc), \"train_loss\": 0.1, \"task_mean_loss\": \(loss), "
                    + "\"probe.loss\": \(probe), \"probe.loss_fresh\": 0.1}")
            }
            return lines
        }
        return (plan, dir)
    }

    @Test func reportStructure() throws {
        let (plan, dir) = try makeStudy()
        let report = StudyReport(results: try StudyResults(plan: plan, directory: dir))
        try report.write(to: dir)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<table id=\"summary\">") && html.contains("<table id=\"heatmap\">"))
        // Per group: the judged metric and the probe loss at task ends (one polyline per
        // variant), then the within-task loss of the first variant and of the last, each with
        // the first, middle and last task.
        #expect(report.charts().map(\.file) == [
            "random-labels-train-accuracy.svg", "random-labels-probe-loss.svg",
            "random-labels-baseline-loss-within-tasks.svg", "random-labels-layernorm-l2-loss-within-tasks.svg",
            "target-offset-task-mean-loss.svg", "target-offset-probe-loss.svg",
            "target-offset-baseline-loss-within-tasks.svg", "target-offset-layernorm-l2-loss-within-tasks.svg",
        ])
        #expect(html.components(separatedBy: "<svg").count - 1 == 8)
        #expect(html.components(separatedBy: "<polyline").count - 1 == 2 * (2 + 2 + 3 + 3))
        let within = report.charts()[2].chart
        #expect(within.series.map(\.name) == ["task 1 of 3", "task 2 of 3", "task 3 of 3"] && within.series[0].points.map(\.x) == [100, 200])
        #expect(abs(within.series[2].points[0].y - (2.5 + 0.01 + 0.002)) < 1e-12)
        // Bands are 95 % t intervals, and every caption says so; identical series are named.
        let accuracy = report.charts()[0].chart
        let t = StudentTInterval((0..<5).map { 0.5 + 0.01 * Double($0) })
        #expect(abs(accuracy.series[0].points[2].low - t.low) < 1e-12 && abs(accuracy.series[0].points[2].high - t.high) < 1e-12)
        #expect(html.components(separatedBy: "95 % Student-t confidence interval of that mean").count - 1 == 8)
        #expect(report.charts()[5].chart.fullCaption.isEmpty == false)
        // Claim rows carry n, the interval method, δ and both verdicts; multiplicity is stated.
        #expect(html.contains("<th>n</th><th>mean</th><th>95 % interval</th><th>method</th><th>δ</th><th>IQM</th><th>verdict</th><th>Holm verdict</th>"))
        #expect(html.contains("This study tests 2 claims.") && html.contains("paired t, 95 %"))
        #expect(html.contains("<table id=\"normalised\">") && html.contains("<table id=\"iqm\">") && html.contains("<table id=\"improvement\">"))
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("![random labels: training accuracy at the end of each task](charts/random-labels-train-accuracy.svg)"))
        // Tidy CSV: one row per run × task × metric.
        let csv = String(decoding: try CompressedFile.read(dir.appendingPathComponent("results.csv.gz").path), as: UTF8.self).split(separator: "\n")
        #expect(csv.count == 1 + 20 * 3 * 5)
        #expect(csv[0] == "run,group,variant,seed,task,metric,value")
        #expect(csv[1] == "runs/random-labels/baseline/seed-0,random labels,baseline,0,1,probe.loss,0.1")
        let wide = String(decoding: try CompressedFile.read(dir.appendingPathComponent("results-wide.csv.gz").path), as: UTF8.self).split(separator: "\n")
        #expect(wide[0] == "group,variant,seed,task,probe.loss,probe.loss_fresh,task_mean_loss,train_accuracy,train_loss"
            && wide[1] == "random labels,baseline,0,1,0.1,0.1,0.5,1.0,0.1")
    }

    @Test func swissCheeseClaims() throws {
        let (plan, dir) = try makeStudy(Self.studyWithFresh)
        let claims = StudyClaims.evaluate(try StudyResults(plan: plan, directory: dir))
        #expect(claims.count == 4 && claims.allSatisfy { $0.n == 5 })
        // Claim 1, tasks 2–3 only, against the fresh variant paired by seed and task (by hand):
        // random labels −[(0.75 + 0.01 s + 0.5 + 0.01 s) / 2 − 0.95] = 0.325 − 0.01 s, mean 0.305;
        // target offset (1.5 + 2.5) / 2 − 0.45 = 1.55 on every seed.
        #expect(claims[0].verdict == .held && abs(claims[0].mean - 0.305) < 1e-9 && claims[0].holmVerdict == .held)
        #expect(claims[2].verdict == .held && abs(claims[2].mean - 1.55) < 1e-9)
        #expect(claims[0].effect.contains("baseline − fresh train_accuracy, paired by seed and task, mean over tasks 2–T"))
        // Claim 2 on probe plasticity, tasks 2–3: the baseline loses (0.5 + 1.0) / 2 + 0.01 s − 0
        // more than `layernorm + L2` (0.02): the difference is 0.73 + 0.01 s, mean 0.75. `fresh`
        // (plasticity loss −0.1, better than 0.02 by more than δ) is the reference, not a rival.
        #expect(claims[1].verdict == .held && abs(claims[1].mean - 0.75) < 1e-9 && claims[1].margin == 0.02)
        #expect(claims[3].verdict == .held && abs(claims[3].mean - 0.75) < 1e-9 && claims[1].effect.hasSuffix("(vs baseline)"))
        // Without the fresh variant there is no plasticity-loss claim (none against task 1).
        let (plain, plainDir) = try makeStudy()
        #expect(StudyClaims.evaluate(try StudyResults(plan: plain, directory: plainDir)).count == 2)
    }

    @Test func missingRunsAreReported() throws {
        let (plan, dir) = try makeStudy()
        try FileManager.default.removeItem(at: dir.appendingPathComponent(plan.runs[0].relativePath).appendingPathComponent("summary.json"))
        let results = try StudyResults(plan: plan, directory: dir)
        #expect(results.missing == [plan.runs[0].relativePath] && results.runs.count == 19)
        #expect(StudyReport(results: results).summaryText().contains("1 planned runs have no results."))
    }
}
