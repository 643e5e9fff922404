import Foundation
import Tensors

/// Settings of `spectralDensity`.
public struct SpectralDensityOptions: Sendable, Equatable {
    /// m, Lanczos steps per start vector (fewer if the Krylov space becomes invariant).
    public var steps: Int
    /// n_v, independent start vectors averaged.
    public var vectors: Int
    /// Points of the evaluation grid.
    public var gridPoints: Int
    /// Gaussian width σ; nil means `relativeWidth` × (largest − smallest node), or
    /// `relativeWidth` × max(1, |node|) when all nodes coincide.
    public var sigma: Double?
    public var relativeWidth: Double
    /// Seed of the Rademacher start vectors.
    public var seed: UInt64

    public init(steps: Int = 30, vectors: Int = 4, gridPoints: Int = 1000, sigma: Double? = nil,
                relativeWidth: Double = 0.01, seed: UInt64 = 0) {
        self.steps = steps
        self.vectors = vectors
        self.gridPoints = gridPoints
        self.sigma = sigma
        self.relativeWidth = relativeWidth
        self.seed = seed
    }
}

/// A smoothed eigenvalue density: `density[i]` at `grid[i]`, integrating to 1 (multiply by
/// the dimension for an eigenvalue count), with the quadrature it was built from.
public struct SpectralDensity: Sendable {
    public let grid: [Double]
    public let density: [Double]
    /// The Gaussian width used.
    public let sigma: Double
    /// Per start vector: the Ritz values θ_j (quadrature nodes) and weights τ_j² (sum 1).
    public let nodes: [[Double]]
    public let weights: [[Double]]
}

/// Eigenvalue spectral density by stochastic Lanczos quadrature (Ubaru, Chen & Saad 2017;
/// Ghorbani, Krishnan & Xiao 2019). For each of n_v unit Rademacher start vectors q, m
/// Lanczos steps (full reorthogonalisation) give T = S Θ Sᵀ; the Gauss quadrature of the
/// spectral measure of q puts weight τ_j² = S²_{1j} on node θ_j, and
///
///     φ(t) = (1/n_v) Σ_v Σ_j τ²_{v,j} · exp(−(t − θ_{v,j})² / 2σ²) / (σ√(2π))
///
/// on a uniform grid over [min θ − 5σ, max θ + 5σ]. Each vector costs m products. A matrix
/// with d ≤ m distinct eigenvalues gives nodes exactly at them. PyHessian's `density`
/// defaults to m = 100, n_v = 1, 10 000 bins and a variance of 1e-5 × spectrum width.
public func spectralDensity(_ op: SymmetricOperator, options: SpectralDensityOptions = SpectralDensityOptions()) throws -> SpectralDensity {
    precondition(options.steps >= 1 && options.vectors >= 1 && options.gridPoints >= 2, "SLQ needs steps, vectors ≥ 1 and ≥ 2 grid points")
    var rng = RandomGenerator(seed: options.seed)
    var nodes: [[Double]] = [], weights: [[Double]] = []
    for _ in 0..<options.vectors {
        var process = LanczosProcess(op, start: (0..<op.dimension).map { _ in rng.next() & 1 == 0 ? 1.0 : -1.0 },
                                     maxSteps: options.steps)
        while process.steps < options.steps, process.step() {}
        let eigen = try process.tridiagonalEigen(), m = process.steps
        nodes.append(eigen.values)
        weights.append((0..<m).map { eigen.vectors[$0] * eigen.vectors[$0] })
    }
    let all = nodes.joined()
    let low = all.min() ?? 0, high = all.max() ?? 0
    let sigma = options.sigma ?? options.relativeWidth * (high > low ? high - low : Swift.max(1, Swift.abs(low)))
    precondition(sigma > 0, "SLQ needs σ > 0")
    let start = low - 5 * sigma, step = (high - low + 10 * sigma) / Double(options.gridPoints - 1)
    let grid = (0..<options.gridPoints).map { start + Double($0) * step }
    return SpectralDensity(grid: grid, density: SpectralDensity.smoothed(nodes: nodes, weights: weights, grid: grid, sigma: sigma),
                           sigma: sigma, nodes: nodes, weights: weights)
}

extension SpectralDensity {
    /// φ(t) = (1/n_v) Σ_v Σ_j τ²_{v,j} · exp(−(t − θ_{v,j})² / 2σ²) / (σ√(2π)) at each grid
    /// point: the quadrature (`nodes` θ, `weights` τ², one array per start vector) smoothed by
    /// Gaussians of width σ. Used by `spectralDensity` and to redraw a recorded quadrature.
    public static func smoothed(nodes: [[Double]], weights: [[Double]], grid: [Double], sigma: Double) -> [Double] {
        let norm = 1 / (Double(Swift.max(nodes.count, 1)) * sigma * (2 * Double.pi).squareRoot())
        return grid.map { t in
            var s = 0.0
            for (theta, tau) in zip(nodes, weights) {
                for (x, w) in zip(theta, tau) { let d = (t - x) / sigma; s += w * Foundation.exp(-0.5 * d * d) }
            }
            return s * norm
        }
    }
}
