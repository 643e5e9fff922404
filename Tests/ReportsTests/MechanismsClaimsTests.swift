import Foundation
import Testing
import Experiments
@testable import Reports

/// The mechanisms study's claims, computed by hand on a tiny fixed study, and Spearman's ρ,
/// plain and stratified, against SciPy (`scipy.stats.spearmanr`; `rankdata` within strata;
/// interval by the Fisher transform).
@Suite struct MechanismsClaimsTests {
    static let study = """
        name = "mechanisms"
        title = "t"
        claim = "c"
        source = "p"
        [scales.quick]
        seeds = 5
        [scales.quick.stream]
        tasks = 3
        [[groups]]
        label = "random labels"
        metric = "train_accuracy"
        [groups.config.stream]
        protocol = "random-labels"
        [[variants]]
        label = "baseline"
        [[variants]]
        label = "fresh"
        [[variants]]
        label = "layernorm"
        [variants.config.model]
        norm = "layernorm"
        [[variants]]
        label = "L2"
        """

    /// Task-end values of task t (0-based) of a run: absurd task-1 values where no claim may
    /// look; the LayerNorm run's shift is tiny after its normalisation and large before it, but
    /// small in units of its spread there (3 / (10 + s)).
    static func record(_ variant: String, seed: Int, task t: Int) -> [String: Double] {
        let s = Double(seed)
        var r: [String: Double] = ["probe.loss_fresh": 0.1, "param_norm": 10, "hessian.lambda_max": 1]
        let (accuracy, plasticity, norm, shift): (Double, Double, Double, Double) = switch variant {
        case "baseline": (0.5 - 0.01 * s, 1.0 + 0.1 * s, 15 + s, 2.0 + 0.1 * s)
        case "fresh": (0.95, 0, 10, 0)
        case "layernorm": (0.9, 0.2 + 0.01 * s, 11 + 0.1 * s, 3.0)
        default: (0.9, 0.5 + 0.02 * s, 12 + 0.2 * s, 0.5)
        }
        if t == 0 {
            r["train_accuracy"] = variant == "fresh" ? 0 : 1
            r["probe.loss"] = 50
            r["preact.mean_drift_init.layers.0"] = 0
            return r
        }
        r["train_accuracy"] = accuracy
        r["probe.loss"] = 0.1 + plasticity
        if t == 2 {
            r["param_norm"] = norm
            // λ_max falls the more the run loses plasticity: that correlation claim must fail.
            r["hessian.lambda_max"] = 1 - plasticity
        }
        r["preact.mean_drift_init.layers.0"] = variant == "layernorm" ? 0.01 : shift
        r["preact.std.layers.0"] = 1
        if variant == "layernorm" {
            r["preact.prenorm_mean_drift_init.layers.0"] = shift
            r["preact.prenorm_std.layers.0"] = 10 + s
        }
        return r
    }

    func results() throws -> StudyResults {
        let plan = try StudyPlan(text: Self.study, file: "study.toml", scale: "quick")
        let dir = try writeFakeStudy(plan, name: "mechanisms") { run in
            try (0..<3).map { t -> String in
                var r: [String: Any] = Self.record(run.variant, seed: run.seed, task: t)
                r["event"] = "task_end"
                r["task"] = t
                return String(decoding: try JSONSerialization.data(withJSONObject: r, options: [.sortedKeys]), as: UTF8.self)
            }
        }
        return try StudyResults(plan: plan, directory: dir)
    }

