import Foundation
import Testing
import Connectivity
import Experiments
import Networks
import Tensors
@testable import Reports

/// The layerwise-lmc report on synthetic finished runs: small untrained MLPs written as
/// each run's model.safetensors.
@Suite struct LayerwiseLMCReportTests {
    static let study = """
        name = "layerwise-lmc"
        title = "Test LMC study"
        claim = "A claim."
        source = "A paper"
        seeds = 4
        [base.data]
        dataset = "gaussian-clusters"
        count = 60
        dimension = 6
        classes = 3
        [base.model]
        arch = "mlp"
        widths = [8, 8]
        [scales.quick.stream]
        steps_per_task = 1
        [[groups]]
        label = "data A"
        [[groups]]
        label = "data B"
        [groups.config.data]
        seed = 5
        """

    func makeStudy() throws -> (StudyPlan, URL) {
        let plan = try StudyPlan(text: Self.study, file: "study.toml", scale: "quick")
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("lmc-report-\(UUID().uuidString)")
        for run in plan.runs {
            let runDir = dir.appendingPathComponent(run.relativePath)
            try FileManager.default.createDirectory(at: runDir, withIntermediateDirectories: true)
            var rng = RandomGenerator(seed: UInt64(run.seed) + (run.group == "data A" ? 0 : 100))
            try run.experiment!.model.build(inputShape: Shape(6), outputs: 3, rng: &rng)
                .saveSafetensors(to: runDir.appendingPathComponent("model.safetensors"))
            try "{\"event\": \"task_end\", \"task\": 0, \"test_accuracy\": 0.5}\n"
                .write(to: runDir.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
            try "{}".write(to: runDir.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
        }
        return (plan, dir)
    }

    @Test func claimsAndChartsFromPairs() throws {
        let (plan, dir) = try makeStudy()
        let results = try StudyResults(plan: plan, directory: dir)
        let pairs = try LayerwiseLMCStudy.pairs(results)
        #expect(pairs.map(\.kind) == Array(repeating: LayerwiseLMCStudy.sameInit, count: 4) + Array(repeating: LayerwiseLMCStudy.differentInit, count: 2))
        // Different-init pairs are disjoint, (0, 1) and (2, 3), so no network is in two pairs.
        #expect(pairs.filter { $0.kind == LayerwiseLMCStudy.differentInit }.map(\.seed) == [0, 2])
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("lmc/same-init-different-data-seed-2.json").path))

        // The same-init pair of seed 1, recomputed directly: data A's 60 training examples
        // plus data B's (another draw), A's held-out examples.
        let a = plan.runs.first { $0.group == "data A" && $0.seed == 1 }!, b = plan.runs.first { $0.group == "data B" && $0.seed == 1 }!
        let trainA = try a.experiment!.data.load(), trainB = try b.experiment!.data.load()
        let train = try EvaluationSet(name: "train", dataset: trainA.train).appending(EvaluationSet(name: "train", dataset: trainB.train), name: "train")
        #expect(train.count == 120)
        let net = try ConnectivityInputs.network(a.experiment!, for: trainA.train)
        let pair = try EndpointPair(network: net, a: dir.appendingPathComponent(a.relativePath + "/model.safetensors"),
                                    b: dir.appendingPathComponent(b.relativePath + "/model.safetensors"))
        let direct = try ConnectivityAnalysis(pair: pair, train: train, test: EvaluationSet(name: "test", dataset: trainA.test!)).run()
        #expect(pairs[1].report.curves == direct.curves)

        let claims = StudyClaims.evaluate(results)
        #expect(claims.count == 10)
        let wholes = pairs.prefix(4).map { $0.report.whole!.train.lossBarrier }
        #expect(abs(claims[0].mean - wholes.reduce(0, +) / 4) < 1e-12 && claims[0].n == 4 && claims[0].method == "one-sample t, 95 %")
        let onsets = pairs.prefix(4).map { LayerwiseLMCClaims.onset($0.report) - 1 }
        #expect(abs(claims[3].mean - onsets.reduce(0, +) / 4) < 1e-12 && claims[5].n == 2)

        let report = StudyReport(results: results)
        #expect(report.charts().map(\.file).filter { $0.hasPrefix("same-init") } ==
                ["same-init-different-data-loss-path.svg", "same-init-different-data-test-loss-path.svg", "same-init-different-data-cumulative.svg"])
        try report.write(to: dir)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<h2>same init, different data</h2>") && html.contains("<h2>different init, same data</h2>"))

        // Committed results keep lmc/*.json but no weights: without any model.safetensors the
        // claims come from the cache, unchanged.
        for run in plan.runs { try FileManager.default.removeItem(at: dir.appendingPathComponent(run.relativePath + "/model.safetensors")) }
        let cached = StudyClaims.evaluate(try StudyResults(plan: plan, directory: dir))
        #expect(cached.count == 10 && cached.map(\.mean) == claims.map(\.mean) && cached.map(\.verdict) == claims.map(\.verdict))
    }

    @Test func onsetIsTheFirstCumulativeGroupWithHalfTheBarrier() {
        func curve(_ kind: InterpolationCurve.Kind, _ barrier: Double) -> InterpolationCurve {
            // A three-point curve whose middle value gives the barrier exactly.
            InterpolationCurve(group: "g", kind: kind, others: .a, parameterCount: 1, distance: 1, alphas: [0, 0.5, 1],
                               train: PathMetrics(alphas: [0, 0.5, 1], loss: [1, 1 + barrier, 1], accuracy: nil), test: nil)
        }
        let report = ConnectivityReport(alphas: [0, 0.5, 1], curves: [curve(.whole, 2), curve(.first, 0.1), curve(.first, 0.9), curve(.first, 1.5)],
                                        robustness: [])
        #expect(LayerwiseLMCClaims.onset(report) == 3)
        let none = ConnectivityReport(alphas: [0, 0.5, 1], curves: [curve(.whole, 2), curve(.first, 0.1)], robustness: [])
        #expect(LayerwiseLMCClaims.onset(none) == 2)
    }
}
