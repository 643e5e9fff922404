import ArgumentParser
import Connectivity
import Experiments
import Foundation
import Networks
import Reports
import Tensors

/// `plasticity lmc`: layer-wise linear mode connectivity of two checkpoints.
struct LMCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lmc",
        abstract: "Loss barriers along linear paths between two networks: whole, per layer, cumulative.",
        discussion: """
            Interpolates θ(α) = (1−α)θ_A + αθ_B on a grid of α for the whole network, each
            layer alone (the other layers kept at A, and at B), the first k and last k layers,
            and any --group, and measures loss and accuracy on the training and test data.
            A barrier is max over α of L(θ(α)) minus the chord between the path's endpoints;
            the midpoint barrier ("mid") is L(θ(½)) minus the mean of L(θ_A) and L(θ_B)
            (Adilova et al. 2024, Layer-wise Linear Mode Connectivity, ICLR). BatchNorm
            statistics are recomputed on the training data at every point unless
            --no-recompute-bn.
            A and B are safetensors files: run checkpoints, a run's model.safetensors, or
            PyTorch state_dicts saved with safetensors.torch.save_file under the same names
            (layers.0.weight, …). The architecture and data come from --config, else from the
            config.toml of A's run directory; --arch/--widths/… and --data/… override them.
            Writes DIR/lmc.json (every curve), DIR/lmc-loss.svg (train loss along α),
            DIR/lmc-test-loss.svg and DIR/lmc-cumulative.svg.
            Examples:
              plasticity lmc runs/a/model.safetensors runs/b/model.safetensors --out lmc-ab
              plasticity lmc A.safetensors B.safetensors --arch mlp --widths 128,128 --data mnist1d
              plasticity lmc A.safetensors B.safetensors --config run.toml --group head=layers.4 --robustness
            """)

    @Argument(help: "Checkpoint A (safetensors).") var a: String
    @Argument(help: "Checkpoint B (safetensors).") var b: String
    @Option(help: "Experiment config whose [model] and [data] to use.") var config: String?
    @Option(help: ArgumentHelp("Architecture: a family (mlp, cnn, cnn-deep, resnet) or a one-line spec as for diagnose, e.g. \"mlp[128,128] relu norm=layernorm\".", valueName: "spec")) var arch: String?
    @Option(help: "Hidden widths, comma-separated (with --arch).") var widths: String?
    @Option(help: "Activation (with --arch).") var activation: String?
    @Option(help: "none, layernorm or batchnorm (with --arch).") var norm: String?
    @Option(help: "Residual blocks per stage (with --arch resnet).") var blocksPerStage: Int?
    @Option(help: "Dataset: fashion-mnist, mnist, cifar10, cifar100, mnist1d, gaussian-clusters.") var data: String?
    @Option(help: "Dataset directory (with --data).") var dataDir: String?
    @Option(help: "Generated datasets: examples per split (with --data).") var dataCount: Int?
    @Option(help: "Generated datasets: seed (with --data).") var dataSeed: Int?
    @Option(help: "Training examples evaluated (0 = all).") var trainSubset = 2000
    @Option(help: "Test examples evaluated (0 = all).") var testSubset = 2000
    @Option(help: "Points on the α grid, 0 and 1 included.") var points = 21
    @Flag(inversion: .prefixedNo, help: "Recompute BatchNorm statistics at every point.") var recomputeBn = true
    @Option(help: "An extra group, NAME=param-or-layer,… (repeatable).") var group: [String] = []
    @Flag(help: "Also measure robustness: loss increase under random perturbations per layer vs whole network.") var robustness = false
    @Option(help: "Perturbation norm (default: each layer's A–B distance).") var radius: Double?
    @Option(help: "Random perturbations per layer.") var samples = 5
    @Option(help: "Seed of the perturbations.") var seed: UInt64 = 0
    @Option(help: MemoryLimitFlag.help) var memoryLimit: String?
    @Option(help: "Output directory.") var out = "lmc"

    /// Most α grid points and perturbation samples: far above any published grid (21–51), low
    /// enough that a typo cannot ask for hours of evaluations or gigabytes of curves.
    static let maximumPoints = 10_001, maximumSamples = 10_000

    func validate() throws {
        guard points >= 2, points <= Self.maximumPoints else { throw ValidationError("--points must be 2…\(Self.maximumPoints), got \(points)") }
        guard trainSubset >= 0, testSubset >= 0 else { throw ValidationError("--train-subset and --test-subset must be ≥ 0") }
        guard samples >= 1, samples <= Self.maximumSamples else { throw ValidationError("--samples must be 1…\(Self.maximumSamples), got \(samples)") }
    }

    func run() throws {
        do {
            let experiment = try resolvedConfig()
            let budget = try MemoryBudget.standard(flag: memoryLimit)
            let (train, test, dataset) = try ConnectivityInputs.evaluationSets(
                experiment.data, trainLimit: trainSubset == 0 ? nil : trainSubset, testLimit: testSubset == 0 ? nil : testSubset, budget: budget)
            let network = try ConnectivityInputs.network(experiment, for: dataset, budget: budget,
                                                         source: arch != nil ? "--arch" : config.map { "\($0): model" } ?? "\(a)'s config.toml: model")
            let pair = try EndpointPair(network: network, a: URL(fileURLWithPath: a), b: URL(fileURLWithPath: b))
            var options = ConnectivityOptions()
            options.alphas = ConnectivityOptions.grid(points)
            options.recomputeBatchNorm = recomputeBn
            let groups = try group.map { spec -> ParameterGroup in
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--group '\(spec)': expected NAME=name,name,…") }
                return try ParameterGroup.custom(name: parts[0], members: parts[1].split(separator: ",").map(String.init), in: network)
            }
            Console.line("\(experiment.model) on \(experiment.data.dataset): \(train.count) train / \(test?.count ?? 0) test examples, \(points) points")
            let analysis = ConnectivityAnalysis(pair: pair, train: train, test: test, options: options)
            var report = try analysis.run(custom: groups)
            if robustness { report.robustness = try analysis.robustness(radius: radius, samples: samples, seed: seed) }
            Console.line(LMCTable.render(report))
            try write(report, architecture: "\(experiment.model)", dataset: experiment.data.dataset)
        } catch let e as ValidationError {
            throw e
        } catch {
            // --data-dir applies with --data; a config's directory is its data.dir.
            Console.error("error: \(data != nil ? DataDirectoryFlag.explain(error) : error)")
            throw ExitCode.failure
        }
    }

    /// The config whose model and data are used: --config, else A's run config, else the
    /// defaults; then --arch… and --data… flags, parsed by the experiment config parser.
    private func resolvedConfig() throws -> ExperimentConfig {
        var base = ExperimentConfig()
        if let config {
            base = try ExperimentConfig.load(path: config)
        } else if let found = ConnectivityInputs.runConfig(near: URL(fileURLWithPath: a)) {
            base = try ExperimentConfig.load(path: found.path)
        } else if arch == nil || data == nil {
            throw ValidationError("no config.toml next to \(a): give --config FILE, or --arch and --data")
        }
        var toml = ""
        let isSpec = arch?.contains(where: { $0 == "[" || $0 == " " }) ?? false
        if let arch, !isSpec {
            toml += "[model]\narch = \(quoted(arch))\n"
            if let widths { toml += "widths = [\(widths)]\n" }
            if let activation { toml += "activation = \(quoted(activation))\n" }
            if let norm { toml += "norm = \(quoted(norm))\n" }
            if let blocksPerStage { toml += "blocks_per_stage = \(blocksPerStage)\n" }
        }
        if let data {
            toml += "[data]\ndataset = \(quoted(data))\n"
            if let dataDir { toml += "dir = \(quoted(dataDir))\n" }
            if let dataCount { toml += "count = \(dataCount)\n" }
            if let dataSeed { toml += "seed = \(dataSeed)\n" }
        }
        let flags = try ExperimentConfig.parse(toml, file: "command-line options")
        if let arch, isSpec {
            base.model = try Architecture(parsing: arch)
        } else if arch != nil {
            base.model = flags.model
        }
        if data != nil { base.data = flags.data }
        return base
    }

    private func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private func write(_ report: ConnectivityReport, architecture: String, dataset: String) throws {
        let dir = URL(fileURLWithPath: out)
        try FileSystem.createDirectory(dir)
        let document = LMCDocument(a: a, b: b, architecture: architecture, dataset: dataset, report: report)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(document).write(to: dir.appendingPathComponent("lmc.json"))
        var charts = [("lmc-loss.svg", ConnectivityCharts.lossCurves([report], title: "Train loss along the path (others at A)")),
                      ("lmc-cumulative.svg", ConnectivityCharts.cumulativeBarriers([report], title: "Barrier of the first / last k layers"))]
        if report.whole?.test != nil {
            charts.append(("lmc-test-loss.svg", ConnectivityCharts.lossCurves([report], split: "test", title: "Test loss along the path (others at A)")))
        }
        for (file, chart) in charts { try chart.svg().write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8) }
        Console.line("wrote \(dir.appendingPathComponent("lmc.json").path) and \(charts.map(\.0).joined(separator: ", "))")
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

