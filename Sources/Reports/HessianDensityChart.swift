import Diagnostics
import Experiments
import Foundation

/// Hessian eigenvalue densities (stochastic Lanczos quadrature) drawn from recorded
/// quadratures: `plasticity diagnose --density` for one network, and in study reports the
/// first and last task end of a group's first variant (runs with the `hessian_density` group).
///
/// The y axis is log₁₀ of the density (floored at 10⁻⁸), as PyHessian and Ghorbani et al.
/// 2019 plot it: the bulk near zero and the few large outliers differ by orders of magnitude.
/// All series share one grid (200 points over [min θ − 5σ, max θ + 5σ]) and one σ =
/// 1 % of the spread of all nodes.
public enum HessianDensityChart {
    /// One density to draw: a name and, per seed (or once), the quadrature (nodes, weights per start vector).
    public struct Input: Sendable {
        public let name: String
        public let quadratures: [(nodes: [[Double]], weights: [[Double]])]
        public init(name: String, quadratures: [(nodes: [[Double]], weights: [[Double]])]) {
            self.name = name
            self.quadratures = quadratures
        }
    }

    static let floor = 1e-8

    /// The chart, nil when no input has a node.
    public static func chart(_ inputs: [Input], title: String, caption: String) -> LineChart? {
        let all = inputs.flatMap { $0.quadratures.flatMap { $0.nodes.joined() } }.filter(\.isFinite)
        guard let low = all.min(), let high = all.max() else { return nil }
        let sigma = 0.01 * (high > low ? high - low : Swift.max(1, Swift.abs(low)))
        let grid = (0..<200).map { low - 5 * sigma + Double($0) * (high - low + 10 * sigma) / 199 }
        let series = inputs.map { input -> LineChart.Series in
            let perSeed = input.quadratures.map { q in
                SpectralDensity.smoothed(nodes: q.nodes, weights: q.weights, grid: grid, sigma: sigma).map { log10(Swift.max($0, floor)) }
            }
            return LineChart.Series(name: input.name, points: grid.indices.map { i in bandPoint(grid[i], perSeed.map { $0[i] }) })
        }
        return LineChart(title: title, xLabel: "Hessian eigenvalue λ", yLabel: "log₁₀ density", series: series, caption: caption)
    }

    /// The quadrature recorded as `hessian_density.node.<v>.<j>` / `.weight.<v>.<j>` in a
    /// task-end record, nil when the record has none.
    public static func quadrature(_ record: [String: Double]) -> (nodes: [[Double]], weights: [[Double]])? {
        var nodes: [[Double]] = [], weights: [[Double]] = []
        for v in 0... {
            var theta: [Double] = [], tau: [Double] = []
            for j in 0... {
                guard let x = record["hessian_density.node.\(v).\(j)"], let w = record["hessian_density.weight.\(v).\(j)"] else { break }
                theta.append(x)
                tau.append(w)
            }
            if theta.isEmpty { break }
            nodes.append(theta)
            weights.append(tau)
        }
        return nodes.isEmpty ? nil : (nodes, weights)
    }

    /// Per group of a study: the first variant's density at the first and the last task end.
    static func studyCharts(_ results: StudyResults) -> [(file: String, group: String, chart: LineChart)] {
        guard let variant = results.plan.variants.first else { return [] }
        return results.plan.groups.compactMap { group -> (file: String, group: String, chart: LineChart)? in
            let runs = results.runs(group: group, variant: variant).filter { !$0.tasks.isEmpty }
            guard let tasks = runs.map(\.tasks.count).min() else { return nil }
            let inputs = Array(Set([0, tasks - 1])).sorted().compactMap { t -> Input? in
                let q = runs.compactMap { quadrature($0.tasks[t]) }
                return q.isEmpty ? nil : Input(name: "task \(t + 1) of \(tasks)", quadratures: q)
            }
            guard !inputs.isEmpty, let chart = chart(inputs, title: "\(group), \(variant): Hessian eigenvalue density",
                                                     caption: "Stochastic Lanczos quadrature on the probe batch (4 start vectors × 30 steps), Gaussian-smoothed with σ = 1 % of the eigenvalue range, log scale. " + bandCaption)
            else { return nil }
            return ("\(slug(group))-\(slug(variant))-hessian-density.svg", group, chart)
        }
    }
}
