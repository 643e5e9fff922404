import Networks
import Tensors

/// Settings of the Hessian group.
public struct HessianOptions: Sendable {
    /// BatchNorm statistics: running (`.evaluation`, default) or of the probe batch.
    public var mode: Mode
    /// Top-k eigenvalues (k = 3, tolerance 1e-3, ≤ 50 steps by default); nil skips them.
    public var lanczos: LanczosOptions?
    /// λ of largest magnitude; nil skips it.
    public var powerIteration: PowerIterationOptions?
    /// Whole and per-layer traces; nil skips them.
    public var trace: HutchinsonOptions?
    /// Per-layer block λ_max (k is taken as 1); nil skips it.
    public var layerLanczos: LanczosOptions?

    public init(mode: Mode = .evaluation, lanczos: LanczosOptions? = LanczosOptions(),
                powerIteration: PowerIterationOptions? = PowerIterationOptions(),
                trace: HutchinsonOptions? = HutchinsonOptions(),
                layerLanczos: LanczosOptions? = LanczosOptions(eigenvalueCount: 1)) {
        self.mode = mode
        self.lanczos = lanczos
        self.powerIteration = powerIteration
        self.trace = trace
        self.layerLanczos = layerLanczos
    }

    /// The scheduled `hessian` group: whole-network top-k and trace (with each block's trace
    /// from the same samples), at most `traceSamples` Hutchinson samples.
    public static func wholeNetwork(traceSamples: Int = 100) -> HessianOptions {
        HessianOptions(powerIteration: nil, trace: HutchinsonOptions(minSamples: Swift.min(10, traceSamples), maxSamples: traceSamples),
                       layerLanczos: nil)
    }

    /// The `hessian_blocks` group: each layer block's λ_max and the largest-|λ| eigenvalue.
    public static var blocks: HessianOptions { HessianOptions(lanczos: nil, trace: nil) }
}

/// The Hessian group ([U] Lyle et al. 2023; [S] Berariu et al. 2021): curvature of the mean
/// probe loss from exact Hessian-vector products (`HessianVectorProduct`). Names, with L a
/// layer's state-dict prefix (`layers.0`) and i = 1…k:
///
/// - `hessian.lambda_max`: largest algebraic eigenvalue (Lanczos), with
///   `hessian.lambda_max_residual` ‖Hv − λv‖, `hessian.lanczos_iterations`,
///   `hessian.lanczos_converged` (1/0); `hessian.eigenvalue.i` and
///   `hessian.eigenvalue_residual.i` for the top k;
/// - `hessian.max_abs_eigenvalue`: eigenvalue of largest |λ| with its sign (power
///   iteration), `…_residual`, `hessian.power_iterations`, `hessian.power_converged`;
/// - `hessian.trace`, `hessian.trace_stderr` (ddof = 1), `hessian.trace_samples`,
///   `hessian.trace_converged` (Hutchinson, Rademacher);
/// - per layer block H_LL (the layer's weight and bias): `hessian.lambda_max.L`,
///   `hessian.lambda_max_residual.L`, `hessian.lanczos_iterations.L`,
///   `hessian.lanczos_converged.L`, and from the same Hutchinson samples
///   `hessian.trace.L`, `hessian.trace_stderr.L`;
/// - `hessian.products`: Hessian-vector products used (the cost).
public func hessianMetrics(network: Network, probe: ProbeBatch, options: HessianOptions = HessianOptions()) throws -> DiagnosticValues {
    let hvp = try HessianVectorProduct(network: network, probe: probe, mode: options.mode)
    var v = DiagnosticValues()
    if let lanczos = options.lanczos {
        let top = try lanczosEigenpairs(hvp.symmetricOperator, options: lanczos)
        v.set("hessian.lambda_max", top.pairs.first?.value)
        v.set("hessian.lambda_max_residual", top.pairs.first?.residual)
        v.set("hessian.lanczos_iterations", Double(top.iterations))
        v.set("hessian.lanczos_converged", top.converged ? 1 : 0)
        for (i, pair) in top.pairs.enumerated() {
            v.set("hessian.eigenvalue.\(i + 1)", pair.value)
            v.set("hessian.eigenvalue_residual.\(i + 1)", pair.residual)
        }
    }
    if let power = options.powerIteration.map({ powerIteration(hvp.symmetricOperator, options: $0) }) {
        v.set("hessian.max_abs_eigenvalue", power.eigenvalue)
        v.set("hessian.max_abs_eigenvalue_residual", power.residual)
        v.set("hessian.power_iterations", Double(power.iterations))
        v.set("hessian.power_converged", power.converged ? 1 : 0)
    }
    if let traceOptions = options.trace {
        let t = hutchinsonTrace(hvp.symmetricOperator, blocks: hvp.blocks.map(\.range), options: traceOptions)
        v.set("hessian.trace", t.trace.value)
        v.set("hessian.trace_stderr", t.trace.standardError)
        v.set("hessian.trace_samples", Double(t.trace.samples))
        v.set("hessian.trace_converged", t.trace.converged ? 1 : 0)
        for (block, estimate) in zip(hvp.blocks, t.blocks) {
            v.set("hessian.trace." + block.name, estimate.value)
            v.set("hessian.trace_stderr." + block.name, estimate.standardError)
        }
    }
    if var layerOptions = options.layerLanczos {
        layerOptions.eigenvalueCount = 1
        for block in hvp.blocks {
            let r = try lanczosEigenpairs(hvp.symmetricOperator(restrictedTo: block), options: layerOptions)
            v.set("hessian.lambda_max." + block.name, r.pairs.first?.value)
            v.set("hessian.lambda_max_residual." + block.name, r.pairs.first?.residual)
            v.set("hessian.lanczos_iterations." + block.name, Double(r.iterations))
            v.set("hessian.lanczos_converged." + block.name, r.converged ? 1 : 0)
        }
    }
    v.set("hessian.products", Double(hvp.productCount))
    return v
}

/// The Hessian's eigenvalue density on the probe batch by stochastic Lanczos quadrature
/// (`spectralDensity`, 4 start vectors × 30 steps by default); the scheduled
/// `hessian_density` group records its quadrature with `hessianDensityValues`.
public func hessianSpectralDensity(network: Network, probe: ProbeBatch, mode: Mode = .evaluation,
                                   options: SpectralDensityOptions = SpectralDensityOptions()) throws -> SpectralDensity {
    try spectralDensity(HessianVectorProduct(network: network, probe: probe, mode: mode).symmetricOperator, options: options)
}

/// A density's quadrature as scalar metrics: `hessian_density.node.<v>.<j>` (θ_{v,j}) and
/// `hessian_density.weight.<v>.<j>` (τ²_{v,j}) for start vector v and Ritz value j, so a
/// metrics record can hold it and a report can redraw the density
/// (`SpectralDensity.smoothed`) with any σ and grid.
public func hessianDensityValues(_ density: SpectralDensity) -> DiagnosticValues {
    var v = DiagnosticValues()
    for (i, (theta, tau)) in zip(density.nodes, density.weights).enumerated() {
        for (j, (x, w)) in zip(theta, tau).enumerated() {
            v.set("hessian_density.node.\(i).\(j)", x)
            v.set("hessian_density.weight.\(i).\(j)", w)
        }
    }
    return v
}
