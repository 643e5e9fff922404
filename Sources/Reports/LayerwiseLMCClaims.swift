import Connectivity
import Experiments

/// The claims of the `layerwise-lmc` study (Adilova et al. 2024, ICLR, "Layer-wise Linear
/// Mode Connectivity"), per pair kind, on the training-loss barrier B:
/// 1. the whole network has a barrier: B_whole > 0;
/// 2. every single layer's barrier (others at A or at B) is below the whole network's:
///    B_whole − max_l B_l > 0;
/// 3. single-layer barriers are near zero: their mean is under 10 % of the whole network's,
///    0.1·B_whole − mean_l B_l > 0;
/// 4. the barrier needs several layers: the onset k* (the smallest k whose `first k` barrier
///    reaches half of B_whole; k = L is the whole network) is above 1, k* − 1 > 0;
/// 5. averaging one layer costs less than averaging all of them, measured as the paper's
///    heatmaps do against L(θ_A) and L(θ_B) at α = ½ (`midpointBarrier`):
///    M_whole − max_l M_l > 0.
enum LayerwiseLMCClaims {
    static let citation = "Adilova et al. 2024, Layer-wise Linear Mode Connectivity (ICLR)"

    static func evaluate(_ results: StudyResults) -> [ClaimResult] {
        guard let pairs = try? LayerwiseLMCStudy.pairs(results) else { return [] }
        var out: [ClaimResult] = []
        for kind in [LayerwiseLMCStudy.sameInit, LayerwiseLMCStudy.differentInit] {
            let reports = pairs.filter { $0.kind == kind }.map(\.report)
            let wholes = reports.compactMap { $0.whole?.train.lossBarrier }
            guard !reports.isEmpty, wholes.count == reports.count else { continue }
            let maxLayer = reports.map { $0.layers.map(\.train.lossBarrier).max() ?? 0 }
            let meanLayer = reports.map { Statistics.mean($0.layers.map(\.train.lossBarrier)) }
            out.append(ClaimResult(
                claim: "Interpolating the whole network crosses a loss barrier (\(kind)).",
                citation: "\(citation), Fig. 1", effect: "whole-network train-loss barrier",
                perSeed: wholes, paired: false))
            out.append(ClaimResult(
                claim: "Every single layer's barrier is smaller than the whole network's (\(kind)).",
                citation: "\(citation), Fig. 2", effect: "whole barrier − largest single-layer barrier (others at A or B)",
                perSeed: zip(wholes, maxLayer).map { $0 - $1 }, paired: false))
            out.append(ClaimResult(
                claim: "Single-layer barriers are near zero: on average under 10 % of the whole network's (\(kind)).",
                citation: "\(citation), Fig. 2", effect: "0.1 × whole barrier − mean single-layer barrier",
                perSeed: zip(wholes, meanLayer).map { 0.1 * $0 - $1 }, paired: false))
            out.append(ClaimResult(
                claim: "The barrier appears only when several layers are interpolated together (\(kind)).",
                citation: "\(citation), Fig. 3", effect: "onset k* − 1, k* = fewest first layers with half the whole barrier",
                perSeed: reports.map { onset($0) - 1 }, paired: false))
            let midpoints = reports.map { r in (r.whole?.train.midpointBarrier ?? 0) - (r.layers.map(\.train.midpointBarrier).max() ?? 0) }
            out.append(ClaimResult(
                claim: "Averaging any single layer costs less than averaging the whole network, against the chord of θ_A and θ_B (\(kind)).",
                citation: "\(citation), Fig. 2", effect: "whole − largest single-layer loss at α = ½ above the A–B chord",
                perSeed: midpoints, paired: false))
        }
        return out
    }

    /// The smallest k whose `first k` train-loss barrier reaches half the whole network's
    /// (L, the number of layers, when none of the partial groups does).
    static func onset(_ report: ConnectivityReport) -> Double {
        let whole = report.whole?.train.lossBarrier ?? 0
        let first = report.firstLayers.map(\.train.lossBarrier)
        let k = first.firstIndex { $0 >= 0.5 * whole }.map { $0 + 1 } ?? first.count + 1
        return Double(k)
    }

    /// Per pair kind: train loss along α (whole and single layers) and cumulative barriers.
    static func charts(_ results: StudyResults) -> [(file: String, group: String, chart: LineChart)] {
        guard let pairs = try? LayerwiseLMCStudy.pairs(results) else { return [] }
        var out: [(file: String, group: String, chart: LineChart)] = []
        for kind in [LayerwiseLMCStudy.sameInit, LayerwiseLMCStudy.differentInit] {
            let reports = pairs.filter { $0.kind == kind }.map(\.report)
            guard !reports.isEmpty else { continue }
            let n = reports.count
            out.append(("\(slug(kind))-loss-path.svg", kind, ConnectivityCharts.lossCurves(
                reports, title: "\(kind): train loss along α, \(n) pairs (others at A)")))
            out.append(("\(slug(kind))-test-loss-path.svg", kind, ConnectivityCharts.lossCurves(
                reports, split: "test", title: "\(kind): test loss along α, \(n) pairs (others at A)")))
            out.append(("\(slug(kind))-cumulative.svg", kind, ConnectivityCharts.cumulativeBarriers(
                reports, title: "\(kind): barrier of the first / last k layers")))
        }
        return out
    }
}
