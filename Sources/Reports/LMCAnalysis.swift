import Connectivity
import Experiments
import Foundation
import Tensors

/// One `plasticity lmc` analysis: layer-wise linear mode connectivity of two checkpoints of
/// the network a config describes, on that config's data, written as `lmc.json` and charts.
///
/// ```swift
/// var lmc = LMCAnalysis(a: urlA, b: urlB, config: try LMCAnalysis.config(near: urlA, file: nil, overrides: ModelDataOverrides()))
/// let report = try lmc.run { print($0) }
/// try lmc.write(report, to: URL(fileURLWithPath: "lmc-ab"))
/// ```
public struct LMCAnalysis {
    /// Perturbation robustness: `samples` random directions of norm `radius` per layer
    /// (nil: each layer's A–B distance), drawn from `seed`.
    public struct Robustness: Sendable {
        public var radius: Double?
        public var samples: Int
        public var seed: UInt64
        public init(radius: Double? = nil, samples: Int = 5, seed: UInt64 = 0) {
            (self.radius, self.samples, self.seed) = (radius, samples, seed)
        }
    }

    public var a: URL
    public var b: URL
    public var config: ExperimentConfig
    /// Where the architecture came from, for budget errors ("--arch", "run.toml: model").
    public var architectureSource = "model"
    /// Training and test examples evaluated (nil: all).
    public var trainLimit: Int? = 2000
    public var testLimit: Int? = 2000
    /// Points on the α grid, 0 and 1 included.
    public var points = 21
    public var recomputeBatchNorm = true
    /// Extra groups, `NAME=member,member,…` (members are parameter or layer names).
    public var groups: [String] = []
    public var robustness: Robustness?
    public var budget = MemoryBudget.builtIn

    public init(a: URL, b: URL, config: ExperimentConfig) {
        self.a = a
        self.b = b
        self.config = config
    }

    /// The config whose `[model]` and `[data]` describe the checkpoints: `file`, else the
    /// `config.toml` of A's run directory, else the defaults (then `overrides` must name both
    /// an architecture and a dataset); with `overrides` applied. Throws `Missing` when no
    /// config can be found and the overrides do not make one.
    public static func config(near a: URL, file: String?, overrides: ModelDataOverrides) throws -> ExperimentConfig {
        var base = ExperimentConfig()
        if let file {
            base = try ExperimentConfig.load(path: file)
        } else if let found = ConnectivityInputs.runConfig(near: a) {
            base = try ExperimentConfig.load(path: found.path)
        } else if overrides.architecture == nil || overrides.dataset == nil {
            throw Missing(checkpoint: a.path)
        }
        return try overrides.applied(to: base)
    }

    /// No config for a checkpoint outside a run directory; `description` is one line.
    public struct Missing: Error, CustomStringConvertible {
        public let checkpoint: String
        public var description: String { "no config.toml next to \(checkpoint): give --config FILE, or --arch and --data" }
    }

    /// Loads the data and both endpoints, measures every path (and the robustness, when
    /// asked) and returns the report; `log` receives a one-line description of the inputs.
    public func run(log: (String) -> Void = { _ in }) throws -> ConnectivityReport {
        let (train, test, dataset) = try ConnectivityInputs.evaluationSets(config.data, trainLimit: trainLimit, testLimit: testLimit,
                                                                          budget: budget)
        let network = try ConnectivityInputs.network(config, for: dataset, budget: budget, source: architectureSource)
        let pair = try EndpointPair(network: network, a: a, b: b)
        var options = ConnectivityOptions()
        options.alphas = ConnectivityOptions.grid(points)
        options.recomputeBatchNorm = recomputeBatchNorm
        let custom = try groups.map { spec -> ParameterGroup in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw GroupSpecError(spec: spec) }
            return try ParameterGroup.custom(name: parts[0], members: parts[1].split(separator: ",").map(String.init), in: network)
        }
        log("\(config.model) on \(config.data.dataset): \(train.count) train / \(test?.count ?? 0) test examples, \(points) points")
        let analysis = ConnectivityAnalysis(pair: pair, train: train, test: test, options: options)
        var report = try analysis.run(custom: custom)
        if let robustness {
            report.robustness = try analysis.robustness(radius: robustness.radius, samples: robustness.samples, seed: robustness.seed)
        }
        return report
    }

    /// A `--group` that is not `NAME=members`; `description` is one line.
    public struct GroupSpecError: Error, CustomStringConvertible {
        public let spec: String
        public var description: String { "--group '\(spec)': expected NAME=name,name,…" }
    }

    /// Writes `dir/lmc.json` (every curve) and the charts; returns the files written.
    @discardableResult
    public func write(_ report: ConnectivityReport, to dir: URL) throws -> [String] {
        try FileSystem.createDirectory(dir)
        let document = LMCDocument(a: a.relativePath, b: b.relativePath, architecture: "\(config.model)",
                                   dataset: config.data.dataset, report: report)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileSystem.write(encoder.encode(document), to: dir.appendingPathComponent("lmc.json"))
        var charts = [("lmc-loss.svg", ConnectivityCharts.lossCurves([report], title: "Train loss along the path (others at A)")),
                      ("lmc-cumulative.svg", ConnectivityCharts.cumulativeBarriers([report], title: "Barrier of the first / last k layers"))]
        if report.whole?.test != nil {
            charts.append(("lmc-test-loss.svg", ConnectivityCharts.lossCurves([report], split: "test", title: "Test loss along the path (others at A)")))
        }
        for (file, chart) in charts { try FileSystem.write(chart.svg(), to: dir.appendingPathComponent(file)) }
        return ["lmc.json"] + charts.map(\.0)
    }
}

/// What `plasticity lmc` writes to lmc.json.
struct LMCDocument: Codable {
    let a: String
    let b: String
    let architecture: String
    let dataset: String
    let report: ConnectivityReport
}
