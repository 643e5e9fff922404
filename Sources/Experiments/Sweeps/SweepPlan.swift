import Foundation
import TOMLKit

/// The runs of a sweep: the Cartesian product of a grid of config values, each a full
/// experiment config with its own run directory.
///
/// A sweep file is TOML: `name`, an optional `config` (an experiment config file, relative to
/// the sweep file) and/or a `[base]` table (experiment config keys, merged over `config`),
/// and a `[grid]` whose keys are dotted config keys (`seed`, `stream.protocol`,
/// `optimizer.lr`, …) with arrays of values. The grid key `interventions` takes strings:
/// `"none"` or intervention names joined by `+`; `[parameters.<name>]` tables give those
/// interventions' parameters. An optional `[slurm]` table configures the Slurm backend
/// (see `SlurmSweep`). Axes vary in file order, the last fastest; run `i`'s directory is
/// `runs/<key>-<value>/…` with one component per axis.
///
/// ```toml
/// name = "lr-by-protocol"
/// config = "random-labels-quick.toml"
/// [grid]
/// "stream.protocol" = ["random-labels", "label-permutation"]
/// interventions = ["none", "redo"]
/// seed = [0, 1]
/// [parameters.redo]
/// tau = 0.1
/// ```
public struct SweepPlan: Sendable {
    /// One run of the sweep.
    public struct PlannedRun: Sendable {
        /// Position in the sweep (the Slurm array index).
        public let index: Int
        /// `key=value` for every axis, in grid order.
        public let assignments: [(key: String, value: String)]
        public let config: ExperimentConfig
        /// Path of its run directory inside the sweep directory.
        public let relativePath: String
    }

    public let name: String
    /// The grid axes in file order: key and the values as written.
    public let axes: [(key: String, values: [String])]
    public let runs: [PlannedRun]
    /// The `[slurm]` table's settings.
    public let slurm: SlurmSettings

