import Experiments

extension StudyReport {
    /// Diagnostic metrics charted per group when the runs report them.
    static let diagnosticCharts = ["test_accuracy", "dormant.tau0.1", "dead", "linearised", "param_norm", "srank.delta0.01",
                                   "preact.std", "probe.loss", "hessian.lambda_max", "entk.summed.condition_number"]

    /// Per group: the primary metric and the diagnostics present at each task end (x is the
    /// task, or the training step at each task end when the group's variants have different
    /// numbers of tasks), then the within-task training loss of the first, middle and last
    /// task (`lossWithinTasks`).
    public func charts() -> [(file: String, group: String, chart: LineChart)] {
        var out: [(String, String, LineChart)] = []
        let plan = results.plan
        if plan.kind == "rl" { return RLStudy.charts(results) }
        for group in plan.groups {
            let (metric, _) = results.primaryMetric(group: group)
            let groupRuns = results.runs.filter { $0.group == group }
            let keys = Set(groupRuns.flatMap { $0.tasks.flatMap(\.keys) })
            let metrics = [metric] + Self.diagnosticCharts.filter { keys.contains($0) && $0 != metric }
            let bySteps = Set(groupRuns.map(\.tasks.count)).count > 1
                && groupRuns.allSatisfy { $0.tasks.allSatisfy { $0["global_step"] != nil } }
            for m in metrics {
                let series = plan.variants.compactMap { v -> LineChart.Series? in
                    let runs = results.runs(group: group, variant: v)
                    let tasks = runs.map(\.tasks.count).max() ?? 0
                    let points = (0..<tasks).compactMap { t -> (x: Double, y: Double, low: Double, high: Double)? in
                        let vals = runs.compactMap { t < $0.tasks.count ? $0.tasks[t][m] : nil }
                        guard !vals.isEmpty else { return nil }
                        let x = bySteps ? runs.compactMap { t < $0.tasks.count ? $0.tasks[t]["global_step"] : nil }.max()! : Double(t + 1)
                        return bandPoint(x, vals)
                    }
                    return points.isEmpty ? nil : LineChart.Series(name: v, points: points)
                }
                guard !series.isEmpty else { continue }
                let label = MetricLabels.label(m)
                out.append(("\(slug(group))-\(slug(m)).svg", group,
                            LineChart(title: "\(group): \(label) at the end of each task", xLabel: bySteps ? "training step" : "task",
                                      yLabel: label, series: series, caption: bandCaption)))
            }
            for variant in [plan.variants.first, plan.variants.count > 1 ? plan.variants.last : nil].compactMap({ $0 }) {
                if let chart = lossWithinTasks(group: group, variant: variant) {
                    out.append(("\(slug(group))-\(slug(variant))-loss-within-tasks.svg", group, chart))
                }
            }
        }
        out += HessianDensityChart.studyCharts(results)
        if plan.name == LayerwiseLMCStudy.name { out += LayerwiseLMCClaims.charts(results) }
        return out
    }

    /// The logged training loss against the step within the task, for the first, middle and
    /// last task of `variant` in `group`, overlaid: a network that loses plasticity learns its
    /// last task more slowly than its first. Nil when the runs logged no steps or have one task.
    func lossWithinTasks(group: String, variant: String) -> LineChart? {
        let runs = results.runs(group: group, variant: variant).filter { !$0.steps.isEmpty }
        guard let tasks = runs.map(\.steps.count).min(), tasks >= 2 else { return nil }
        let chosen = Array(Set([0, tasks / 2, tasks - 1])).sorted()
        let series = chosen.map { t -> LineChart.Series in
            var byStep: [Int: [Double]] = [:]
            for r in runs { for p in r.steps[t] where p.loss.isFinite { byStep[p.step, default: []].append(p.loss) } }
            return LineChart.Series(name: "task \(t + 1) of \(tasks)", points: byStep.keys.sorted().map { bandPoint(Double($0), byStep[$0]!) })
        }
        return LineChart(title: "\(group), \(variant): training loss within a task", xLabel: "step within the task",
                         yLabel: MetricLabels.label("loss"), series: series,
                         caption: "The logged mini-batch training loss of the first, middle and last task, overlaid. " + bandCaption)
    }
}
