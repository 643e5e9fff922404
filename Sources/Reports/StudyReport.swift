import Experiments
import Foundation

/// Writes a study's report: `report.html` (self-contained, charts inline), `report.md`
/// (charts as `charts/*.svg`), `results.csv` (one row per run × task with every final metric)
/// and returns the summary table printed by the CLI.
public struct StudyReport {
    public let results: StudyResults
    public let claims: [ClaimResult]

    public init(results: StudyResults) {
        self.results = results
        claims = StudyClaims.evaluate(results)
    }

    /// Diagnostic metrics charted per group when the runs report them.
    static let diagnosticCharts = ["dormant.tau0.1", "dead", "linearised", "param_norm", "srank.delta0.01",
                                   "preact.std", "probe.loss", "hessian.lambda_max", "entk.summed.condition_number"]

    /// One chart per group of the primary metric (plus diagnostics present in the runs). The
    /// x axis is the task, or the training step at each task end when the group's variants
    /// have different numbers of tasks (e.g. abrupt versus smooth shifts).
    public func charts() -> [(file: String, group: String, chart: LineChart)] {
        var out: [(String, String, LineChart)] = []
        let plan = results.plan
        if plan.kind == "rl" { return RLStudy.charts(results) }
        for group in plan.groups {
            let (metric, _) = results.primaryMetric(group: group)
            var metrics = [metric]
            let groupRuns = results.runs.filter { $0.group == group }
            let keys = Set(groupRuns.flatMap { $0.tasks.flatMap(\.keys) })
            metrics += Self.diagnosticCharts.filter(keys.contains)
            let bySteps = Set(groupRuns.map(\.tasks.count)).count > 1
                && groupRuns.allSatisfy { $0.tasks.allSatisfy { $0["global_step"] != nil } }
            for m in metrics {
                let series = plan.variants.compactMap { v -> LineChart.Series? in
                    let runs = results.runs(group: group, variant: v)
                    let tasks = runs.map(\.tasks.count).max() ?? 0
                    let points = (0..<tasks).compactMap { t -> (x: Double, y: Double, low: Double, high: Double)? in
                        let vals = runs.compactMap { t < $0.tasks.count ? $0.tasks[t][m] : nil }
                        guard !vals.isEmpty else { return nil }
                        let x = bySteps ? runs.compactMap { t < $0.tasks.count ? $0.tasks[t]["global_step"] : nil }.max()! : Double(t + 1)
                        return (x, Statistics.mean(vals), vals.min()!, vals.max()!)
                    }
                    return points.isEmpty ? nil : LineChart.Series(name: v, points: points)
                }
                guard !series.isEmpty else { continue }
                out.append(("\(slug(group))-\(slug(m)).svg", group,
                            LineChart(title: "\(group): \(m) at the end of each task", xLabel: bySteps ? "training step" : "task",
                                      yLabel: m, series: series)))
            }
        }
        if plan.name == LayerwiseLMCStudy.name { out += LayerwiseLMCClaims.charts(results) }
        return out
    }

    /// Pictures of the environment, one per group (RL studies: a MinAtar frame), shown
    /// before the group's charts.
    public func frames() -> [(file: String, group: String, svg: String)] {
        results.plan.kind == "rl" ? RLStudy.frames(results) : []
    }

    /// The plan's groups, then any other group a chart belongs to, in order.
    func chartGroups(_ charts: [(file: String, group: String, chart: LineChart)]) -> [String] {
        var groups = results.plan.groups
        for c in charts where !groups.contains(c.group) { groups.append(c.group) }
        return groups
    }

    /// Mean (± standard error) of each group × variant at the last task, the heat-map cells.
    public func table() -> [(group: String, metric: String, higherIsBetter: Bool, cells: [(variant: String, mean: Double, se: Double)])] {
        results.plan.groups.map { g in
            let (m, higher) = results.primaryMetric(group: g)
            return (g, m, higher, results.plan.variants.map { v in
                let vals = results.values(group: g, variant: v, metric: m, task: -1)
                return (v, Statistics.mean(vals), Statistics.standardError(vals))
            })
        }
    }

