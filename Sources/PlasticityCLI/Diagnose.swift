import ArgumentParser
import Diagnostics
import Experiments
import Foundation
import Networks
import Reports
import Tensors

/// `plasticity diagnose`: every plasticity diagnostic of one saved network.
struct Diagnose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure every plasticity diagnostic on a checkpoint (table or JSON).",
        discussion: """
            CHECKPOINT is a safetensors state dict: a run's model.safetensors or checkpoint, or a
            PyTorch state_dict saved with safetensors.torch.save_file (names as in docs/engine.md).
            The architecture comes from --arch or from a config/run directory (--config); the probe
            batch is the first --probe-size examples of --data (or of the config's data), or a
            .npy file. Metric names and formulas: docs/metrics.md.
            Examples:
              plasticity diagnose runs/rl/model.safetensors --config runs/rl
              plasticity diagnose model.safetensors --arch "mlp[256,256] relu" --data fashion-mnist --json
              plasticity diagnose model.safetensors --arch cnn --probe x.npy --probe-labels y.npy --groups units,features
            """)

    @Argument(help: "Safetensors file with the network's parameters.") var checkpoint: String
    @Option(help: "Experiment config (TOML) or run directory: architecture and data.") var config: String?
    @Option(help: ArgumentHelp("Architecture, e.g. \"mlp[256,256] relu norm=layernorm\".", valueName: "spec")) var arch: String?
    @Option(help: "Dataset for the probe batch (fashion-mnist, mnist, cifar10, cifar100, mnist1d, gaussian-clusters).") var data: String?
    @Option(help: "Directory of the dataset's files (default: its standard location).") var dataDir: String?
    @Option(help: "Split the probe examples come from: train or test.") var split = "train"
    @Option(help: "Probe inputs [N, …] as .npy (instead of --data).") var probe: String?
    @Option(help: "Probe class labels [N] as .npy (needed for gradient and curvature metrics).") var probeLabels: String?
    @Option(help: "Number of probe examples.") var probeSize = 256
    /// Every group but `hessian_density`, whose 240 quadrature values are drawn by --density instead.
    static let defaultGroups = DiagnosticGroup.standardNames.filter { $0 != "hessian_density" }
    @Option(help: "Comma-separated groups (\(DiagnosticGroup.standardNames.joined(separator: ","))).") var groups = Self.defaultGroups.joined(separator: ",")
    @Option(help: ArgumentHelp("Also write the Hessian's eigenvalue density (SLQ, log scale) as an SVG chart (needs probe labels).",
                               valueName: "out.svg")) var density: String?
    @Option(help: "Checkpoint at initialisation, for distances and drifts from it.") var initial: String?
    @Option(help: "Seed of the fresh network the probe-task group compares with.") var seed: UInt64 = 0
    @Option(help: "Most Hutchinson samples for the Hessian trace (one Hessian-vector product each).") var traceSamples = 100
    @Option(help: MemoryLimitFlag.help) var memoryLimit: String?
    @Flag(help: "Print one JSON object instead of the table.") var json = false

    func validate() throws {
        if config == nil && arch == nil { throw ValidationError("give --arch SPEC or --config CONFIG|RUN_DIR") }
        if config == nil && data == nil && probe == nil { throw ValidationError("give --data NAME, --probe X.npy or --config") }
        if probeLabels != nil && probe == nil { throw ValidationError("--probe-labels needs --probe") }
        if traceSamples < 2 { throw ValidationError("--trace-samples must be ≥ 2") }
    }

    func run() throws {
        do {
            let experiment = try config.map { try ExperimentConfig.load(path: Self.configPath($0)) }
            let architecture = try arch.map { try Architecture(parsing: $0) } ?? experiment!.model
            let source: CheckpointDiagnosis.ProbeSource
            if let probe {
                source = .npy(inputs: probe, labels: probeLabels)
            } else {
                var dataConfig = experiment?.data ?? DataConfig()
                if let data { dataConfig = DataConfig(dataset: data) }
                if let dataDir { dataConfig.directory = dataDir }
                source = .dataset(dataConfig, split: split)
            }
            let diagnosis = try CheckpointDiagnosis(checkpoint: checkpoint, architecture: architecture, probe: source,
                                                    probeSize: probeSize, initial: initial, seed: seed,
                                                    budget: try MemoryBudget.standard(flag: memoryLimit),
                                                    architectureSource: arch != nil ? "--arch" : "\(Self.configPath(config!)): model")
            let names = groups.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            let results = try diagnosis.run(groups: names, traceSamples: traceSamples)
            Console.line(json ? try Self.json(diagnosis, source: source, results) : Self.table(diagnosis, source: source, results))
            if let density { try Self.writeDensity(diagnosis, to: density) }
        } catch let e as ExitCode {
            throw e
        } catch {
            Console.error("error: \(DataDirectoryFlag.explain(error))")
            throw ExitCode.failure
        }
    }

    /// The Hessian eigenvalue density of the diagnosed network on its probe batch, as an SVG chart.
    static func writeDensity(_ d: CheckpointDiagnosis, to path: String) throws {
        guard case .labels = d.probe.targets else { throw DiagnosticError("--density needs probe labels (--probe-labels, or --data)") }
        let q = try hessianSpectralDensity(network: d.network, probe: d.probe)
        let name = URL(fileURLWithPath: d.checkpoint).lastPathComponent
        guard let chart = HessianDensityChart.chart([.init(name: name, quadratures: [(q.nodes, q.weights)])],
                                                    title: "\(name): Hessian eigenvalue density, \(d.probe.exampleCount) probe examples",
                                                    caption: "Stochastic Lanczos quadrature (4 start vectors × 30 steps), σ = 1 % of the range.")
        else { throw DiagnosticError("--density: the Lanczos process returned no eigenvalues") }
        do { try chart.svg().write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw DiagnosticError("--density \(path): cannot write the chart (\(error.localizedDescription))")
        }
        Console.line("density: \(path)")
    }

    /// A run directory stands for its `config.toml`.
    static func configPath(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? RunDirectory(path).configURL.path : path
    }

    static func format(_ v: Double?) -> String { v.map { String(format: "%.6g", $0) } ?? "null" }

    static func table(_ d: CheckpointDiagnosis, source: CheckpointDiagnosis.ProbeSource,
                      _ results: [CheckpointDiagnosis.GroupResult]) -> String {
        var lines = ["\(d.checkpoint): \(d.architecture), probe \(d.probe.exampleCount) examples of \(source)"]
        let width = max(40, results.flatMap { $0.values.entries.map(\.name.count) }.max() ?? 0)
        for r in results {
            if let why = r.skipped {
                lines.append("\n[\(r.name)] skipped: \(why)")
                continue
            }
            lines.append(String(format: "\n[%@] %.3f s", r.name, r.seconds))
            for (name, value) in r.values.entries {
                lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + format(value))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ d: CheckpointDiagnosis, source: CheckpointDiagnosis.ProbeSource,
                     _ results: [CheckpointDiagnosis.GroupResult]) throws -> String {
        var metrics: [String: Any] = [:], seconds: [String: Any] = [:], skipped: [String: Any] = [:]
        for r in results {
            for (name, value) in r.values.entries { metrics[name] = value.map { $0 as Any } ?? NSNull() }
            if let why = r.skipped { skipped[r.name] = why } else { seconds[r.name] = r.seconds }
        }
        let payload: [String: Any] = [
            "checkpoint": d.checkpoint, "architecture": d.architecture.description,
            "probe": ["source": source.description, "examples": d.probe.exampleCount],
            "metrics": metrics, "seconds": seconds, "skipped": skipped,
        ]
        let data = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
