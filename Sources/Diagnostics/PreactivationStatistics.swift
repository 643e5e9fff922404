import Tensors

/// Mean and standard deviation of a hidden layer's pre-activations z, pooling all examples,
/// units and positions, std with ddof = 0 (Lyle et al. 2024, "pre-activation shift"):
/// μ = (1/M) Σ z, σ = √((1/M) Σ (z − μ)²), accumulated in Double.
public struct PreactivationStatistics: Sendable, Equatable {
    public var mean: Double
    public var std: Double

    public init(mean: Double, std: Double) {
        self.mean = mean
        self.std = std
    }

    /// The statistics of `activity.preactivations`.
    public init(_ activity: HiddenLayerActivity) {
        let z = activity.preactivations.data, m = activity.preactivations.count
        var sum = 0.0
        for i in 0..<m { sum += Double(z[i]) }
        let mean = sum / Double(m)
        var squares = 0.0
        for i in 0..<m { let d = Double(z[i]) - mean; squares += d * d }
        self.init(mean: mean, std: (squares / Double(m)).squareRoot())
    }

    /// The same statistics rounded to Float, as references are kept so that a checkpoint (which
    /// stores Float) restores them exactly.
    var roundedToFloat: PreactivationStatistics {
        PreactivationStatistics(mean: Double(Float(mean)), std: Double(Float(std)))
    }
}

/// The `preactivations` group: for every hidden layer ℓ
/// - `preact.mean.<ℓ>` = μ, `preact.std.<ℓ>` = σ (see `PreactivationStatistics`);
/// - `preact.mean_drift_init.<ℓ>` = |μ − μ_init|, `preact.std_drift_init.<ℓ>` = |σ − σ_init|,
///   against the statistics on the same probe batch before the first training step;
/// - `preact.mean_drift_task.<ℓ>`, `preact.std_drift_task.<ℓ>`: the same against the start of
///   the current task.
/// Drift names are left out when the reference is absent or holds parameters only. References
/// are Float-rounded.
public func preactivationMetrics(_ context: DiagnosticContext) throws -> DiagnosticValues {
    let stats = context.layers.map(PreactivationStatistics.init)
    let names = context.layers.map(\.name)
    var values = DiagnosticValues()
    for (name, s) in zip(names, stats) { values.set("preact.mean." + name, s.mean) }
    for (name, s) in zip(names, stats) { values.set("preact.std." + name, s.std) }
    for (label, snapshot) in [("init", context.references.initial), ("task", context.references.taskStart)] {
        // A parameters-only snapshot (no probe when it was taken) has no statistics to drift from.
        guard let reference = snapshot?.preactivations, !reference.isEmpty else { continue }
        guard reference.count == stats.count else {
            throw DiagnosticError("the \(label) reference has \(reference.count) hidden layers, the network \(stats.count)")
        }
        for i in stats.indices { values.set("preact.mean_drift_\(label).\(names[i])", Swift.abs(stats[i].mean - reference[i].mean)) }
        for i in stats.indices { values.set("preact.std_drift_\(label).\(names[i])", Swift.abs(stats[i].std - reference[i].std)) }
    }
    return values
}
