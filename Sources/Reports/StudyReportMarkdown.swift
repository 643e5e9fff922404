extension StudyReport {
    func markdown(_ charts: [(file: String, group: String, chart: LineChart)]) -> String {
        let p = results.plan
        var m = "# \(p.title)\n\nStudy `\(p.name)`, scale **\(p.scale)**, \(p.seeds) seeds, \(results.runs.count) runs.\n\n"
        m += "**Claim.** \(p.claim)\n\n**Source.** \(p.source)\n\n"
        if let note = divergenceNote { m += "**\(note)**\n\n" }
        if !checks.isEmpty {
            m += "## Manipulation checks\n\nDeclared in the study file (a comment there says when); the claims are judged only when every check passes.\n\n"
            m += "| check | group | variant | result |\n|---|---|---|---|\n"
            for c in checks { m += "| \(c.check.check) | \(c.check.group) | \(c.check.variant) | **\(c.summary)** |\n" }
            m += "\n"
            if let note = withheldNote { m += "**\(note)**\n\n" }
        }
        m += "## Claims\n\n\(multiplicityNote) \(tally(\.verdict, "Unadjusted")); \(tally(\.holmVerdict, "Holm")).\n\n"
        m += "| claim | source | effect | n | mean | 95 % interval | method | δ | verdict | Holm verdict |\n|---|---|---|---|---|---|---|---|---|---|\n"
        for c in claims {
            m += "| \(c.claim) | \(c.citation) | \(c.effect) | \(c.n) | " + String(format: "%.4f | [%.4f, %.4f]", c.mean, c.interval.low, c.interval.high)
            m += " | \(c.method) | \(c.margin.map { String(format: "%.4g", $0) } ?? "–") | **\(shown(c.verdict))** | **\(shown(c.holmVerdict))** |\n"
        }
        m += "\n\(Self.verdictRule)\n\n"
        if let a = aggregates {
            m += "## Across protocols\n\nNormalised last-task score ((mean − worst) / (best − worst), 1 = best):\n\n| group | " + a.variants.joined(separator: " | ") + " |\n|---|" + a.variants.map { _ in "---|" }.joined() + "\n"
            for row in a.normalised { m += "| \(row.group) | " + row.cells.map { String(format: "%.2f", $0) }.joined(separator: " | ") + " |\n" }
            m += "\n| variant | IQM of normalised scores | 95 % interval (stratified BCa) |\n|---|---|---|\n"
            for r in a.iqm { m += "| \(r.variant) | " + String(format: "%.3f | [%.3f, %.3f]", r.value, r.low, r.high) + " |\n" }
            m += "\n| X | P(\(a.reference) > X) | 95 % interval (stratified BCa) |\n|---|---|---|\n"
            for r in a.improvement { m += "| \(r.other) | " + String(format: "%.3f | [%.3f, %.3f]", r.value, r.low, r.high) + " |\n" }
            m += "\n"
        }
        m += "## Last-task results (mean [95 % t interval])\n\n| group | metric | δ | " + p.variants.joined(separator: " | ") + " |\n|---|---|---|" + p.variants.map { _ in "---|" }.joined() + "\n"
        for row in table() {
            m += "| \(row.group) | \(MetricLabels.label(row.metric)) (\(row.higherIsBetter ? "↑" : "↓")) | \(marginText(row.group)) | "
            m += row.cells.map { String(format: "%.4f [%.4f, %.4f]", $0.mean, $0.low, $0.high) }.joined(separator: " | ") + " |\n"
        }
        for group in chartGroups(charts) {
            m += "\n## \(group)\n\n"
            for f in frames() where f.group == group {
                m += "![\(group): environment frame](charts/\(f.file))\n\n*Last observation of environment 0 (\(f.source)).*\n\n"
            }
            for c in charts where c.group == group { m += "![\(c.chart.title)](charts/\(c.file))\n\n*\(c.chart.fullCaption)*\n\n" }
        }
        return m
    }
}
