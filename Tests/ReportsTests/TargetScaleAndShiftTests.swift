import Datasets
import Foundation
import Testing
import Experiments
@testable import Reports

/// The target-scale and shift-smoothness presets: their constructions parse at both scales
/// and keep the properties their docs state, and their claims compute on synthetic runs.
@Suite struct TargetScaleAndShiftTests {
    /// Writes one finished run per planned run with `records(run)` as its task-end records.
    func writeRuns(_ plan: StudyPlan, _ records: (StudyPlan.PlannedRun) -> [[String: Double]]) throws -> URL {
        try writeFakeStudy(plan, name: "study") { run in
            records(run).enumerated().map { t, fields in
                "{\"event\": \"task_end\", \"task\": \(t)" + fields.sorted { $0.key < $1.key }.map { ", \"\($0.key)\": \($0.value)" }.joined() + "}"
            }
        }
    }

    @Test(arguments: ["quick", "full"]) func targetScaleTargetsFitTheDistributionalSupport(scale: String) throws {
        let plan = try StudyPlan(text: StudyPresets.named("target-scale")!, file: "target-scale.toml", scale: scale)
        #expect(plan.variants == ["small targets, MSE", "large targets, MSE", "large targets, HL-Gauss", "large targets, two-hot"])
        #expect(plan.runs.count == 20 && plan.groupMetrics["target offset"] == "probe.plasticity_loss")
        for run in plan.runs {
            let c = try #require(run.experiment)
            #expect(c.stream.protocolName == .targetOffset && c.diagnostics.groups.contains("probe"))
            // Targets are e_y + k·Δ for k < tasks: they span [0, (tasks − 1)·Δ + 1].
            let highest = Double(c.stream.tasks - 1) * Double(c.stream.shiftPerTask) + 1
            if run.variant.hasPrefix("small") { #expect(highest <= 2) } else { #expect(highest >= 16) }
            if c.loss.kind != "mse" { #expect(c.loss.minimum <= 0 && c.loss.maximum >= highest) }
        }
    }

    @Test func targetScaleClaimsArePairedBySeed() throws {
        let plan = try StudyPlan(text: StudyPresets.named("target-scale")!, file: "target-scale.toml", scale: "quick", seeds: 3)
        // Last-task probe plasticity loss per seed s: small 0.01 + 0.001s, large MSE 0.5 + 0.1s,
        // HL-Gauss 0.2 (better than MSE), two-hot 0.8 + 0.1s (worse).
        let dir = try writeRuns(plan) { run in
            let s = Double(run.seed)
            let last = switch run.variant {
            case "small targets, MSE": 0.01 + 0.001 * s
            case "large targets, MSE": 0.5 + 0.1 * s
            case "large targets, HL-Gauss": 0.2
            default: 0.8 + 0.1 * s
            }
            return [["probe.plasticity_loss": 0.0], ["probe.plasticity_loss": last]]
        }
        let claims = StudyClaims.evaluate(try StudyResults(plan: plan, directory: dir))
        #expect(claims.count == 3)
        // Large − small: 0.49 + 0.099s, mean 0.589; MSE − HL-Gauss: 0.3 + 0.1s, mean 0.4;
        // MSE − two-hot: −0.3 on every seed.
        // 95 % paired t: 0.589 ± t(0.975, 2) · 0.099/√3, t(0.975, 2) = 4.302652729749462 (SciPy).
        let half = 4.302652729749462 * 0.099 / 3.0.squareRoot()
        #expect(claims[0].verdict == .held && abs(claims[0].mean - 0.589) < 1e-9 && claims[0].n == 3 && claims[0].method == "paired t, 95 %")
        #expect(abs(claims[0].interval.low - (0.589 - half)) < 1e-9 && abs(claims[0].interval.high - (0.589 + half)) < 1e-9)
        #expect(claims[1].verdict == .held && abs(claims[1].mean - 0.4) < 1e-9 && claims[1].claim.contains("HL-Gauss"))
        #expect(claims[2].verdict == .notHeld && abs(claims[2].mean + 0.3) < 1e-9 && claims[2].claim.contains("two-hot"))
    }

    @Test(arguments: ["quick", "full"]) func shiftSmoothnessMatchesStepsAndRedraws(scale: String) throws {
        let plan = try StudyPlan(text: StudyPresets.named("shift-smoothness")!, file: "shift-smoothness.toml", scale: scale)
        #expect(plan.variants == ["abrupt", "smooth"] && plan.runs.count == 10)
        let abrupt = try #require(plan.runs.first { $0.variant == "abrupt" }?.experiment?.stream)
        let smooth = try #require(plan.runs.first { $0.variant == "smooth" }?.experiment?.stream)
        #expect(abrupt.protocolName == .labelDrift && smooth.protocolName == .labelDrift && abrupt.subset == smooth.subset)
        // Total steps: T·S for abrupt, S + (tasks − 1)·S/K for smooth.
        let abruptSteps = abrupt.tasks * abrupt.stepsPerTask
        let smoothSteps = smooth.firstTaskSteps + (smooth.tasks - 1) * smooth.stepsPerTask
        #expect(abruptSteps == smoothSteps && smooth.firstTaskSteps == abrupt.stepsPerTask)
        // Total re-draws: every task after the first re-draws ⌈p·N⌉ labels.
        let abruptRedraws = (abrupt.tasks - 1) * Int((abrupt.fraction * Double(abrupt.subset)).rounded(.up))
        let smoothRedraws = (smooth.tasks - 1) * Int((smooth.fraction * Double(smooth.subset)).rounded(.up))
        #expect(abruptRedraws == smoothRedraws && abrupt.fraction == 1 && smooth.fraction < 1)
        #expect(plan.runs.allSatisfy { $0.experiment?.diagnostics.probeTarget == "random_labels" })
    }

    @Test func shiftSmoothnessClaimsAndChartsByStep() throws {
        let plan = try StudyPlan(text: StudyPresets.named("shift-smoothness")!, file: "shift-smoothness.toml", scale: "quick", seeds: 3)
        // Abrupt: 4 tasks of 800 steps ending at 1.5 + 0.1s; smooth: 13 tasks (800, then 200
        // each) ending at 0.2.
        let dir = try writeRuns(plan) { run in
            let s = Double(run.seed)
            let abrupt = run.variant == "abrupt"
            let tasks = abrupt ? 4 : 13
            return (0..<tasks).map { t in
                let step = abrupt ? 800.0 * Double(t + 1) : 800.0 + 200.0 * Double(t)
                return ["global_step": step, "probe.plasticity_loss": t == tasks - 1 ? (abrupt ? 1.5 + 0.1 * s : 0.2) : 0.05]
            }
        }
        let report = StudyReport(results: try StudyResults(plan: plan, directory: dir))
        #expect(report.claims.count == 2)
        #expect(report.claims[0].verdict == .held && abs(report.claims[0].mean - 1.6) < 1e-9)
        #expect(report.claims[1].verdict == .held && abs(report.claims[1].mean - 1.4) < 1e-9)
        let half = 4.302652729749462 * 0.1 / 3.0.squareRoot()
        #expect(abs(report.claims[1].interval.low - (1.4 - half)) < 1e-9 && abs(report.claims[1].interval.high - (1.4 + half)) < 1e-9)
        // Different task counts: the chart's x axis is the training step, both series end at 3200.
        let chart = try #require(report.charts().first)
        #expect(chart.chart.xLabel == "training step")
        #expect(chart.chart.series.map { $0.points.last!.x } == [3200, 3200])
        #expect(chart.chart.series.map(\.points.count) == [4, 13])
        try report.write(to: dir)
        let csv = String(decoding: try CompressedFile.read(dir.appendingPathComponent("results.csv.gz").path), as: UTF8.self).split(separator: "\n")
        #expect(csv.count == 1 + 3 * (4 + 13))
        #expect(csv[0] == "run,group,variant,seed,task,metric,value" && csv[1].hasSuffix(",1,probe.plasticity_loss,0.05"))
    }
}
