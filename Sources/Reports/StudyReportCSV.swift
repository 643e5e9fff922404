extension StudyReport {
    /// Long ("tidy") form: `run,group,variant,seed,task,metric,value`, one row per run × task ×
    /// metric of its `task_end` records (tasks numbered from 1), sorted metric names within a
    /// record, non-finite values written as `nan` / `inf` / `-inf`.
    func tidyCSV() -> String {
        let indexKeys: Set<String> = ["task", "step", "global_step"]
        var rows = ["run,group,variant,seed,task,metric,value"]
        for run in results.runs {
            let path = results.plan.runs.first { $0.group == run.group && $0.variant == run.variant && $0.seed == run.seed }?.relativePath ?? ""
            for (t, metrics) in run.tasks.enumerated() {
                for key in metrics.keys.sorted() where !indexKeys.contains(key) {
                    rows.append([csvField(path), csvField(run.group), csvField(run.variant), String(run.seed), String(t + 1),
                                 csvField(key), csvNumber(metrics[key]!)].joined(separator: ","))
                }
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// Wide form: one row per run × task, a column per metric (empty where a run lacks it).
    func wideCSV() -> String {
        let indexKeys: Set<String> = ["task", "step", "global_step"]
        let keys = Array(Set(results.runs.flatMap { $0.tasks.flatMap(\.keys) }).subtracting(indexKeys)).sorted()
        var rows = [(["group", "variant", "seed", "task"] + keys.map(csvField)).joined(separator: ",")]
        for run in results.runs {
            for (t, metrics) in run.tasks.enumerated() {
                let fields = [csvField(run.group), csvField(run.variant), String(run.seed), String(t + 1)]
                    + keys.map { metrics[$0].map(csvNumber) ?? "" }
                rows.append(fields.joined(separator: ","))
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    private func csvNumber(_ v: Double) -> String {
        v.isNaN ? "nan" : (v.isInfinite ? (v > 0 ? "inf" : "-inf") : "\(v)")
    }

    private func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
