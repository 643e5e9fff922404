import Foundation

extension StudyReport {
    func html(_ charts: [(file: String, group: String, chart: LineChart)]) -> String {
        let p = results.plan
        var h = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(escapeXML(p.title))</title><style>"
        h += "body{font-family:sans-serif;max-width:1500px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}table{border-collapse:collapse;margin:1em 0}"
        h += "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}.num{white-space:nowrap;font-variant-numeric:tabular-nums}"
        h += ".held{color:#1a7f37;font-weight:bold}.notheld{color:#c62828;font-weight:bold}.inconclusive{color:#8a5a00;font-weight:bold}"
        h += ".charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0;max-width:720px}figcaption{font-size:0.85em;color:#444;margin-top:4px}"
        h += "</style></head><body>"
        h += "<h1>\(escapeXML(p.title))</h1><p><b>Study</b> \(escapeXML(p.name)), scale <b>\(escapeXML(p.scale))</b>, \(p.seeds) seeds, \(results.runs.count) runs.</p>"
        h += "<p><b>Claim.</b> \(escapeXML(p.claim))</p><p><b>Source.</b> \(escapeXML(p.source))</p>"
        if let note = divergenceNote { h += "<p class=\"notheld\">\(escapeXML(note))</p>" }
        if !checks.isEmpty {
            h += "<h2>Manipulation checks</h2><p>Declared in the study file (a comment there says when); the claims are judged only when every check passes.</p>"
            h += "<table id=\"checks\"><tr><th>check</th><th>group</th><th>variant</th><th>result</th></tr>"
            for c in checks {
                h += "<tr><td>\(escapeXML(c.check.check))</td><td>\(escapeXML(c.check.group))</td><td>\(escapeXML(c.check.variant))</td>"
                h += "<td class=\"\(c.passed ? "held" : "notheld")\">\(escapeXML(c.summary))</td></tr>"
            }
            h += "</table>"
            if let note = withheldNote { h += "<p class=\"notheld\">\(escapeXML(note))</p>" }
        }
        h += "<h2>Claims</h2><p id=\"multiplicity\">\(escapeXML(multiplicityNote)) \(escapeXML(tally(\.verdict, "Unadjusted"))); \(escapeXML(tally(\.holmVerdict, "Holm")))."
        h += "</p><table id=\"summary\"><tr><th>claim</th><th>source</th><th>effect</th><th>n</th><th>mean</th><th>95 % interval</th>"
        h += "<th>method</th><th>δ</th><th>IQM</th><th>verdict</th><th>Holm verdict</th></tr>"
        for c in claims {
            h += "<tr><td>\(escapeXML(c.claim))</td><td>\(escapeXML(c.citation))</td><td>\(escapeXML(c.effect))</td><td class=\"num\">\(c.n)</td>"
            h += String(format: "<td class=\"num\">%.4f</td><td class=\"num\">[%.4f, %.4f]</td>", c.mean, c.interval.low, c.interval.high)
            h += "<td>\(escapeXML(c.method))</td><td class=\"num\">\(c.margin.map { String(format: "%.4g", $0) + " (" + escapeXML(c.marginNote ?? "") + ")" } ?? "–")</td>"
            h += "<td class=\"num\">\(c.interquartileMean.map { String(format: "%.4f", $0) } ?? "–")</td>"
            h += "<td class=\"\(cssClass(c.verdict))\">\(shown(c.verdict))</td><td class=\"\(cssClass(c.holmVerdict))\">\(shown(c.holmVerdict))</td></tr>"
        }
        h += "</table><p>\(escapeXML(Self.verdictRule.replacingOccurrences(of: "*", with: "")))</p>"
        if let a = aggregates { h += aggregatesHTML(a) }
        h += "<h2>Last-task results</h2><table id=\"heatmap\"><tr><th>group</th><th>metric</th><th>δ</th>" + p.variants.map { "<th>\(escapeXML($0))</th>" }.joined() + "</tr>"
        for row in table() {
            let means = row.cells.map(\.mean).filter(\.isFinite)
            let lo = means.min() ?? 0, hi = means.max() ?? 1
            h += "<tr><td>\(escapeXML(row.group))</td><td>\(escapeXML(MetricLabels.label(row.metric))) (\(row.higherIsBetter ? "↑" : "↓"))</td><td class=\"num\">\(escapeXML(marginText(row.group)))</td>"
            for cell in row.cells {
                var goodness = hi > lo ? (cell.mean - lo) / (hi - lo) : 0.5
                if !row.higherIsBetter { goodness = 1 - goodness }
                h += String(format: "<td class=\"num\" style=\"background:%@\">%.4f<br><small>[%.4f, %.4f]</small></td>",
                            heatColor(goodness), cell.mean, cell.low, cell.high)
            }
            h += "</tr>"
        }
        h += "</table><p>Cells: mean across seeds of the group's metric at the end of the last task, with its 95 % Student-t interval; "
        h += "shading from light (worst in its row) to dark blue (best). δ: the margin the study declared for the group's metric before running; "
        h += "differences smaller than δ are ties (the tie claims use it).</p>"
        for group in chartGroups(charts) {
            h += "<h2>\(escapeXML(group))</h2><div class=\"charts\">"
            for f in frames() where f.group == group {
                h += "<figure class=\"frame\">\(f.svg)<figcaption>Last observation of environment 0 (\(escapeXML(f.source))).</figcaption></figure>"
            }
            for c in charts where c.group == group {
                h += "<figure>\(c.chart.svg())<figcaption>\(escapeXML(c.chart.fullCaption))</figcaption></figure>"
            }
            h += "</div>"
        }
        h += "</body></html>\n"
        return h
    }

