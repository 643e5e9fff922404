import Connectivity

/// Line charts of connectivity reports: loss along α for the whole network and each single
/// layer, and the cumulative barrier against the number of layers interpolated. Several
/// reports (network pairs) are drawn as their mean with a 95 % Student-t band.
public enum ConnectivityCharts {
    /// Loss on `split` ("train" or "test") along α: the whole network and every single layer
    /// with the other layers at `others`.
    public static func lossCurves(_ reports: [ConnectivityReport], split: String = "train", others: Endpoint = .a,
                                  title: String) -> LineChart {
        let first = reports.first
        let labels = (first?.whole.map { [$0] } ?? []) + (first?.layers.filter { $0.others == others } ?? [])
        let series = labels.map { template -> LineChart.Series in
            let curves = reports.compactMap { r in
                r.curves.first { $0.group == template.group && $0.kind == template.kind && $0.others == template.others }
            }
            let metrics: [PathMetrics] = curves.compactMap { split == "test" ? $0.test : $0.train }
            var points: [(x: Double, y: Double, low: Double, high: Double)] = []
            for (i, alpha) in template.alphas.enumerated() {
                points.append(bandPoint(alpha, metrics.map { $0.loss[i] }))
            }
            return LineChart.Series(name: template.kind == .whole ? "whole network" : template.group, points: points)
        }
        return LineChart(title: title, xLabel: "α (0 = A, 1 = B)", yLabel: "\(split) loss", series: series,
                         caption: "Lines: mean across network pairs; shaded band: 95 % Student-t confidence interval of that mean.")
    }

    /// Train-loss barrier of the cumulative groups against k: `first k` and `last k`, with
    /// k = L (the whole network) appended to both.
    public static func cumulativeBarriers(_ reports: [ConnectivityReport], title: String) -> LineChart {
        func series(_ kind: InterpolationCurve.Kind, _ name: String) -> LineChart.Series {
            let perReport = reports.map { r in r.curves.filter { $0.kind == kind }.map(\.train.lossBarrier) + [r.whole?.train.lossBarrier ?? .nan] }
            let length = perReport.map(\.count).min() ?? 0
            return LineChart.Series(name: name, points: (0..<length).map { k in
                bandPoint(Double(k + 1), perReport.map { $0[k] })
            })
        }
        return LineChart(title: title, xLabel: "layers interpolated (k)", yLabel: "train loss barrier",
                         series: [series(.first, "first k layers"), series(.last, "last k layers")],
                         caption: "Lines: mean across network pairs; shaded band: 95 % Student-t confidence interval of that mean.")
    }
}