    /// Parses sweep TOML `text`; `file` names it in errors and anchors a relative `config`.
    public init(text: String, file: String) throws {
        let root: TOMLTable
        try TOMLPrecheck.check(text, file: file)
        do { root = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, "invalid TOML: \(e.description)")
        }
        let known: Set<String> = ["name", "config", "base", "grid", "parameters", "slurm"]
        if let extra = root.keys.first(where: { !known.contains($0) }) {
            throw ConfigError(file: file, "unknown sweep key '\(extra)' (\(known.sorted().joined(separator: ", ")))")
        }
        guard let name = root["name"]?.string, !name.isEmpty, !name.contains("/") else {
            throw ConfigError(file: file, "a sweep needs a 'name' (a string without '/')")
        }
        self.name = name
        var base = TOMLTable()
        if let c = root["config"] {
            guard let relative = c.string else { throw ConfigError(file: file, "'config' must be a file name") }
            let path = relative.hasPrefix("/") ? relative
                : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(relative).path
            guard let configText = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigError(file: file, "config '\(relative)': no such file (\(path))")
            }
            try TOMLPrecheck.check(configText, file: path)
            do { base = try TOMLTable(string: configText) } catch let e as TOMLParseError {
                throw ConfigError(file: path, line: e.source.begin.line, "invalid TOML: \(e.description)")
            }
        }
        if let b = root["base"] {
            guard let table = b.table else { throw ConfigError(file: file, "[base] must be a table") }
            base = merge(base, table)
        }
        guard let grid = root["grid"]?.table, !grid.keys.isEmpty else {
            throw ConfigError(file: file, "a sweep needs a [grid] with at least one key")
        }
        let parameters = root["parameters"]?.table ?? TOMLTable()
        slurm = try SlurmSettings(root["slurm"], file: file)

        var axes: [(key: String, values: [TOMLValueConvertible])] = []
        for key in Self.orderedKeys(grid, text: text) {
            guard let array = grid[key]?.array, !array.isEmpty else {
                throw ConfigError(file: file, "grid.\(key) must be a non-empty array of values")
            }
            axes.append((key, Array(array)))
        }
        self.axes = axes.map { ($0.key, $0.values.map(Self.text)) }
        // The product, counted without overflow, is bounded before any run is built.
        var planned = 1
        for axis in axes {
            let (product, overflow) = planned.multipliedReportingOverflow(by: axis.values.count)
            planned = overflow || product > StudyPlan.maximumRuns ? StudyPlan.maximumRuns + 1 : product
        }
        guard planned <= StudyPlan.maximumRuns else {
            throw ConfigError(file: file, "the grid's " + axes.map { "\($0.values.count) \($0.key)" }.joined(separator: " × ")
                + " runs are more than the \(StudyPlan.maximumRuns) a sweep may plan")
        }

        var runs: [PlannedRun] = []
        var counters = [Int](repeating: 0, count: axes.count)
        while true {
            let config = merge(base, TOMLTable())
            var assignments: [(String, String)] = []
            for (a, axis) in axes.enumerated() {
                let value = axis.values[counters[a]]
                assignments.append((axis.key, Self.text(value)))
                if axis.key == "interventions" {
                    config["interventions"] = try Self.interventions(value, parameters: parameters, file: file)
                } else {
                    try Self.set(config, path: axis.key.split(separator: ".").map(String.init), value: value, file: file)
                }
            }
            let label = assignments.filter { $0.0 != "seed" }.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
            config["name"] = label.isEmpty ? name : "\(name)/\(label)"
            let parsed: ExperimentConfig
            do { parsed = try ExperimentConfig.parse(config.convert(), file: file) } catch let e as ConfigError {
                throw ConfigError(file: file, "run \(assignments.map { "\($0.0)=\($0.1)" }.joined(separator: ",")): \(e.problem)")
            }
            let path = "runs/" + assignments.map { "\(pathComponent($0.0))-\(pathComponent($0.1))" }.joined(separator: "/")
            runs.append(PlannedRun(index: runs.count, assignments: assignments, config: parsed, relativePath: path))
            var a = axes.count - 1
            while a >= 0 {
                counters[a] += 1
                if counters[a] < axes[a].values.count { break }
                counters[a] = 0
                a -= 1
            }
            if a < 0 { break }
        }
        self.runs = runs
    }

    /// The grid's keys in the order they appear in the file (TOML tables are unordered).
    private static func orderedKeys(_ grid: TOMLTable, text: String) -> [String] {
        let start = text.range(of: "[grid]")?.upperBound ?? text.startIndex
        func position(_ key: String) -> Int {
            for quoted in ["\"\(key)\"", key] {
                if let r = text.range(of: "\n" + quoted + " ", range: start..<text.endIndex)
                    ?? text.range(of: "\n" + quoted + "=", range: start..<text.endIndex) {
                    return text.distance(from: text.startIndex, to: r.lowerBound)
                }
            }
            return Int.max
        }
        return grid.keys.sorted { (position($0), $0) < (position($1), $1) }
    }

    /// A value as written in labels and paths: strings bare, numbers as TOML writes them.
    private static func text(_ v: TOMLValueConvertible) -> String {
        if let s = v.string { return s }
        if let i = v.int { return String(i) }
        if let d = v.double { return String(d) }
        if let b = v.bool { return String(b) }
        return String(describing: v)
    }

    /// Sets `path` (a dotted key split) in `table`, creating sub-tables.
    private static func set(_ table: TOMLTable, path: [String], value: TOMLValueConvertible, file: String) throws {
        guard path.count > 1 else { table[path[0]] = value; return }
        let sub = table[path[0]]?.table ?? TOMLTable()
        try set(sub, path: Array(path.dropFirst()), value: value, file: file)
        table[path[0]] = sub
    }

    /// `"none"` or `"a+b"` as an `[[interventions]]` array with each name's `[parameters.<name>]`.
    private static func interventions(_ value: TOMLValueConvertible, parameters: TOMLTable, file: String) throws -> TOMLArray {
        guard let s = value.string else { throw ConfigError(file: file, "grid.interventions values must be strings (\"none\" or \"a+b\")") }
        guard s != "none" else { return TOMLArray() }
        return TOMLArray(s.split(separator: "+").map { name -> TOMLValueConvertible in
            let t = merge(parameters[String(name)]?.table ?? TOMLTable(), TOMLTable())
            t["name"] = String(name)
            return t
        })
    }
}

/// A label made safe for a path: letters, digits and `.`, `_`, `-`, `+` kept (so `1e+30` and
/// `redo+l2` stay readable), anything else becomes `_`.
func pathComponent(_ s: String) -> String {
    String(s.map { $0.isLetter || $0.isNumber || ".-_+".contains($0) ? $0 : "_" })
}