    @Test func claimsComputedByHandEqualTheReports() throws {
        let claims = StudyClaims.evaluate(try results())
        #expect(claims.map(\.claim) == [
            "The baseline loses plasticity on random labels: it fits each task after the first worse than a fresh network.",
            "Within an architecture, runs with more parameter-norm growth lose more plasticity (random labels).",
            "Within an architecture, runs with more pre-activation shift lose more plasticity (random labels).",
            "Within an architecture, runs with more Hessian λ_max growth lose more plasticity (random labels).",
            "LayerNorm reduces the pre-activation shift, measured before normalisation (random labels).",
            "Manipulation check: weight decay bounds the parameter norm (random labels).",
        ])
        // Against fresh over tasks 2–3: −(0.5 − 0.01 s − 0.95) = 0.45 + 0.01 s, mean 0.47.
        #expect(claims[0].verdict == .held && abs(claims[0].mean - 0.47) < 1e-9 && claims[0].n == 5)
        // Norm growth (5 + s, 1 + 0.1 s, 2 + 0.2 s) orders the runs of each architecture (baseline
        // and L2; layernorm) as their plasticity loss (1 + 0.1 s, 0.5 + 0.02 s; 0.2 + 0.01 s)
        // does: ρ = 1 over 15 runs in 2 strata.
        #expect(claims[1].verdict == .held && abs(claims[1].mean - 1) < 1e-12 && claims[1].n == 15)
        #expect(claims[1].method == "Spearman ρ within 2 strata, Fisher z (se 1.06/√(n−4)), 95 %")
        // The shift in units of spread (baseline 2 + 0.1 s, L2 0.5; LayerNorm 3 / (10 + s), not
        // its 0.01 after normalisation): ρ within architectures by SciPy.
        #expect(abs(claims[2].mean - 0.7154547587901781) < 1e-12 && claims[2].verdict == .held)
        #expect(abs(claims[2].interval.low - 0.2653460225285197) < 1e-3 && abs(claims[2].interval.high - 0.909511604499429) < 1e-3)
        #expect(claims[3].verdict == .notHeld && abs(claims[3].mean + 1) < 1e-12)
        // Baseline 2.0 + 0.1 s − LayerNorm's 3 / (10 + s) before normalisation, in units of spread.
        let lnShift = (0..<5).map { (s: Int) -> Double in
            let seed = Double(s)
            return 2.0 + 0.1 * seed - 3 / (10 + seed)
        }.reduce(0, +) / 5
        #expect(claims[4].verdict == .held && abs(claims[4].mean - lnShift) < 1e-9)
        // 15 + s − (12 + 0.2 s) = 3 + 0.8 s, mean 4.6.
        #expect(claims[5].verdict == .held && abs(claims[5].mean - 4.6) < 1e-9)
    }

    /// A LayerNorm run made before the prenorm statistics existed has no shift to compare:
    /// its drift after normalisation (0.01) must not stand in for it.
    @Test func aNormalisedRunWithoutPrenormStatisticsHasNoShift() throws {
        let results = try results()
        for run in results.runs where run.variant == "layernorm" {
            let dir = results.directory.appendingPathComponent("runs/random-labels/layernorm/seed-\(run.seed)/metrics.jsonl")
            let text = try String(contentsOf: dir, encoding: .utf8)
            try text.replacingOccurrences(of: "preact.prenorm_mean_drift_init", with: "unrelated").write(to: dir, atomically: true, encoding: .utf8)
        }
        let claims = StudyClaims.evaluate(try StudyResults(plan: results.plan, directory: results.directory))
        #expect(!claims.contains { $0.claim.hasPrefix("LayerNorm reduces") })
        // The shift correlation then pools the other two variants only (10 runs).
        #expect(claims.first { $0.claim.hasPrefix("Within an architecture, runs with more pre-activation shift") }?.n == 10)
    }

    @Test func spearmanMatchesSciPy() {
        let a = SpearmanCorrelation(zip([1.0, 2, 3, 4, 5, 6], [2.0, 1, 4, 3, 6, 5]).map { (x: $0, y: $1) })
        #expect(abs(a.rho - 0.8285714285714287) < 1e-12)
        #expect(abs(a.low - -0.015917726471090344) < 1e-9 && abs(a.high - 0.9831164549308202) < 1e-9)
        #expect(abs(a.pPositive - 0.02655951118850086) < 1e-9)
        // Ties take their average rank.
        let tied = SpearmanCorrelation(zip([1.0, 2, 2, 3, 5, 4], [1.0, 3, 2, 4, 4, 6]).map { (x: $0, y: $1) })
        #expect(abs(tied.rho - 0.8823529411764706) < 1e-12)
        // Too few pairs, or no spread: no correlation, and nothing held.
        #expect(SpearmanCorrelation([(1, 2), (2, 3), (3, 4)]).rho.isNaN)
        let flat = SpearmanCorrelation([(1, 2), (1, 3), (1, 4), (1, 5)])
        #expect(flat.rho.isNaN && flat.pPositive == 1 && flat.pNegative == 1)
    }

    /// Ranks within each stratum, centred, pooled; se 1.06 / √(n − 3 − (s − 1)).
    @Test func stratifiedSpearmanMatchesSciPy() {
        func pairs(_ x: [Double], _ y: [Double]) -> [(x: Double, y: Double)] { zip(x, y).map { (x: $0, y: $1) } }
        let a = SpearmanCorrelation(strata: [pairs([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), pairs([10, 20, 30, 40], [4, 3, 2, 1.5]),
                                             pairs([7, 8, 9], [1, 3, 2]), pairs([100], [0])])
        #expect(a.n == 12 && a.strata == 3 && abs(a.rho - 0.23529411764705882) < 1e-12)
        #expect(abs(a.low - -0.49710835707755885) < 1e-9 && abs(a.high - 0.7719078070408804) < 1e-9)
        #expect(abs(a.pPositive - 0.27475143225998355) < 1e-9)
        // One stratum is the plain ρ; a shift of one stratum's values changes nothing.
        let plain = pairs([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5])
        #expect(SpearmanCorrelation(strata: [plain]) == SpearmanCorrelation(plain))
        let shifted = SpearmanCorrelation(strata: [pairs([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), pairs([1010, 1020, 1030], [9, 8, 7])])
        let unshifted = SpearmanCorrelation(strata: [pairs([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), pairs([10, 20, 30], [-9, -8, -7].map { -$0 })])
        #expect(shifted == unshifted)
        // Two strata of 2 pairs: n − 3 − 1 = 0 degrees of freedom, no correlation.
        #expect(SpearmanCorrelation(strata: [pairs([1, 2], [1, 2]), pairs([1, 2], [2, 1])]).rho.isNaN)
    }
}
