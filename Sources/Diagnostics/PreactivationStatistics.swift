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
        self.init(values: activity.preactivations)
    }

    /// The statistics before normalisation: of `activity.prenormalization`, or of z where the
    /// layer has no normalisation.
    public init(prenormalization activity: HiddenLayerActivity) {
        self.init(values: activity.prenormalization ?? activity.preactivations)
    }

    /// The statistics of every value of `values`.
    public init(values: Tensor) {
        let z = values.data, m = values.count
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
///   the current task;
/// - for a layer with a LayerNorm/BatchNorm, the same six of u, the normalisation's input
///   (`preact.prenorm_mean.<ℓ>`, `preact.prenorm_std.<ℓ>`, `preact.prenorm_mean_drift_init.<ℓ>`,
///   …): the shift that normalisation hides from z (where there is none, u = z and the
///   `preact.*` names are these statistics).
/// Drift names are left out when the reference is absent or holds parameters only (or, for
/// `prenorm`, holds no statistics before normalisation: a checkpoint from before they
/// existed). References are Float-rounded.
public func preactivationMetrics(_ context: DiagnosticContext) throws -> DiagnosticValues {
    var values = DiagnosticValues()
    let names = context.layers.map(\.name)
    // After normalisation every layer is named; before it, only the layers that have one.
    let kinds: [(prefix: String, layers: [Int], stats: [PreactivationStatistics],
                 reference: (DiagnosticReferences.Snapshot) -> [PreactivationStatistics])] = [
        ("preact.", Array(context.layers.indices), context.layers.map { PreactivationStatistics($0) }, \.preactivations),
        ("preact.prenorm_", context.layers.indices.filter { context.layers[$0].prenormalization != nil },
         context.layers.map { PreactivationStatistics(prenormalization: $0) }, \.prenormalization),
    ]
    for (prefix, layers, stats, reference) in kinds {
        for i in layers { values.set(prefix + "mean." + names[i], stats[i].mean) }
        for i in layers { values.set(prefix + "std." + names[i], stats[i].std) }
        for (label, snapshot) in [("init", context.references.initial), ("task", context.references.taskStart)] {
            // A parameters-only snapshot (no probe when it was taken) has no statistics to drift from.
            guard let snapshot, case let kept = reference(snapshot), !kept.isEmpty else { continue }
            guard kept.count == stats.count else {
                throw DiagnosticError("the \(label) reference has \(kept.count) hidden layers, the network \(stats.count)")
            }
            for i in layers { values.set(prefix + "mean_drift_\(label).\(names[i])", Swift.abs(stats[i].mean - kept[i].mean)) }
            for i in layers { values.set(prefix + "std_drift_\(label).\(names[i])", Swift.abs(stats[i].std - kept[i].std)) }
        }
    }
    return values
}
