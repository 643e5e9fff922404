import Crypto
import Foundation

/// What a checkpoint remembers of the config it was trained under: the SHA-256 of the
/// resolved `config.toml` text (`ExperimentConfig.toml`, fixed key order, every field
/// written) and the text itself, so a resume can refuse a changed config and say which keys
/// changed.
///
/// ```swift
/// ConfigFingerprint.changes(from: "[optimizer]\nlr = 0.001\n", to: "[optimizer]\nlr = 0.01\n")
/// // ["optimizer.lr: 0.001 → 0.01"]
/// ```
public enum ConfigFingerprint {
    /// Lower-case hex SHA-256 of the UTF-8 text.
    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The checkpoint metadata that records `config` (resolved text): `config_text`,
    /// `config_sha256` and `code_version` (the commit of this build).
    public static func metadata(_ config: String) -> [String: String] {
        ["config_text": config, "config_sha256": sha256(config), "code_version": BuildInfo.commit]
    }

    /// The keys whose values differ between the config recorded in a checkpoint's `metadata`
    /// and `config`: empty when they agree or the checkpoint predates this record.
    public static func changes(recordedIn metadata: [String: String], comparedTo config: String) -> [String] {
        guard let written = metadata["config_text"], metadata["config_sha256"] != sha256(config) else { return [] }
        let changes = changes(from: written, to: config)
        return changes.isEmpty ? ["the resolved config text (formatting only)"] : changes
    }

    /// The changed keys between `checkpoint`'s record (`metadata`) and `config`; throws,
    /// naming `configFile` and the keys, when there are any and `allowed` is false.
    public static func checkResume(_ metadata: [String: String], config: String, configFile: String, checkpoint: String,
                                   allowed: Bool) throws -> [String] {
        let changes = changes(recordedIn: metadata, comparedTo: config)
        guard changes.isEmpty || allowed else {
            throw ConfigError(file: configFile, "differs from the config \(checkpoint) was trained under (\(changes.joined(separator: "; "))); restore the original values, or resume with --allow-config-change to continue under the new ones (recorded in metrics.jsonl)")
        }
        return changes
    }

    /// Throws unless the run directory `dir` is new (no `config.toml`) or holds exactly
    /// `planned`, naming the file and every changed key; `planner` says who planned the run
    /// ("the study", "the sweep's run 3"). Studies and sweeps check their run directories
    /// with it before anything runs.
    public static func checkPlanned(_ planned: String, in dir: RunDirectory, by planner: String) throws {
        guard let existing = try? String(contentsOf: dir.configURL, encoding: .utf8), existing != planned else { return }
        let changes = changes(from: existing, to: planned)
        let listed = changes.isEmpty ? "the resolved config text (formatting only)" : changes.joined(separator: "; ")
        throw ConfigError(file: dir.configURL.path,
                          "this run was made with a different config than \(planner) plans (\(listed)); move the directory away or use another --out")
    }

    /// "key: old → new" for every key whose value differs between two resolved configs, in
    /// the order of `old` (keys only in `new` last; a missing value reads "(absent)"). Keys are
    /// dotted: `optimizer.lr`, and `interventions[2].rate` for the third `[[interventions]]`.
    public static func changes(from old: String, to new: String) -> [String] {
        let before = flatten(old), after = flatten(new)
        let afterValues = Dictionary(after, uniquingKeysWith: { first, _ in first })
        let beforeKeys = Set(before.map(\.key))
        var lines: [String] = []
        for (key, value) in before where afterValues[key] != value {
            lines.append("\(key): \(value) → \(afterValues[key] ?? "(absent)")")
        }
        for (key, value) in after where !beforeKeys.contains(key) { lines.append("\(key): (absent) → \(value)") }
        return lines
    }

    /// The `key = value` lines of a resolved config with their table as a dotted prefix.
    static func flatten(_ text: String) -> [(key: String, value: String)] {
        var table = "", arrayCounts: [String: Int] = [:], entries: [(key: String, value: String)] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") && line.hasSuffix("]]") {
                let name = String(line.dropFirst(2).dropLast(2))
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                table = "\(name)[\(index)]"
            } else if line.hasPrefix("[") && line.hasSuffix("]") {
                table = String(line.dropFirst().dropLast())
            } else if let eq = line.firstIndex(of: "=") {
                let key = line[..<eq].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                entries.append((table.isEmpty ? key : "\(table).\(key)", value))
            }
        }
        return entries
    }
}
