import Datasets
import Diagnostics
import Foundation
import Networks
import Tensors
import Training

/// Every diagnostic group on one saved network, outside any run (`plasticity diagnose`).
///
/// The network is built from `architecture` with the checkpoint's output width (the first
/// dimension of the last `layers.<i>.weight`) and loaded strictly from the safetensors file,
/// which may be a `model.safetensors`, a run checkpoint (its `optimizer.*` and `hook.*`
/// entries are ignored) or a PyTorch `state_dict` saved with `safetensors.torch.save_file`.
/// The probe batch is the first `probeSize` examples of a dataset split, or a `.npy` file of
/// inputs with an optional `.npy` of class labels; without labels, the groups that need a loss
/// (gradient and curvature metrics) report that instead of values. With an `initial`
/// checkpoint, distances and drifts are measured from it; otherwise they are null.
public struct CheckpointDiagnosis {
    /// Where the probe batch comes from.
    public enum ProbeSource {
        /// The first examples of a dataset split (`train` or `test`).
        case dataset(DataConfig, split: String)
        /// Inputs [N, …] and optional class labels [N] as `.npy` files.
        case npy(inputs: String, labels: String?)
    }

    /// One group's outcome: its values and time, or why it could not run.
    public struct GroupResult {
        public let name: String
        public let values: DiagnosticValues
        public let seconds: Double
        public let skipped: String?
    }

    public let checkpoint: String
    public let architecture: Architecture
    public let probe: ProbeBatch
    public let network: Network
    private let makeNetwork: () throws -> Network
    private let references: DiagnosticReferences

    /// Loads the network and the probe batch; errors name the file at fault.
    public init(checkpoint: String, architecture: Architecture, probe source: ProbeSource,
                probeSize: Int = 256, initial: String? = nil, seed: UInt64 = 0,
                budget: MemoryBudget = .builtIn, architectureSource: String = "--arch") throws {
        guard probeSize > 0 else { throw ConfigError(file: checkpoint, "probe size must be ≥ 1") }
        let model = try Self.modelEntries(checkpoint)
        let outputs = try Self.outputWidth(model, file: checkpoint)
        let batch = try Self.probeBatch(source, size: probeSize, budget: budget)
        let shape = Shape(Array(batch.inputs.shape.dimensions.dropFirst()))
        let n = batch.exampleCount
        try budget.check(architecture, inputShape: shape, outputs: outputs, input: architectureSource,
                         usage: "diagnosis on \(n) probe examples") { $0.diagnosisBytes(probe: n, curvature: true) }
        let build = {
            var rng = RandomGenerator(seed: seed)
            return try architecture.build(inputShape: shape, outputs: outputs, rng: &rng)
        }
        network = try build()
        try Self.load(model, into: network, file: checkpoint)
        var refs = DiagnosticReferences()
        if let initial {
            let start = try build()
            try Self.load(try Self.modelEntries(initial), into: start, file: initial)
            refs.initial = .init(DiagnosticContext(network: start, probe: batch, computeGradient: false))
        }
        self.checkpoint = checkpoint
        self.architecture = architecture
        self.probe = batch
        self.makeNetwork = build
        self.references = refs
    }

    /// Computes the named groups (`DiagnosticGroup.standardNames`) in order, timing each;
    /// `traceSamples` caps the Hessian trace's Hutchinson samples.
    public func run(groups: [String], traceSamples: Int = 100) throws -> [GroupResult] {
        let built = try groups.map { try DiagnosticGroup.named($0, makeNetwork: makeNetwork, traceSamples: traceSamples) }
        return built.map { group in
            if probe.targets == nil && (group.usesGradient || ["hessian", "hessian_blocks", "interference"].contains(group.name)) {
                return GroupResult(name: group.name, values: DiagnosticValues(), seconds: 0,
                                   skipped: "needs probe labels (--probe-labels)")
            }
            let start = Date()
            do {
                let context = DiagnosticContext(network: network, probe: probe, references: references,
                                                isTaskEnd: true, computeGradient: group.usesGradient)
                let values = try group.compute(context)
                return GroupResult(name: group.name, values: values, seconds: Date().timeIntervalSince(start), skipped: nil)
            } catch {
                return GroupResult(name: group.name, values: DiagnosticValues(), seconds: Date().timeIntervalSince(start),
                                   skipped: "\(error)")
            }
        }
    }

    /// The file's network entries: everything but a run checkpoint's optimiser and hook state.
    static func modelEntries(_ path: String) throws -> [StateEntry] {
        guard FileManager.default.fileExists(atPath: path) else { throw ConfigError(file: path, "no such file") }
        return try SafetensorsFile.read(contentsOf: URL(fileURLWithPath: path)).networkEntries()
    }

    /// The output width: the first dimension of the highest-numbered `layers.<i>.weight`.
    static func outputWidth(_ entries: [StateEntry], file: String) throws -> Int {
        let heads = entries.compactMap { e -> (Int, Int)? in
            let parts = e.name.split(separator: ".")
            guard parts.count == 3, parts[0] == "layers", parts[2] == "weight", let i = Int(parts[1]),
                  e.tensor.shape.count == 2 else { return nil }
            return (i, e.tensor.shape[0])
        }
        guard let last = heads.max(by: { $0.0 < $1.0 }) else {
            throw ConfigError(file: file, "no 'layers.<i>.weight' matrix: not a state dict of a PlasticityLab architecture")
        }
        return last.1
    }

    static func load(_ entries: [StateEntry], into network: Network, file: String) throws {
        do { try network.load(entries, strict: true) } catch let e as StateDictError where e.isNonFinite {
            throw ConfigError(file: file, e.description)
        } catch {
            throw ConfigError(file: file, "does not fit the architecture: \(error)")
        }
    }

    static func probeBatch(_ source: ProbeSource, size: Int, budget: MemoryBudget) throws -> ProbeBatch {
        let data: LabelledDataset
        switch source {
        case .dataset(let config, let split):
            let (train, test) = try config.load(budget: budget)
            switch split {
            case "train": data = train
            case "test":
                guard let test else { throw DataError(config.dataset, "has no test split") }
                data = test
            default: throw DataError(config.dataset, "unknown split '\(split)' (valid: train, test)")
            }
        case .npy(let inputs, let labels?):
            data = try NPYDataset.load(inputs: inputs, labels: labels)
        case .npy(let inputs, nil):
            let array = try NPYArray.read(inputs)
            guard array.shape.count >= 2, array.shape.count <= Shape.maximumRank, array.shape[0] > 0 else {
                throw DataError(inputs, "probe inputs must be [N, …] with N ≥ 1 and rank 2…\(Shape.maximumRank), got shape \(array.shape)")
            }
            try array.requireFinite(path: inputs, what: "probe inputs")
            let n = Swift.min(size, array.shape[0]), d = array.values.count / array.shape[0]
            let x = Tensor(shape: Shape([n] + array.shape.dropFirst()), values: Array(array.values[0..<(n * d)]))
            return ProbeBatch(inputs: x)
        }
        guard data.count > 0 else { throw DataError(source.description, "no examples") }
        let n = Swift.min(size, data.count)
        let x = Tensor(shape: Shape(0))
        var labels: [Int] = []
        data.fill(Array(0..<n)[...], inputs: x, labels: &labels)
        return ProbeBatch(inputs: x, targets: .labels(labels), loss: .crossEntropy())
    }
}

extension CheckpointDiagnosis.ProbeSource: CustomStringConvertible {
    public var description: String {
        switch self {
        case .dataset(let config, let split): "\(config.dataset) (\(split))"
        case .npy(let inputs, _): inputs
        }
    }
}
