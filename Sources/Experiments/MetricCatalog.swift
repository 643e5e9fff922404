import Diagnostics
import Foundation

/// Every metric name a supervised run writes, as its TensorBoard tag, found by running: a
/// tiny run (label permutation on Gaussian clusters, an mlp[8, 8], one task of 4 steps, every
/// 2 steps a log and an evaluation) without diagnostics, then one per standard diagnostic group. What the runs
/// wrote is the list, so it cannot drift from the code; `plasticity metrics --markdown`
/// prints it and docs/tensorboard.md holds that output verbatim (a test compares them).
///
/// Names of one layer or parameter are shown once with `<layer>` (`dormant.tau0.1.<layer>`)
/// or `<parameter>` (`param_norm.<parameter>`) in place of its state-dict name.
public enum MetricCatalog {
    /// The tags of one kind of record, from one source.
    public struct Row: Sendable, Equatable {
        /// The record's `event`: `step`, `eval` or `task_end`.
        public let event: String
        /// What writes them, e.g. "training, every `train.log_every` steps".
        public let source: String
        public let tags: [String]
    }

    /// Runs the tiny runs (in a temporary folder, removed after) and lists their tags.
    public static func rows() throws -> [Row] {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("plasticity-metrics-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let training = try names(run(group: nil, in: folder))
        var rows = [
            Row(event: "step", source: "training, every `train.log_every` steps", tags: training["step"] ?? []),
            Row(event: "eval", source: "training, every `train.eval_every` steps", tags: training["eval"] ?? []),
            Row(event: "task_end", source: "training, at the end of every task", tags: training["task_end"] ?? []),
        ]
        let plain = Set(training["task_end"] ?? [])
        let groups = try DiagnosticGroup.standardNames.map { group in
            (group, try (names(run(group: group, in: folder))["task_end"] ?? []).filter { !plain.contains($0) })
        }
        // What every group writes (the step it measured at) is listed once.
        let common = groups.map { Set($0.1) }.reduce(Set(groups.first?.1 ?? [])) { $0.intersection($1) }
        rows.append(Row(event: "task_end", source: "any diagnostics group", tags: (groups.first?.1 ?? []).filter(common.contains)))
        for (group, tags) in groups {
            rows.append(Row(event: "task_end", source: "diagnostics group `\(group)`", tags: tags.filter { !common.contains($0) }))
        }
        return rows
    }

    /// The rows as a Markdown table, tags in backticks.
    public static func markdown(_ rows: [Row]) -> String {
        var lines = ["| record (`event`) | written by | tags |", "|---|---|---|"]
        for r in rows { lines.append("| `\(r.event)` | \(r.source) | " + r.tags.map { "`\($0)`" }.joined(separator: ", ") + " |") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The run directory of a tiny run with diagnostics `group` (none: nil) at its task end.
    private static func run(group: String?, in folder: URL) throws -> RunDirectory {
        let diagnostics = group.map { "[diagnostics]\ngroups = [\"\($0)\"]\nprobe_size = 16\n" } ?? ""
        let text = """
            name = "metrics"
            [data]
            dataset = "gaussian-clusters"
            count = 64
            classes = 4
            dimension = 6
            [stream]
            protocol = "label-permutation"
            tasks = 1
            steps_per_task = 4
            [model]
            widths = [8, 8]
            [train]
            batch_size = 16
            log_every = 2
            eval_every = 2
            checkpoint_every = 0
            \(diagnostics)
            """
        let directory = RunDirectory(folder.appendingPathComponent(group ?? "training").path)
        try ExperimentRun(config: try ExperimentConfig.parse(text, file: "metric catalog"), directory: directory, resume: false)
            .run(resume: false)
        return directory
    }

    /// Tags by event, in first-written order, per-layer names collapsed.
    private static func names(_ directory: RunDirectory) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for record in try directory.metrics() {
            guard let event = record["event"] as? String else { continue }
            let fields = record.filter { !EventFileWriter.headerFields.contains($0.key) && ($0.value is NSNumber || $0.value is NSNull) }
            for name in fields.keys.sorted() {
                let tag = EventFileWriter.tag(event: event, name: collapsed(name))
                if !(out[event] ?? []).contains(tag) { out[event, default: []].append(tag) }
            }
        }
        return out
    }

    /// `dormant.tau0.1.layers.1` → `dormant.tau0.1.<layer>`, `param_norm.layers.1.weight` →
    /// `param_norm.<parameter>` (a name ending in a weight or bias), `x.layers.3.body.0` → `x.<layer>`.
    static func collapsed(_ name: String) -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 4 && parts[0] == "hessian_density" && Int(parts[2]) != nil && Int(parts[3]) != nil {
            return "hessian_density.\(parts[1]).<v>.<j>"
        }
        guard let i = parts.indices.dropLast().first(where: { parts[$0] == "layers" && Int(parts[$0 + 1]) != nil }) else {
            return name
        }
        let placeholder = ["weight", "bias"].contains(parts.last!) && i + 2 < parts.count ? "<parameter>" : "<layer>"
        return (parts[..<i] + [placeholder]).joined(separator: ".")
    }
}
