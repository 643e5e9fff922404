import Testing
import Diagnostics
@testable import Reports

/// The recorded SLQ quadrature round-trips through metric names and redraws the density.
@Suite struct HessianDensityChartTests {
    @Test func quadratureRoundTripsAndPeaksAtTheEigenvalues() throws {
        // diag(1, 1, 1, 5): SLQ with ≥ 2 steps puts its nodes exactly at 1 and 5, weights ¾ and ¼.
        let matrix: [Double] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 5]
        let density = try spectralDensity(SymmetricOperator(matrix: matrix, size: 4), options: SpectralDensityOptions(steps: 4, vectors: 2))
        let values = hessianDensityValues(density)
        var record: [String: Double] = [:]
        for (name, value) in values.entries { record[name] = value }
        let q = try #require(HessianDensityChart.quadrature(record))
        #expect(q.nodes == density.nodes && q.weights == density.weights)
        #expect(record["hessian_density.node.1.0"] == density.nodes[1][0])
        #expect(HessianDensityChart.quadrature(["train_loss": 1]) == nil)
        let chart = try #require(HessianDensityChart.chart([.init(name: "A", quadratures: [q, q])], title: "t", caption: "c"))
        let points = chart.series[0].points
        #expect(points.count == 200)
        // The highest point lies at λ = 1 (three of four eigenvalues), the second peak at 5.
        let top = points.max { $0.y < $1.y }!
        #expect(abs(top.x - 1) < 0.05)
        let right = points.filter { $0.x > 3 }.max { $0.y < $1.y }!
        #expect(abs(right.x - 5) < 0.05 && right.y < top.y)
        // Two identical seeds: the band collapses onto the mean.
        #expect(points.allSatisfy { $0.low == $0.y && $0.high == $0.y })
    }
}
