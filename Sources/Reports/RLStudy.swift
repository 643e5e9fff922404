import Experiments
import Foundation

/// The curves and frames of an `rl` study (`kind = "rl"`): each run's metrics records
/// (`event = "log"`) over frames, read from its `metrics.jsonl`, charted per group as the
/// mean across seeds with a 95 % Student-t band, and one SVG frame per group (`frame.svg`,
/// environment 0's last observation, of the group's first run in plan order that has one).
public enum RLStudy {
    public static let name = "rl"
    /// Metrics charted over frames when the runs report them.
    public static let curveMetrics = ["return_mean_100", "dormant.tau0.1", "srank.delta0.01", "param_norm",
                                      "entk.summed.condition_number", "churn"]

    /// One run's records with a `frame`, in order: (frame, metric name → value).
    public typealias Curve = [(frame: Double, values: [String: Double])]

    /// The log records of every finished run, by run.
    public static func curves(_ results: StudyResults) throws -> [(run: StudyResults.Run, curve: Curve)] {
        try results.runs.compactMap { run in
            guard let planned = results.plan.runs.first(where: { $0.group == run.group && $0.variant == run.variant && $0.seed == run.seed })
            else { return nil }
            let dir = RunDirectory(results.directory.appendingPathComponent(planned.relativePath).path)
            let curve: Curve = try dir.metrics().filter { $0["event"] as? String == "log" }.compactMap { record in
                let values = record.compactMapValues { ($0 as? NSNumber)?.doubleValue }
                return values["frame"].map { ($0, values) }
            }
            return (run, curve)
        }
    }

    /// The first and the last value of `metric` in a curve (records that have it).
    public static func firstAndLast(_ curve: Curve, _ metric: String) -> (first: Double, last: Double)? {
        let values = curve.compactMap { $0.values[metric] }
        guard let first = values.first, let last = values.last else { return nil }
        return (first, last)
    }

    /// Per group and metric, a chart over frames with one series per variant.
    static func charts(_ results: StudyResults) -> [(file: String, group: String, chart: LineChart)] {
        guard let all = try? curves(results) else { return [] }
        var out: [(String, String, LineChart)] = []
        for group in results.plan.groups {
            for metric in curveMetrics {
                let series = results.plan.variants.compactMap { variant -> LineChart.Series? in
                    let runs = all.filter { $0.run.group == group && $0.run.variant == variant }
                    var byFrame: [Double: [Double]] = [:]
                    for r in runs { for point in r.curve { if let v = point.values[metric], v.isFinite { byFrame[point.frame, default: []].append(v) } } }
                    let points = byFrame.keys.sorted().map { bandPoint($0, byFrame[$0]!) }
                    return points.isEmpty ? nil : LineChart.Series(name: variant, points: points)
                }
                guard !series.isEmpty else { continue }
                out.append(("\(slug(group))-\(slug(metric)).svg", group,
                            LineChart(title: "\(group): \(MetricLabels.label(metric))", xLabel: "frame", yLabel: MetricLabels.label(metric),
                                      series: series, caption: bandCaption)))
            }
        }
        return out
    }

    /// One frame per group: the `frame.svg` of the group's first run (variants in order, then
    /// seeds) that has one, with that run's variant and seed; none when no run of the group has one.
    static func frames(_ results: StudyResults) -> [StudyFrame] {
        results.plan.groups.compactMap { group in
            for run in results.plan.runs where run.group == group {
                let url = results.directory.appendingPathComponent(run.relativePath).appendingPathComponent("frame.svg")
                guard let svg = try? String(contentsOf: url, encoding: .utf8) else { continue }
                return StudyFrame(file: "\(slug(group))-frame.svg", group: group, svg: svg,
                                  source: "\(run.variant), seed \(run.seed)")
            }
            return nil
        }
    }
}
