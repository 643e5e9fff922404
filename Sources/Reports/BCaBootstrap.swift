import Tensors

/// Bias-corrected and accelerated (BCa) bootstrap interval of a statistic of one or more
/// independent samples (strata), each resampled with replacement on its own (Efron &
/// Tibshirani 1993, ch. 14; the same construction as SciPy's `bootstrap(method="BCa")`).
///
/// With θ̂ the statistic of the data and θ*_b of B resamples:
/// - bias correction z₀ = Φ⁻¹((#{θ*_b < θ̂} + ½ #{θ*_b = θ̂}) / B);
/// - acceleration from the jackknife of each stratum j (θ_{j,i}: element i of stratum j left
///   out, U_{j,i} = (n_j − 1)(θ̄_j − θ_{j,i})): a = Σ_j Σ_i U³/n_j³ / (6 (Σ_j Σ_i U²/n_j²)^{3/2});
/// - the interval is the α₁ and α₂ quantiles (linear interpolation) of θ*, with
///   α_k = Φ(z₀ + (z₀ + z_k)/(1 − a (z₀ + z_k))), z_{1,2} = Φ⁻¹((1 ∓ c)/2).
/// Resampling draws from PCG32 (`RandomGenerator(seed:stream: 7)`), so a seed gives the same
/// interval every time. A statistic that is constant over resamples gives the point θ̂.
public enum BCaBootstrap {
    public static func interval(_ strata: [[Double]], confidence: Double = 0.95, resamples: Int = 10_000, seed: UInt64 = 0,
                                statistic: ([[Double]]) -> Double) -> (low: Double, high: Double) {
        guard !strata.isEmpty, strata.allSatisfy({ !$0.isEmpty }) else { return (.nan, .nan) }
        let estimate = statistic(strata)
        var rng = RandomGenerator(seed: seed, stream: 7)
        var draws: [Double] = []
        draws.reserveCapacity(resamples)
        var resample = strata
        for _ in 0..<resamples {
            for (j, stratum) in strata.enumerated() {
                for i in stratum.indices { resample[j][i] = stratum[rng.below(stratum.count)] }
            }
            draws.append(statistic(resample))
        }
        draws.sort()
        guard estimate.isFinite, let first = draws.first, let last = draws.last, first < last else { return (estimate, estimate) }
        let below = Double(draws.filter { $0 < estimate }.count), ties = Double(draws.filter { $0 == estimate }.count)
        let z0 = Distributions.normalQuantile((below + 0.5 * ties) / Double(resamples))
        let a = acceleration(strata, statistic: statistic)
        func level(_ alpha: Double) -> Double {
            let z = Distributions.normalQuantile(alpha)
            return Distributions.normalCDF(z0 + (z0 + z) / (1 - a * (z0 + z)))
        }
        let lowLevel = level((1 - confidence) / 2), highLevel = level((1 + confidence) / 2)
        guard lowLevel.isFinite, highLevel.isFinite else { return (.nan, .nan) }
        return (Statistics.quantile(draws, lowLevel), Statistics.quantile(draws, highLevel))
    }

    /// The jackknife acceleration a over all strata (0 when every leave-one-out value is equal).
    static func acceleration(_ strata: [[Double]], statistic: ([[Double]]) -> Double) -> Double {
        var cubes = 0.0, squares = 0.0
        for (j, stratum) in strata.enumerated() where stratum.count > 1 {
            var leftOut = strata
            let values = stratum.indices.map { i -> Double in
                var reduced = stratum
                reduced.remove(at: i)
                leftOut[j] = reduced
                return statistic(leftOut)
            }
            let n = Double(stratum.count), centre = Statistics.mean(values)
            for v in values {
                let u = (n - 1) * (centre - v)
                cubes += u * u * u / (n * n * n)
                squares += u * u / (n * n)
            }
        }
        return squares > 0 ? cubes / (6 * Swift.max(squares, 0).squareRoot() * squares) : 0
    }
}
