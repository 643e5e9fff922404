import Connectivity
import Experiments
import Foundation
import Tensors

/// The network pairs of the `layerwise-lmc` study and their connectivity reports.
///
/// The study trains every seed k twice, once on each of two disjoint draws of the data
/// (groups "data A" and "data B"): a run's initialisation and batch order depend only on its
/// seed. Pairs:
/// - *same init, different data*: (data A, seed k) with (data B, seed k), as the two clients
///   of Adilova et al. 2024's federated setting;
/// - *different init, same data*: (data A, seed 2k) with (data A, seed 2k+1), disjoint pairs
///   so that no network appears in two pairs and the pairs are independent (⌊n/2⌋ pairs).
/// Each pair is evaluated on the union of both runs' training data and on the first run's
/// held-out data (at most `evaluationLimit` examples of each draw), BatchNorm statistics
/// recomputed, 21 points of α. Reports are cached as `lmc/<pair>.json` in the study
/// directory, so rebuilding the report does not recompute them.
public enum LayerwiseLMCStudy {
    public static let name = "layerwise-lmc"
    public static let groupA = "data A", groupB = "data B"
    public static let sameInit = "same init, different data", differentInit = "different init, same data"
    /// Examples of each training draw (and of the test data) evaluated.
    public static let evaluationLimit = 1000

    /// One evaluated pair.
    public struct Pair: Sendable {
        public let kind: String
        public let seed: Int
        public let report: ConnectivityReport
    }

    /// The pairs of the study's finished runs, computed or read from the cache.
    public static func pairs(_ results: StudyResults) throws -> [Pair] {
        let plan = results.plan
        func run(_ group: String, _ seed: Int) -> StudyPlan.PlannedRun? {
            plan.runs.first { $0.group == group && $0.seed == seed }
        }
        var planned: [(kind: String, seed: Int, a: StudyPlan.PlannedRun, b: StudyPlan.PlannedRun)] = []
        let seeds = plan.firstSeed..<(plan.firstSeed + plan.seeds)
        for k in seeds {
            if let a = run(groupA, k), let b = run(groupB, k) { planned.append((sameInit, k, a, b)) }
        }
        for k in stride(from: seeds.lowerBound, to: seeds.upperBound - 1, by: 2) {
            if let a = run(groupA, k), let b = run(groupA, k + 1) { planned.append((differentInit, k, a, b)) }
        }
        let cache = results.directory.appendingPathComponent("lmc")
        try FileSystem.createDirectory(cache)
        var out: [Pair] = []
        for p in planned {
            // A cached pair needs no models: committed results keep lmc/*.json, not weights.
            let file = cache.appendingPathComponent("\(slug(p.kind))-seed-\(p.seed).json")
            if let data = try? Data(contentsOf: file), let report = try? JSONDecoder().decode(ConnectivityReport.self, from: data) {
                out.append(Pair(kind: p.kind, seed: p.seed, report: report))
                continue
            }
            let modelA = results.directory.appendingPathComponent(p.a.relativePath).appendingPathComponent("model.safetensors")
            let modelB = results.directory.appendingPathComponent(p.b.relativePath).appendingPathComponent("model.safetensors")
            guard let configA = p.a.experiment, let configB = p.b.experiment,
                  FileManager.default.fileExists(atPath: modelA.path), FileManager.default.fileExists(atPath: modelB.path) else { continue }
            let report = try evaluate(a: configA, modelA: modelA, b: configB, modelB: modelB)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try FileSystem.write(encoder.encode(report), to: file)
            out.append(Pair(kind: p.kind, seed: p.seed, report: report))
        }
        return out
    }

    /// The connectivity report of two trained runs.
    static func evaluate(a: ExperimentConfig, modelA: URL, b: ExperimentConfig, modelB: URL) throws -> ConnectivityReport {
        let setsA = try ConnectivityInputs.evaluationSets(a.data, trainLimit: evaluationLimit, testLimit: evaluationLimit)
        var train = setsA.train
        if b.data != a.data {
            let setsB = try ConnectivityInputs.evaluationSets(b.data, trainLimit: evaluationLimit, testLimit: 0)
            train = try train.appending(setsB.train, name: "train")
        }
        let network = try ConnectivityInputs.network(a, for: setsA.dataset)
        let pair = try EndpointPair(network: network, a: modelA, b: modelB)
        let analysis = ConnectivityAnalysis(pair: pair, train: train, test: setsA.test)
        var report = try analysis.run()
        report.robustness = try analysis.robustness(samples: 3, seed: 0)
        return report
    }
}