    /// Writes every file into `directory`.
    public func write(to directory: URL) throws {
        let charts = self.charts()
        let chartDir = directory.appendingPathComponent("charts")
        try FileManager.default.createDirectory(at: chartDir, withIntermediateDirectories: true)
        for c in charts { try c.chart.svg().write(to: chartDir.appendingPathComponent(c.file), atomically: true, encoding: .utf8) }
        for f in frames() { try f.svg.write(to: chartDir.appendingPathComponent(f.file), atomically: true, encoding: .utf8) }
        try html(charts).write(to: directory.appendingPathComponent("report.html"), atomically: true, encoding: .utf8)
        try markdown(charts).write(to: directory.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        try csv().write(to: directory.appendingPathComponent("results.csv"), atomically: true, encoding: .utf8)
    }

    /// The claims table as plain text, for the terminal.
    public func summaryText() -> String {
        var lines = ["\(results.plan.title)", ""]
        for c in claims {
            lines.append(String(format: "%-13@ %@  effect %.4f [%.4f, %.4f] (n=%d)", c.verdict.rawValue.uppercased(), c.claim,
                                c.mean, c.interval.low, c.interval.high, c.seeds))
        }
        let held = claims.filter { $0.verdict == .held }.count
        lines.append("")
        lines.append("\(held) of \(claims.count) claims held, \(claims.filter { $0.verdict == .notHeld }.count) not held, \(claims.filter { $0.verdict == .inconclusive }.count) inconclusive.")
        if !results.missing.isEmpty { lines.append("\(results.missing.count) planned runs have no results.") }
        if let note = divergenceNote { lines.append(note) }
        return lines.joined(separator: "\n")
    }

    /// One sentence naming the diverged runs, nil if none diverged.
    var divergenceNote: String? {
        let d = results.diverged
        guard !d.isEmpty else { return nil }
        return "\(d.count) run(s) diverged (NaN/Inf loss or parameter; their metrics stop where they diverged): \(d.joined(separator: ", "))."
    }

    func csv() -> String {
        let indexKeys: Set<String> = ["task", "step", "global_step"]
        let keys = Array(Set(results.runs.flatMap { $0.tasks.flatMap(\.keys) }).subtracting(indexKeys)).sorted()
        var rows = [(["group", "variant", "seed", "task"] + keys).joined(separator: ",")]
        for run in results.runs {
            for (t, metrics) in run.tasks.enumerated() {
                let fields = [csvField(run.group), csvField(run.variant), String(run.seed), String(t + 1)]
                    + keys.map { metrics[$0].map { "\($0)" } ?? "" }
                rows.append(fields.joined(separator: ","))
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    private func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static let verdictRule = "Each effect is the mean across seeds with a 95 % percentile-bootstrap interval (10,000 resamples, seeds resampled with replacement within each variant). Verdict: *held* when the interval excludes zero in the claimed direction, *not held* when it excludes zero the other way, *inconclusive* otherwise. With few seeds the interval is coarse; the interquartile mean is shown from 5 seeds on."

    func html(_ charts: [(file: String, group: String, chart: LineChart)]) -> String {
        let p = results.plan
        var h = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(escapeXML(p.title))</title><style>"
        h += "body{font-family:sans-serif;max-width:1180px;margin:2em auto;color:#222;line-height:1.4}table{border-collapse:collapse;margin:1em 0}"
        h += "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f4f4f4}.held{color:#1a7f37;font-weight:bold}"
        h += ".notheld{color:#c62828;font-weight:bold}.inconclusive{color:#a06000;font-weight:bold}.charts{display:flex;flex-wrap:wrap;gap:12px}"
        h += "</style></head><body>"
        h += "<h1>\(escapeXML(p.title))</h1><p><b>Study</b> \(escapeXML(p.name)), scale <b>\(escapeXML(p.scale))</b>, \(p.seeds) seeds, \(results.runs.count) runs.</p>"
        h += "<p><b>Claim.</b> \(escapeXML(p.claim))</p><p><b>Source.</b> \(escapeXML(p.source))</p>"
        if let note = divergenceNote { h += "<p class=\"notheld\">\(escapeXML(note))</p>" }
        h += "<h2>Claims</h2><table id=\"summary\"><tr><th>claim</th><th>source</th><th>effect</th><th>mean</th><th>95% CI</th><th>IQM</th><th>seeds</th><th>verdict</th></tr>"
        for c in claims {
            let cls = c.verdict == .held ? "held" : (c.verdict == .notHeld ? "notheld" : "inconclusive")
            h += "<tr><td>\(escapeXML(c.claim))</td><td>\(escapeXML(c.citation))</td><td>\(escapeXML(c.effect))</td>"
            h += String(format: "<td>%.4f</td><td>[%.4f, %.4f]</td>", c.mean, c.interval.low, c.interval.high)
            h += "<td>\(c.interquartileMean.map { String(format: "%.4f", $0) } ?? "–")</td><td>\(c.seeds)</td><td class=\"\(cls)\">\(c.verdict.rawValue)</td></tr>"
        }
        h += "</table><p>\(escapeXML(Self.verdictRule.replacingOccurrences(of: "*", with: "")))</p>"
        h += "<h2>Last-task results</h2><table id=\"heatmap\"><tr><th>group</th><th>metric</th>" + p.variants.map { "<th>\(escapeXML($0))</th>" }.joined() + "</tr>"
        for row in table() {
            let means = row.cells.map(\.mean).filter(\.isFinite)
            let lo = means.min() ?? 0, hi = means.max() ?? 1
            h += "<tr><td>\(escapeXML(row.group))</td><td>\(escapeXML(row.metric))</td>"
            for cell in row.cells {
                var goodness = hi > lo ? (cell.mean - lo) / (hi - lo) : 0.5
                if !row.higherIsBetter { goodness = 1 - goodness }
                let color = String(format: "hsl(%.0f, 65%%, 85%%)", goodness * 120)
                h += String(format: "<td style=\"background:%@\">%.4f ± %.4f</td>", color, cell.mean, cell.se)
            }
            h += "</tr>"
        }
        h += "</table><p>Cells: mean ± standard error across seeds of the group's metric at the end of the last task; green is best in its row, red worst.</p>"
        for group in chartGroups(charts) {
            h += "<h2>\(escapeXML(group))</h2><div class=\"charts\">"
            for f in frames() where f.group == group { h += "<figure class=\"frame\">\(f.svg)</figure>" }
            for c in charts where c.group == group { h += "<figure>\(c.chart.svg())</figure>" }
            h += "</div>"
        }
        h += "</body></html>\n"
        return h
    }

    func markdown(_ charts: [(file: String, group: String, chart: LineChart)]) -> String {
        let p = results.plan
        var m = "# \(p.title)\n\nStudy `\(p.name)`, scale **\(p.scale)**, \(p.seeds) seeds, \(results.runs.count) runs.\n\n"
        m += "**Claim.** \(p.claim)\n\n**Source.** \(p.source)\n\n"
        if let note = divergenceNote { m += "**\(note)**\n\n" }
        m += "## Claims\n\n| claim | source | effect | mean | 95% CI | seeds | verdict |\n|---|---|---|---|---|---|---|\n"
        for c in claims {
            m += "| \(c.claim) | \(c.citation) | \(c.effect) | " + String(format: "%.4f | [%.4f, %.4f]", c.mean, c.interval.low, c.interval.high)
            m += " | \(c.seeds) | **\(c.verdict.rawValue)** |\n"
        }
        m += "\n\(Self.verdictRule)\n\n## Last-task results (mean ± SE)\n\n| group | metric | " + p.variants.joined(separator: " | ") + " |\n|---|---|" + p.variants.map { _ in "---|" }.joined() + "\n"
        for row in table() {
            m += "| \(row.group) | \(row.metric) | " + row.cells.map { String(format: "%.4f ± %.4f", $0.mean, $0.se) }.joined(separator: " | ") + " |\n"
        }
        for group in chartGroups(charts) {
            m += "\n## \(group)\n\n"
            for f in frames() where f.group == group { m += "![\(group): environment frame](charts/\(f.file))\n" }
            for c in charts where c.group == group { m += "![\(c.chart.title)](charts/\(c.file))\n" }
        }
        return m
    }
}
