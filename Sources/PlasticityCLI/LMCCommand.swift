import ArgumentParser
import Experiments
import Foundation
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
            var overrides = ModelDataOverrides()
            (overrides.architecture, overrides.widths, overrides.activation, overrides.norm) = (arch, widths, activation, norm)
            overrides.blocksPerStage = blocksPerStage
            (overrides.dataset, overrides.dataDirectory, overrides.dataCount, overrides.dataSeed) = (data, dataDir, dataCount, dataSeed)
            let checkpointA = URL(fileURLWithPath: a)
            var lmc = LMCAnalysis(a: checkpointA, b: URL(fileURLWithPath: b),
                                  config: try LMCAnalysis.config(near: checkpointA, file: config, overrides: overrides))
            lmc.architectureSource = arch != nil ? "--arch" : config.map { "\($0): model" } ?? "\(a)'s config.toml: model"
            (lmc.trainLimit, lmc.testLimit) = (trainSubset == 0 ? nil : trainSubset, testSubset == 0 ? nil : testSubset)
            (lmc.points, lmc.recomputeBatchNorm, lmc.groups) = (points, recomputeBn, group)
            if robustness { lmc.robustness = LMCAnalysis.Robustness(radius: radius, samples: samples, seed: seed) }
            lmc.budget = try MemoryBudget.standard(flag: memoryLimit)
            let report = try lmc.run(log: Console.line)
            Console.line(LMCTable.render(report))
            let dir = URL(fileURLWithPath: out)
            let files = try lmc.write(report, to: dir)
            Console.line("wrote \(dir.appendingPathComponent(files[0]).path) and \(files.dropFirst().joined(separator: ", "))")
        } catch let e as LMCAnalysis.Missing {
            throw ValidationError(e.description)
        } catch let e as LMCAnalysis.GroupSpecError {
            throw ValidationError(e.description)
        } catch {
            // --data-dir applies with --data; a config's directory is its data.dir.
            Console.error("error: \(data != nil ? DataDirectoryFlag.explain(error) : error)")
            throw ExitCode.failure
        }
    }
}
