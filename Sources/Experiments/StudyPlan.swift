import Foundation
import TOMLKit

/// The runs of a study: every (group, variant, seed) combination as a full experiment config.
///
/// A study file is TOML: metadata (`name`, `title`, `claim`, `source`, `seeds`, and `kind`:
/// "supervised", the default, or "rl" for DQN runs whose configs are `RLRunConfig`s), a
/// `[base]` config shared by every run, per-scale overrides `[scales.<name>]` (`quick`,
/// `standard`, `full`, …), and two axes of partial configs, `[[groups]]` (e.g. protocols) and
/// `[[variants]]` (e.g. interventions), each with a `label`, a `config` table, optional
/// per-scale overrides `[groups.scales.quick]` / `[variants.scales.full]` (for an entry whose
/// settings depend on the scale, e.g. a variant's task length) and an optional
/// `only_at_scales = ["standard", "full"]` (the entry runs at those scales only, e.g. an
/// architecture arm too slow for the quick scale). A run's config is
/// base ← scale ← group ← group's scale ← variant ← variant's scale, merged key by key, then
/// `seed = k`, and is validated by the same strict parser as `plasticity run`. The seeds are
/// `first_seed` … `first_seed + seeds − 1`; `first_seed` (default 0) is set per scale, so a
/// pilot scale runs on seeds that the reference scales never reuse.
public struct StudyPlan: Sendable {
    /// One run of the study.
    public struct PlannedRun: Sendable {
        public let group: String
        public let variant: String
        public let seed: Int
        public let config: RunConfig
        /// Path of its run directory inside the study directory.
        public var relativePath: String { "runs/\(slug(group))/\(slug(variant))/seed-\(seed)" }
        /// The `plasticity` subcommand that continues this run's directory (`run --resume`, or
        /// `rl resume` for an RL run); it starts from the beginning a directory holding only its config.
        public var resumeSubcommand: [String] { experiment == nil ? ["rl", "resume"] : ["run", "--resume"] }
        /// The experiment config of a supervised run, nil for an RL run.
        public var experiment: ExperimentConfig? {
            if case .experiment(let c) = config { return c }
            return nil
        }
    }

    /// What a run trains: an experiment (`plasticity run`) or a DQN (`plasticity rl run`).
    public enum RunConfig: Sendable {
        case experiment(ExperimentConfig)
        case rl(RLRunConfig)

        /// The resolved config as TOML.
        public var toml: String {
            switch self {
            case .experiment(let c): c.toml
            case .rl(let c): c.toml
            }
        }
    }

    public let name: String
    /// "supervised" or "rl".
    public let kind: String
    public let title: String
    public let claim: String
    public let source: String
    public let scale: String
    public let groups: [String]
    /// The metric each group is judged by, when its `[[groups]]` entry names one.
    public let groupMetrics: [String: String]
    /// The tie margin δ of each group's judged metric, when its entry declares one
    /// (`margin` or `relative_margin`).
    public let groupMargins: [String: StudyMargin]
    public let variants: [String]
    /// The claims the study file declares (`[[claims]]`) for the groups at this scale.
    public let declaredClaims: [DeclaredClaim]
    /// The manipulation checks the study file declares (`[[checks]]`) for the groups at this scale.
    public let checks: [ManipulationCheck]
    public let seeds: Int
    /// The first seed (`[scales.<name>] first_seed`, default 0).
    public let firstSeed: Int
    public let runs: [PlannedRun]

    /// The most seeds per configuration a study may ask for.
    public static let maximumSeeds = 1_000
    /// The most runs a study may plan (groups × variants × seeds), so a typo cannot plan
    /// millions of run directories.
    public static let maximumRuns = 20_000
    /// The largest `first_seed` a scale may declare.
    public static let maximumFirstSeed = 1_000_000