/// The barrier table: one row per path.
enum LMCTable {
    static func render(_ report: ConnectivityReport) -> String {
        let width = max(24, (report.curves.map(\.label.count).max() ?? 0) + 2)
        func cell(_ v: Double?) -> String { (v.map { String(format: "%.4f", $0) } ?? "-").padding(toLength: 14, withPad: " ", startingAt: 0) }
        var lines = ["path".padding(toLength: width, withPad: " ", startingAt: 0)
            + ["train loss B", "train acc B", "train mid B", "test loss B", "test acc B", "‖A−B‖"].map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined()]
        for c in report.curves {
            lines.append(c.label.padding(toLength: width, withPad: " ", startingAt: 0) + cell(c.train.lossBarrier) + cell(c.train.accuracyBarrier)
                         + cell(c.train.midpointBarrier) + cell(c.test?.lossBarrier) + cell(c.test?.accuracyBarrier) + cell(c.distance))
        }
        if !report.robustness.isEmpty {
            lines.append("")
            lines.append("robustness: train-loss increase at θ_A + r·u (mean over samples)")
            lines.append("layer".padding(toLength: width, withPad: " ", startingAt: 0)
                + ["r", "in layer", "whole net", "to B"].map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined())
            for r in report.robustness {
                lines.append(r.group.padding(toLength: width, withPad: " ", startingAt: 0) + cell(r.radius) + cell(r.meanGroupIncrease)
                             + cell(r.meanWholeIncrease) + cell(r.averagingIncrease))
            }
        }
        return lines.joined(separator: "\n")
    }
}
