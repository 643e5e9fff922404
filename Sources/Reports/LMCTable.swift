import Connectivity
import Foundation

/// The barrier table: one row per path.
public enum LMCTable {
    public static func render(_ report: ConnectivityReport) -> String {
        let width = max(24, (report.curves.map(\.label.count).max() ?? 0) + 2)
        func cell(_ v: Double?) -> String { (v.map { String(format: "%.4f", $0) } ?? "-").padding(toLength: 14, withPad: " ", startingAt: 0) }
        var lines = ["path".padding(toLength: width, withPad: " ", startingAt: 0)
            + ["train loss B", "train acc B", "train mid B", "test loss B", "test acc B", "‖A−B‖"].map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined()]
        for c in report.curves {
            lines.append(c.label.padding(toLength: width, withPad: " ", startingAt: 0) + cell(c.train.lossBarrier) + cell(c.train.accuracyBarrier)
                         + cell(c.train.midpointBarrier) + cell(c.test?.lossBarrier) + cell(c.test?.accuracyBarrier) + cell(c.distance))
        }
        if !report.robustness.isEmpty {
            lines.append("")
            lines.append("robustness: train-loss increase at θ_A + r·u (mean over samples)")
            lines.append("layer".padding(toLength: width, withPad: " ", startingAt: 0)
                + ["r", "in layer", "whole net", "to B"].map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined())
            for r in report.robustness {
                lines.append(r.group.padding(toLength: width, withPad: " ", startingAt: 0) + cell(r.radius) + cell(r.meanGroupIncrease)
                             + cell(r.meanWholeIncrease) + cell(r.averagingIncrease))
            }
        }
        return lines.joined(separator: "\n")
    }
}
