import Foundation
import Testing
import Experiments
@testable import Reports

/// The mechanisms study's claims, computed by hand on a tiny fixed study, and Spearman's ρ
/// against SciPy (`scipy.stats.spearmanr`, interval by the Fisher transform).
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
    /// look; the LayerNorm run's shift is tiny after its normalisation and large before it.
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
        if variant == "layernorm" { r["preact.prenorm_mean_drift_init.layers.0"] = shift }
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
            "Runs with more parameter-norm growth lose more plasticity (random labels).",
            "Runs with more pre-activation shift lose more plasticity (random labels).",
            "Runs with more Hessian λ_max growth lose more plasticity (random labels).",
            "LayerNorm reduces the pre-activation shift, measured before normalisation (random labels).",
            "Manipulation check: weight decay bounds the parameter norm (random labels).",
        ])
        // Against fresh over tasks 2–3: −(0.5 − 0.01 s − 0.95) = 0.45 + 0.01 s, mean 0.47.
        #expect(claims[0].verdict == .held && abs(claims[0].mean - 0.47) < 1e-9 && claims[0].n == 5)
        // Norm growth (5 + s, 1 + 0.1 s, 2 + 0.2 s) orders the 15 runs as their plasticity loss
        // (1 + 0.1 s, 0.2 + 0.01 s, 0.5 + 0.02 s) does: ρ = 1.
        #expect(claims[1].verdict == .held && abs(claims[1].mean - 1) < 1e-12 && claims[1].n == 15)
        // The shift before normalisation (LayerNorm 3.0, not its 0.01 after): ρ by SciPy.
        #expect(abs(claims[2].mean - -0.42621835708013317) < 1e-12 && claims[2].verdict == .inconclusive)
        #expect(claims[3].verdict == .notHeld && abs(claims[3].mean + 1) < 1e-12)
        // Baseline 2.0 + 0.1 s − LayerNorm's 3.0 before normalisation: −1 + 0.1 s, mean −0.8.
        #expect(claims[4].verdict == .notHeld && abs(claims[4].mean + 0.8) < 1e-9)
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
        #expect(claims.first { $0.claim.hasPrefix("Runs with more pre-activation shift") }?.n == 10)
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
}
