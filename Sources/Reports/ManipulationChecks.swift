import Experiments

/// A manipulation check judged on a study's runs: every seed's value at the check's task
/// end, and whether all of them meet its bound.
public struct CheckResult: Sendable {
    public let check: ManipulationCheck
    /// The value per seed, for the seeds whose run reached the task.
    public let values: [Int: Double]
    /// Every seed reached the task and met the bound (false with no seed at all).
    public let passed: Bool

    init(_ check: ManipulationCheck, _ results: StudyResults) {
        self.check = check
        let runs = results.runs(group: check.group, variant: check.variant)
        var values: [Int: Double] = [:]
        for run in runs where run.tasks.count >= check.task {
            if let v = run.tasks[check.task - 1][check.metric] { values[run.seed] = v }
        }
        self.values = values
        seeds = runs.count
        passed = !runs.isEmpty && values.count == runs.count && values.values.allSatisfy(check.passes)
    }

    /// "passed: train_accuracy at the end of task 1 ≥ 0.95 on 5 of 5 seeds (min 0.991, max 1.000)".
    public var summary: String {
        let sorted = values.values.sorted()
        let met = values.values.filter(check.passes).count
        let range = sorted.isEmpty ? "no values" : String(format: "min %.4g, max %.4g", sorted.first!, sorted.last!)
        return "\(passed ? "passed" : "FAILED"): \(check.condition) on \(met) of \(seeds) seeds (\(range))"
    }

    /// The seeds with a run in the check's group and variant.
    private let seeds: Int
}

extension StudyReport {
    /// Whether every declared manipulation check passed (true when there are none).
    public var checksPassed: Bool { checks.allSatisfy(\.passed) }

    /// The sentence a report shows instead of verdicts when a check failed; nil otherwise.
    var withheldNote: String? {
        checksPassed ? nil : "A manipulation check failed, so this design does not test its claims: the verdicts are withheld "
            + "(effects and intervals are shown for diagnosis only)."
    }

    /// A verdict as the report shows it: withheld when a check failed.
    func shown(_ verdict: Verdict) -> String { checksPassed ? verdict.rawValue : "withheld" }
}
