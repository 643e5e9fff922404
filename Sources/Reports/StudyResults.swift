import Experiments
import Foundation

/// The finished runs of a study, read back from their run directories.
public struct StudyResults: Sendable {
    /// One run's end-of-task metrics.
    public struct Run: Sendable {
        public let group: String
        public let variant: String
        public let seed: Int
        /// `task_end` records in task order: metric name → value.
        public let tasks: [[String: Double]]
        /// How the run ended; a diverged run's `tasks` stop where it diverged.
        public let status: RunSummary.Status
        /// The logged training loss within each task: `steps[t]` lists (step within the
        /// task, loss) of the `step` records of the t-th task, in order.
        public let steps: [[(step: Int, loss: Double)]]
    }

    public let plan: StudyPlan
    /// The study directory the runs were read from.
    public let directory: URL
    public let runs: [Run]
    /// Planned runs without results (not finished or failed).
    public let missing: [String]

    /// Loads every planned run of `plan` found under `directory`; a run whose summary or
    /// metrics cannot be read is an error naming the file (never a silently dropped run).
    public init(plan: StudyPlan, directory: URL) throws {
        self.plan = plan
        self.directory = directory
        var runs: [Run] = [], missing: [String] = []
        for planned in plan.runs {
            let dir = RunDirectory(directory.appendingPathComponent(planned.relativePath).path)
            guard let status = try RunSummary.readStatus(at: dir.summaryURL), status != .interrupted else {
                missing.append(planned.relativePath)
                continue
            }
            let records = try dir.metrics()
            let tasks = records.filter { $0["event"] as? String == "task_end" }
                .map { $0.compactMapValues { ($0 as? NSNumber)?.doubleValue } }
            runs.append(Run(group: planned.group, variant: planned.variant, seed: planned.seed, tasks: tasks, status: status,
                            steps: Self.stepLosses(records)))
        }
        self.runs = runs
        self.missing = missing
    }

    /// The `step` records' losses grouped by their `task` field, tasks in ascending order.
    static func stepLosses(_ records: [[String: Any]]) -> [[(step: Int, loss: Double)]] {
        var byTask: [Int: [(step: Int, loss: Double)]] = [:]
        for r in records where r["event"] as? String == "step" {
            guard let task = (r["task"] as? NSNumber)?.intValue, let step = (r["step"] as? NSNumber)?.intValue,
                  let loss = (r["loss"] as? NSNumber)?.doubleValue else { continue }
            byTask[task, default: []].append((step, loss))
        }
        return byTask.keys.sorted().map { byTask[$0]! }
    }

    /// Runs that stopped on a NaN/Inf loss or parameter, as `group/variant/seed N`.
    public var diverged: [String] {
        runs.filter { $0.status == .diverged }.map { "\($0.group)/\($0.variant)/seed \($0.seed)" }
    }

    public func runs(group: String, variant: String) -> [Run] {
        runs.filter { $0.group == group && $0.variant == variant }
    }

    /// The metric a group is judged by: the one its study entry names, else training accuracy
    /// at task ends when the runs report it, else training loss. Accuracies and returns are
    /// better higher, losses lower.
    public func primaryMetric(group: String) -> (name: String, higherIsBetter: Bool) {
        if let named = plan.groupMetrics[group] { return (named, named.hasSuffix("accuracy") || named.hasPrefix("return")) }
        let any = runs.first { $0.group == group }?.tasks.first ?? [:]
        return any["train_accuracy"] != nil ? ("train_accuracy", true) : ("train_loss", false)
    }

    /// Per seed, `metric` at the end of task `task` (negative counts from the end), in seed order.
    public func values(group: String, variant: String, metric: String, task: Int) -> [Double] {
        let bySeed = valuesBySeed(group: group, variant: variant, metric: metric, task: task)
        return bySeed.keys.sorted().map { bySeed[$0]! }
    }

    /// The `task_end` record of task `task` of `run` (negative counts from the end), nil past its tasks.
    func record(_ run: Run, task: Int) -> [String: Double]? {
        let i = task >= 0 ? task : run.tasks.count + task
        return i >= 0 && i < run.tasks.count ? run.tasks[i] : nil
    }

    /// `metric` at the end of task `task` (negative counts from the end), by seed.
    public func valuesBySeed(group: String, variant: String, metric: String, task: Int) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for r in runs(group: group, variant: variant) {
            if let v = record(r, task: task)?[metric] { out[r.seed] = v }
        }
        return out
    }
}
