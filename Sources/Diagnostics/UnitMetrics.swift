import Networks

/// Thresholds of the `units` group.
public struct UnitMetricSettings: Sendable, Equatable {
    /// Dormancy thresholds τ (Sokar et al. 2023 use 0, 0.025 and 0.1).
    public var thresholds: [Double] = [0, 0.025, 0.1]
    /// A unit is low-activity when active (h > 0) on fewer than this fraction of samples.
    public var lowActivityFrequency: Double = 0.01

    public init() {}
}

/// The `units` group: for every hidden layer ℓ (H units, statistics from `UnitStatistics`)
///
/// | name | value |
/// |---|---|
/// | `dead.<ℓ>` | fraction of units with h = 0 on every sample |
/// | `dormant.tau<τ>.<ℓ>` | fraction with s_i ≤ τ, s_i = mean_x\|h_i\| / ((1/H) Σ_k mean_x\|h_k\|) (Sokar et al. 2023) |
/// | `low_activity.<ℓ>` | fraction active (h > 0) on < 1% of samples (dead units included) |
/// | `linearised.<ℓ>` | fraction with z > 0 on every sample (ReLU/LeakyReLU; CReLU: z of one sign) [Lyle et al. 2024]; null otherwise |
/// | `saturated.<ℓ>` | fraction with \|z\| ≥ 3 (tanh) or ≥ 5 (sigmoid) on every sample; null otherwise |
/// | `active_fraction.<ℓ>` | fraction of (sample, unit) pairs with h > 0 |
/// | `grad_dormant.tau<τ>.<ℓ>` | fraction τ-gradient-dormant (`GradientDormancy`); only with a probe gradient |
/// | `dormant_again.tau<τ>.<ℓ>` | of the units reset since the last measurement, fraction τ-dormant now; only layers with resets |
///
/// Each metric also has a network-wide name without the layer (`dormant.tau0.1`): the same
/// count over all hidden units of the layers where it applies (for `active_fraction`, the
/// mean over all hidden units of their active frequency; for `dormant_again`, over all reset
/// units). A metric that applies to no layer is null.
public func unitMetrics(_ context: DiagnosticContext, settings: UnitMetricSettings = UnitMetricSettings()) throws -> DiagnosticValues {
    let hidden = context.network.hiddenLayers
    let names = context.layers.map(\.name)
    if let unknown = context.resetUnits.keys.sorted().first(where: { !names.contains($0) }) {
        throw DiagnosticError("units were reset in '\(unknown)', which is not a hidden layer (\(names.joined(separator: ", ")))")
    }
    let statistics = context.layers.map(UnitStatistics.init)
    var values = DiagnosticValues()
    func emit(_ metric: String, _ ratios: [(numerator: Double, denominator: Double)?], layerNames: [String] = names) {
        let applicable = ratios.compactMap { $0 }
        let total = applicable.reduce(0) { $0 + $1.denominator }
        values.set(metric, applicable.isEmpty ? nil : applicable.reduce(0) { $0 + $1.numerator } / total)
        for (name, r) in zip(layerNames, ratios) { values.set(MetricNames.perLayer(metric, name), r.map { $0.numerator / $0.denominator }) }
    }
    func fraction(_ flags: [Bool]?) -> (numerator: Double, denominator: Double)? {
        flags.map { (Double($0.filter { $0 }.count), Double($0.count)) }
    }

    emit("dead", statistics.map { fraction($0.isDead) })
    let dormant = settings.thresholds.map { tau in
        statistics.map { DormancyScores.dormant($0.meanAbsoluteActivation, threshold: tau) }
    }
    for (tau, perLayer) in zip(settings.thresholds, dormant) {
        emit("dormant." + MetricNames.threshold("tau", tau),
             zip(perLayer, statistics).map { (Double($0.count), Double($1.meanAbsoluteActivation.count)) })
    }
    emit("low_activity", statistics.map { fraction($0.activeFrequency.map { $0 < settings.lowActivityFrequency }) })
    emit("linearised", statistics.map { fraction($0.isLinearised) })
    emit("saturated", statistics.map { fraction($0.isSaturated) })
    emit("active_fraction", statistics.map { ($0.activeFrequency.reduce(0, +), Double($0.activeFrequency.count)) })

    if let gradient = context.gradient {
        let norms = hidden.map { GradientDormancy.incomingGradientNorms($0, gradient: gradient) }
        for tau in settings.thresholds {
            emit("grad_dormant." + MetricNames.threshold("tau", tau),
                 norms.map { (Double(DormancyScores.dormant($0, threshold: tau).count), Double($0.count)) })
        }
    }

    let resetLayers = names.indices.filter { !(context.resetUnits[names[$0]] ?? []).isEmpty }
    if !resetLayers.isEmpty {
        for (tau, perLayer) in zip(settings.thresholds, dormant) {
            emit("dormant_again." + MetricNames.threshold("tau", tau), resetLayers.map { i in
                let counts = dormantAgainCounts(reset: context.resetUnits[names[i]]!, dormant: perLayer[i])
                return (Double(counts.again), Double(counts.reset))
            }, layerNames: resetLayers.map { names[$0] })
        }
    }
    return values
}
