import Datasets
import Experiments
import Foundation
import Networks
import Tensors

/// Writes a study's report: `report.html` (self-contained, charts inline), `report.md`
/// (charts as `charts/*.svg`), `results.csv.gz` (tidy: one row per run × task × metric),
/// `results-wide.csv.gz` (one row per run × task; both gzipped, which pandas' `read_csv`
/// reads as they are) and returns the summary printed by the CLI.
public struct StudyReport {
    public let results: StudyResults
    public let claims: [ClaimResult]
    /// The study file's manipulation checks (`[[checks]]`), judged on the runs.
    public let checks: [CheckResult]
    /// Cross-group aggregates, for studies with several groups and a reference variant.
    public let aggregates: Aggregates?

    /// The variant aggregates compare with the others (the Swiss-cheese study's combination).
    static let aggregateReference = SwissCheeseClaims.combined

    public init(results: StudyResults) {
        self.results = results
        claims = StudyClaims.evaluate(results)
        checks = results.plan.checks.map { CheckResult($0, results) }
        aggregates = results.plan.kind == "rl" ? nil : Aggregates(results, reference: Self.aggregateReference)
    }

    /// Pictures of the environment, one per group (RL studies: a MinAtar frame), shown
    /// before the group's charts.
    public func frames() -> [StudyFrame] {
        results.plan.kind == "rl" ? RLStudy.frames(results) : []
    }

    /// The plan's groups, then any other group a chart belongs to, in order.
    func chartGroups(_ charts: [(file: String, group: String, chart: LineChart)]) -> [String] {
        var groups = results.plan.groups
        for c in charts where !groups.contains(c.group) { groups.append(c.group) }
        return groups
    }

    /// Each group × variant at the last task: mean and 95 % Student-t interval across seeds.
    public func table() -> [(group: String, metric: String, higherIsBetter: Bool,
                              cells: [(variant: String, mean: Double, low: Double, high: Double, n: Int)])] {
        results.plan.groups.map { g in
            let (m, higher) = results.primaryMetric(group: g)
            return (g, m, higher, results.plan.variants.map { v in
                let t = StudentTInterval(results.values(group: g, variant: v, metric: m, task: -1))
                return (v, t.mean, t.low, t.high, t.n)
            })
        }
    }

    /// Writes every file into `directory`.
    public func write(to directory: URL) throws {
        let charts = self.charts()
        let chartDir = directory.appendingPathComponent("charts")
        try FileSystem.createDirectory(chartDir)
        for c in charts { try FileSystem.write(c.chart.svg(), to: chartDir.appendingPathComponent(c.file)) }
        for f in frames() { try FileSystem.write(f.svg, to: chartDir.appendingPathComponent(f.file)) }
        try FileSystem.write(html(charts), to: directory.appendingPathComponent("report.html"))
        try FileSystem.write(markdown(charts), to: directory.appendingPathComponent("report.md"))
        for (name, text) in [("results.csv", tidyCSV()), ("results-wide.csv", wideCSV())] {
            try AtomicFile.write(CompressedFile.gzip(Array(text.utf8)), to: directory.appendingPathComponent(name + ".gz"))
            // A plain CSV from before the report gzipped them would be stale.
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// The claims table as plain text, for the terminal.
    public func summaryText() -> String {
        var lines = ["\(results.plan.title)", ""]
        if !checks.isEmpty {
            lines += ["Manipulation checks (declared in the study file):"] + checks.map { "  \($0.summary) — \($0.check.check)" }
            if let note = withheldNote { lines.append(note.uppercased()) }
            lines.append("")
        }
        for c in claims {
            let delta = c.margin.map { String(format: ", δ = %.4g", $0) } ?? ""
            // Padded here: Foundation on Linux ignores the width of %@.
            let verdict = shown(c.verdict).uppercased().padding(toLength: 13, withPad: " ", startingAt: 0)
            lines.append(String(format: "%@ (Holm: %@) %@\n              %@: %.4f [%.4f, %.4f], n = %d, %@%@",
                                verdict, shown(c.holmVerdict), c.claim, c.effect,
                                c.mean, c.interval.low, c.interval.high, c.n, c.method, delta))
        }
        lines.append("")
        lines.append(withheldNote ?? tally(\.verdict, "unadjusted") + "; " + tally(\.holmVerdict, "Holm-adjusted") + ".")
        lines.append(multiplicityNote)
        if !results.missing.isEmpty { lines.append("\(results.missing.count) planned runs have no results.") }
        if let note = divergenceNote { lines.append(note) }
        return lines.joined(separator: "\n")
    }

    /// "unadjusted: 3 held, 1 not held, 4 inconclusive".
    func tally(_ verdict: KeyPath<ClaimResult, Verdict>, _ label: String) -> String {
        let count = { (v: Verdict) in claims.filter { $0[keyPath: verdict] == v }.count }
        return "\(label): \(count(.held)) held, \(count(.notHeld)) not held, \(count(.inconclusive)) inconclusive"
    }

    /// How many claims are tested and what the two verdict columns control.
    var multiplicityNote: String {
        "This study tests \(claims.count) claims. An unadjusted verdict judges its claim alone at 5 % (two one-sided 2.5 % tails); "
            + "the Holm verdict adjusts over all \(claims.count), so the chance of any wrong held / not held among them is at most 5 %."
    }

    /// One sentence naming the diverged runs, nil if none diverged.
    var divergenceNote: String? {
        let d = results.diverged
        guard !d.isEmpty else { return nil }
        return "\(d.count) run(s) diverged (NaN/Inf loss or parameter; their metrics stop where they diverged): \(d.joined(separator: ", "))."
    }

    static let verdictRule = "Each effect is computed per seed (paired by seed where two variants are compared; runs of one seed share their data order and stream) and shown as its mean over n seeds with a 95 % Student-t interval. Directional claims: *held* when the interval lies above 0, *not held* when it lies below 0, *inconclusive* otherwise. Tie claims (\"best or tied-best\"): *held* when A − r lies above −δ for every rival r (δ declared in the study file before running), *not held* when some rival is ahead by more than δ (Bonferroni over the rivals), *inconclusive* otherwise; the row shows the deciding rival. The interquartile mean (IQM) of the per-seed effects is shown from 5 seeds on."
}
