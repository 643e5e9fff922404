import Datasets
import Foundation
import Testing
import Experiments
@testable import Reports

/// The `rl` study's report, built from synthetic run directories of the built-in preset.
@Suite struct RLReportTests {
    /// Writes every planned run: log records at frames 2000…6000 and a task end. The
    /// baseline drifts (dormant 0.2 → 0.6, srank 60 → 40, norm 20 → 30); LayerNorm + wd
    /// barely moves (0.1 → 0.12, 100 → 99, 20 → 21) and ends with a return 1 + seed/10 higher.
    func writeStudy(_ plan: StudyPlan, to dir: URL) throws {
        for run in plan.runs {
            let runDir = dir.appendingPathComponent(run.relativePath)
            try FileManager.default.createDirectory(at: runDir, withIntermediateDirectories: true)
            let drifting = run.variant != "layernorm + wd", s = Double(run.seed)
            let ret = 2 + s / 10 + (drifting ? 0 : 1 + s / 10)
            var lines: [String] = []
            for k in 0..<5 {
                let t = Double(k) / 4, frame = 2000 + 1000 * k
                let dormant = drifting ? 0.2 + 0.4 * t + s / 100 : 0.1 + 0.02 * t
                let srank = drifting ? 60 - 20 * t - s : 100 - t
                let norm = drifting ? 20 + 10 * t + s : 20 + t
                lines.append("{\"event\": \"log\", \"frame\": \(frame), \"return_mean_100\": \(ret * t), \"dormant.tau0.1\": \(dormant), \"srank.delta0.01\": \(srank), \"param_norm\": \(norm), \"entk.summed.condition_number\": \(1000 + 100 * k), \"churn\": 0.01}")
            }
            lines.append("{\"event\": \"task_end\", \"task\": 0, \"step\": 1000, \"global_step\": 1000, \"frame\": 6000, \"return_mean_100\": \(ret)}")
            try (lines.joined(separator: "\n") + "\n").write(to: runDir.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
            try "{\"status\": \"finished\"}".write(to: runDir.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
            try "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect class=\"cell\"/></svg>"
                .write(to: runDir.appendingPathComponent("frame.svg"), atomically: true, encoding: .utf8)
        }
    }

    /// A group whose first run has no frame shows the next run's, and says whose it is.
    @Test func aMissingFrameFallsBackToTheGroupsNextRun() throws {
        let plan = try StudyPlan(text: StudyPresets.named("rl")!, file: "rl", scale: "quick", seeds: 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rl-frames-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeStudy(plan, to: dir)
        let first = try #require(plan.runs.first { $0.group == "breakout" })
        #expect(first.variant == "baseline" && first.seed == 0)
        try FileManager.default.removeItem(at: dir.appendingPathComponent(first.relativePath).appendingPathComponent("frame.svg"))
        let report = StudyReport(results: try StudyResults(plan: plan, directory: dir))
        #expect(report.frames().map(\.source) == ["baseline, seed 1", "baseline, seed 0", "baseline, seed 0"])
        try report.write(to: dir)
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("*Last observation of environment 0 (baseline, seed 1).*"))
    }

    @Test func reportHasCurvesFramesAndClaimsPerGroup() throws {
        let plan = try StudyPlan(text: StudyPresets.named("rl")!, file: "rl", scale: "quick", seeds: 2)
        #expect(plan.kind == "rl" && plan.groups == ["breakout", "space_invaders", "continual"])
        #expect(plan.variants == ["baseline", "layernorm", "layernorm + wd", "redo"] && plan.runs.count == 24)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rl-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeStudy(plan, to: dir)
        let report = StudyReport(results: try StudyResults(plan: plan, directory: dir))
        try report.write(to: dir)
        // Six curves (return, dormant, srank, norm, eNTK condition number, churn) per group.
        let charts = report.charts()
        #expect(charts.count == 18 && Set(charts.map(\.group)) == Set(plan.groups))
        #expect(charts.allSatisfy { $0.chart.series.count == 4 && $0.chart.series.allSatisfy { $0.points.count == 5 } })
        #expect(report.frames().map(\.group) == plan.groups)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<figure class=\"frame\">").count - 1 == 3)
        #expect(html.contains("id=\"summary\"") && !html.contains("points=\"\""))
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("![continual: environment frame](charts/continual-frame.svg)"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("charts/breakout-return-mean-100.svg").path))
        let csv = String(decoding: try CompressedFile.read(dir.appendingPathComponent("results-wide.csv.gz").path), as: UTF8.self)
        #expect(csv.split(separator: "\n").count == 25)
        // Per group: three return claims (layernorm + wd, layernorm, redo vs baseline) and
        // three drift claims. Effects computed by hand from the synthetic values.
        #expect(report.claims.count == 18)
        let breakout = report.claims.filter { $0.claim.hasSuffix("(breakout).") }
        func claim(_ prefix: String) -> ClaimResult? { breakout.first { $0.claim.hasPrefix(prefix) } }
        let wd = try #require(claim("layernorm + wd ends"))
        #expect(abs(wd.mean - 1.05) < 1e-9 && wd.verdict == .held)          // 1 + seed/10 over seeds 0, 1
        let ln = try #require(claim("layernorm ends"))
        #expect(abs(ln.mean) < 1e-9 && ln.verdict == .inconclusive)
        let dormant = try #require(claim("The baseline's dormant.tau0.1"))
        #expect(abs(dormant.mean - 0.38) < 1e-9 && dormant.verdict == .held)  // 0.4 − 0.02
        let srank = try #require(claim("The baseline's srank.delta0.01"))
        #expect(abs(srank.mean - 19) < 1e-9 && srank.verdict == .held)       // −(−20 − (−1))
        let norm = try #require(claim("The baseline's param_norm"))
        #expect(abs(norm.mean - 9) < 1e-9 && norm.verdict == .held)          // 10 − 1
        // The heat map reads the final return, higher is better.
        #expect(report.table().first?.higherIsBetter == true)
    }
}