    /// Builds the plan from study TOML `text` (named `file` in errors) at `scale`, with
    /// `seeds` overriding the study's default when given.
    public init(text: String, file: String, scale: String, seeds: Int? = nil) throws {
        let root: TOMLTable
        try TOMLPrecheck.check(text, file: file)
        do { root = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, "invalid TOML: \(e.description)")
        }
        func string(_ key: String) throws -> String {
            guard let s = root[key]?.string else { throw ConfigError(file: file, "study needs a string '\(key)'") }
            return s
        }
        name = try string("name")
        kind = root["kind"]?.string ?? "supervised"
        guard ["supervised", "rl"].contains(kind) else { throw ConfigError(file: file, "kind '\(kind)' is not supervised or rl") }
        title = try string("title")
        claim = try string("claim")
        source = try string("source")
        self.scale = scale
        func seedCount(_ key: String, _ value: (any TOMLValueConvertible)?) throws -> Int? {
            guard let value else { return nil }
            guard let n = value.int else { throw ConfigError(file: file, "\(key) must be an integer") }
            return n
        }
        let scaleSeeds = try seedCount("scales.\(scale).seeds", root["scales"]?.table?[scale]?.table?["seeds"])
        self.seeds = try seeds ?? scaleSeeds ?? seedCount("seeds", root["seeds"]) ?? 2
        guard (1...Self.maximumSeeds).contains(self.seeds) else {
            throw ConfigError(file: file, "seeds must be between 1 and \(Self.maximumSeeds), not \(self.seeds)")
        }
        let known: Set<String> = ["name", "kind", "title", "claim", "source", "seeds", "base", "scales", "groups", "variants", "claims", "checks"]
        if let extra = root.keys.first(where: { !known.contains($0) }) { throw ConfigError(file: file, "unknown study key '\(extra)'") }
        let base = root["base"]?.table ?? TOMLTable()
        let scales = root["scales"]?.table ?? TOMLTable()
        guard scales[scale] != nil || scale == "quick" || scale == "full" else {
            let known = Set(["quick", "full"]).union(root["scales"]?.table?.keys ?? []).sorted()
            throw ConfigError(file: file, "unknown scale '\(scale)' (\(known.joined(separator: ", ")))")
        }
        let scaleTable = merge(scales[scale]?.table ?? TOMLTable(), TOMLTable())
        scaleTable.remove(at: "seeds")
        firstSeed = try seedCount("scales.\(scale).first_seed", scaleTable["first_seed"]) ?? 0
        guard (0...Self.maximumFirstSeed).contains(firstSeed) else {
            throw ConfigError(file: file, "scales.\(scale).first_seed must be between 0 and \(Self.maximumFirstSeed), not \(firstSeed)")
        }
        scaleTable.remove(at: "first_seed")
        func axis(_ key: String) throws -> [(label: String, metric: String?, margin: StudyMargin?, config: TOMLTable)] {
            guard let array = root[key]?.array, !array.isEmpty else { return [("default", nil, nil, TOMLTable())] }
            let entries = try array.compactMap { element -> (label: String, metric: String?, margin: StudyMargin?, config: TOMLTable)? in
                guard let t = element.table, let label = t["label"]?.string else {
                    throw ConfigError(file: file, "every [[\(key)]] entry needs a label")
                }
                let keys = ["label", "metric", "margin", "relative_margin", "config", "scales", "only_at_scales"]
                if let extra = t.keys.first(where: { !keys.contains($0) }) {
                    throw ConfigError(file: file, "[[\(key)]] '\(label)': unknown key '\(extra)' (\(keys.joined(separator: ", ")))")
                }
                let margin = try Self.margin(t, file: file, entry: "[[\(key)]] '\(label)'")
                let perScale = t["scales"]?.table ?? TOMLTable()
                if let extra = perScale.keys.first(where: { scales[$0] == nil && $0 != "quick" && $0 != "full" }) {
                    throw ConfigError(file: file, "[[\(key)]] '\(label)': unknown scale '\(extra)' in its scales table")
                }
                if let only = t["only_at_scales"] {
                    guard let names = only.array?.compactMap(\.string), names.count == only.array?.count, !names.isEmpty else {
                        throw ConfigError(file: file, "[[\(key)]] '\(label)': only_at_scales must be a non-empty array of scale names")
                    }
                    if let extra = names.first(where: { scales[$0] == nil && $0 != "quick" && $0 != "full" }) {
                        throw ConfigError(file: file, "[[\(key)]] '\(label)': unknown scale '\(extra)' in only_at_scales")
                    }
                    if !names.contains(scale) { return nil }
                }
                return (label, t["metric"]?.string, margin, merge(t["config"]?.table ?? TOMLTable(), perScale[scale]?.table ?? TOMLTable()))
            }
            guard !entries.isEmpty else { throw ConfigError(file: file, "no [[\(key)]] entry runs at scale '\(scale)' (only_at_scales)") }
            return entries
        }
        let groupAxis = try axis("groups"), variantAxis = try axis("variants")
        let planned = groupAxis.count * variantAxis.count * self.seeds
        guard planned <= Self.maximumRuns else {
            throw ConfigError(file: file, "\(groupAxis.count) groups × \(variantAxis.count) variants × \(self.seeds) seeds = \(planned) runs, "
                + "more than the \(Self.maximumRuns) a study may plan")
        }
        groups = groupAxis.map(\.label)
        groupMetrics = Dictionary(uniqueKeysWithValues: groupAxis.compactMap { g in g.metric.map { (g.label, $0) } })
        groupMargins = Dictionary(uniqueKeysWithValues: groupAxis.compactMap { g in g.margin.map { (g.label, $0) } })
        variants = variantAxis.map(\.label)
        let allGroups = root["groups"]?.array?.compactMap { $0.table?["label"]?.string } ?? groups
        declaredClaims = try DeclaredClaim.parse(root["claims"], file: file, groups: groups, allGroups: allGroups, variants: variants)
        checks = try ManipulationCheck.parse(root["checks"], file: file, groups: groups, allGroups: allGroups, variants: variants)
        var runs: [PlannedRun] = []
        for g in groupAxis {
            for v in variantAxis {
                let merged = merge(merge(merge(base, scaleTable), g.config), v.config)
                for seed in firstSeed..<(firstSeed + self.seeds) {
                    merged["seed"] = seed
                    merged["name"] = "\(name)/\(g.label)/\(v.label)"
                    do {
                        let config: RunConfig = kind == "rl" ? .rl(try RLRunConfig.parse(merged.convert(), file: file))
                            : .experiment(try ExperimentConfig.parse(merged.convert(), file: file))
                        runs.append(PlannedRun(group: g.label, variant: v.label, seed: seed, config: config))
                    } catch let e as ConfigError {
                        throw ConfigError(file: file, "group '\(g.label)', variant '\(v.label)': \(e.problem)")
                    }
                }
            }
        }
        self.runs = runs
    }

    /// The `margin` / `relative_margin` of an axis entry: a finite number ≥ 0, at most one of the two.
    static func margin(_ entry: TOMLTable, file: String, entry name: String) throws -> StudyMargin? {
        let absolute = entry["margin"], relative = entry["relative_margin"]
        if absolute != nil && relative != nil { throw ConfigError(file: file, "\(name): give margin or relative_margin, not both") }
        guard let given = absolute ?? relative else { return nil }
        let key = absolute != nil ? "margin" : "relative_margin"
        guard let value = given.double ?? given.int.map(Double.init), value.isFinite, value >= 0 else {
            throw ConfigError(file: file, "\(name): \(key) must be a finite number ≥ 0")
        }
        return StudyMargin(value: value, isRelative: relative != nil)
    }
}

/// `over` merged onto `base`: tables merge recursively, other values replace.
func merge(_ base: TOMLTable, _ over: TOMLTable) -> TOMLTable {
    let out = TOMLTable()
    for key in base.keys { out[key] = base[key] }
    for key in over.keys {
        if let a = base[key]?.table, let b = over[key]?.table { out[key] = merge(a, b) } else { out[key] = over[key] }
    }
    return out
}

/// A path-safe version of a label: lower case, runs of other characters become "-".
public func slug(_ label: String) -> String {
    var out = ""
    for c in label.lowercased() {
        if c.isLetter || c.isNumber { out.append(c) } else if !out.hasSuffix("-") { out.append("-") }
    }
    return out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
}