    /// The rliable-style section: normalised heat map, IQM and probability of improvement.
    func aggregatesHTML(_ a: Aggregates) -> String {
        var h = "<h2>Across protocols</h2><table id=\"normalised\"><tr><th>group</th>" + a.variants.map { "<th>\(escapeXML($0))</th>" }.joined() + "</tr>"
        for row in a.normalised {
            h += "<tr><td>\(escapeXML(row.group))</td>" + row.cells.map {
                String(format: "<td class=\"num\" style=\"background:%@\">%.2f</td>", heatColor($0.isFinite ? $0 : 0), $0)
            }.joined() + "</tr>"
        }
        h += "</table><p>Normalised last-task score per group: (mean − worst variant's mean) / (best − worst), oriented so that 1 is best.</p>"
        h += "<table id=\"iqm\"><tr><th>variant</th><th>IQM of normalised scores</th><th>95 % interval (stratified BCa)</th><th>runs</th></tr>"
        for r in a.iqm {
            h += "<tr><td>\(escapeXML(r.variant))</td>" + String(format: "<td class=\"num\">%.3f</td><td class=\"num\">[%.3f, %.3f]</td>", r.value, r.low, r.high)
            h += "<td class=\"num\">\(r.n)</td></tr>"
        }
        h += "</table><table id=\"improvement\"><tr><th>P(\(escapeXML(a.reference)) &gt; X)</th><th>X</th><th>95 % interval (stratified BCa)</th></tr>"
        for r in a.improvement {
            h += String(format: "<tr><td class=\"num\">%.3f</td><td>%@</td><td class=\"num\">[%.3f, %.3f]</td></tr>", r.value, escapeXML(r.other), r.low, r.high)
        }
        h += "</table><p>IQM: mean of the middle 50 % of all groups × seeds normalised scores (Agarwal et al. 2021). Probability of improvement: "
        h += "the chance that a seed of \(escapeXML(a.reference)) ends better than a seed of X on a protocol, averaged over protocols; 0.5 is a tie. "
        h += "Intervals: BCa bootstrap, seeds resampled within each protocol (10,000 resamples).</p>"
        return h
    }

    /// The declared margin of `group`, e.g. "0.02" or "5 % of rival", "–" when none.
    func marginText(_ group: String) -> String {
        guard let m = results.plan.groupMargins[group] else { return "–" }
        return m.isRelative ? "\(format(m.value * 100)) % of rival" : format(m.value)
    }

    private func cssClass(_ v: Verdict) -> String { v == .held ? "held" : (v == .notHeld ? "notheld" : "inconclusive") }

    /// A sequential light-to-dark blue for goodness in [0, 1] (readable with colour-vision deficiencies).
    func heatColor(_ goodness: Double) -> String {
        let g = Swift.min(1, Swift.max(0, goodness))
        return String(format: "hsl(210, 70%%, %.0f%%)", 96 - 46 * g)
    }
}
