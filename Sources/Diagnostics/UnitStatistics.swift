import Tensors

/// Per-unit statistics of one hidden layer over the probe batch, from one pass over z and h.
/// A unit's samples are its N·H·W values (see `HiddenLayerActivity`).
///
/// For CReLU, unit i owns the two channels h⁺ = relu(z) (channel i) and h⁻ = relu(−z)
/// (channel C + i), and its magnitude is |h_i| := |h⁺| + |h⁻| = |z|; it is active when either
/// half is positive (z ≠ 0) and dead when both halves are zero on every sample (z ≡ 0). So a
/// CReLU unit is never dead unless z is exactly zero everywhere.
public struct UnitStatistics {
    /// mean over samples of |h_i| (Double).
    public let meanAbsoluteActivation: [Double]
    /// Fraction of samples with h_i > 0.
    public let activeFrequency: [Double]
    /// h_i = 0 on every sample.
    public let isDead: [Bool]
    /// ReLU/LeakyReLU: z > 0 on every sample; CReLU: z > 0 on every sample or z < 0 on every
    /// sample. nil for other nonlinearities.
    public let isLinearised: [Bool]?
    /// tanh: |z| ≥ 3 on every sample; sigmoid: |z| ≥ 5. nil for other nonlinearities.
    public let isSaturated: [Bool]?

    public init(_ layer: HiddenLayerActivity) {
        let units = layer.unitCount, examples = layer.exampleCount, positions = layer.positions
        let crelu = layer.nonlinearity == .crelu
        let hChannels = crelu ? 2 * units : units
        let z = layer.preactivations.data, h = layer.activations.data
        let samples = Double(layer.samplesPerUnit)
        var meanAbs = [Double](repeating: 0, count: units), active = meanAbs
        var dead = [Bool](repeating: false, count: units), linear = dead, saturated = dead
        let saturation = layer.nonlinearity.saturationThreshold ?? .infinity
        for u in 0..<units {
            var sumAbs = 0.0, activeCount = 0, nonzero = false
            var allPositive = true, allNegative = true, minAbsZ = Float.infinity
            for n in 0..<examples {
                let zu = z + (n &* units &+ u) &* positions
                let hu = h + (n &* hChannels &+ u) &* positions
                for p in 0..<positions {
                    let zi = zu[p]
                    let magnitude = crelu ? hu[p] + hu[p &+ units &* positions] : Swift.abs(hu[p])
                    let isActive = crelu ? magnitude > 0 : hu[p] > 0
                    sumAbs += Double(magnitude)
                    if isActive { activeCount &+= 1 }
                    if magnitude != 0 { nonzero = true }
                    if !(zi > 0) { allPositive = false }
                    if !(zi < 0) { allNegative = false }
                    minAbsZ = Swift.min(minAbsZ, Swift.abs(zi))
                }
            }
            meanAbs[u] = sumAbs / samples
            active[u] = Double(activeCount) / samples
            dead[u] = !nonzero
            linear[u] = allPositive || (crelu && allNegative)
            saturated[u] = minAbsZ >= saturation
        }
        meanAbsoluteActivation = meanAbs
        activeFrequency = active
        isDead = dead
        isLinearised = layer.nonlinearity.hasLinearRegime ? linear : nil
        isSaturated = layer.nonlinearity.saturationThreshold == nil ? nil : saturated
    }
}
