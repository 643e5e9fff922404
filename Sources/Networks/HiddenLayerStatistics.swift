/// Per-unit statistics of a hidden layer read from its activation's last forward pass, in
/// Float as the unit-reset interventions (ReDo, continual backprop) score units.
extension HiddenLayer {
    /// a_i = mean over the batch (and spatial positions) of |h| of unit i, from the
    /// activation's `lastOutput` [N, C·m, …]; with CReLU (m = 2) a unit's two channels
    /// i and i + C are added. Nil before any forward pass.
    public func meanAbsoluteActivation() -> [Float]? {
        guard let h = activation.lastOutput, h.shape.count >= 2, h.count > 0 else { return nil }
        let n = h.shape[0], channels = h.shape[1], units = unitCount
        let positions = h.shape.trailingCount / channels
        var sums = [Double](repeating: 0, count: units)
        let x = h.data
        for b in 0..<n {
            for c in 0..<channels {
                let row = x + (b * channels + c) * positions
                var s: Float = 0
                for p in 0..<positions { s += abs(row[p]) }
                sums[c % units] += Double(s)
            }
        }
        let scale = 1 / Double(n * positions)
        return sums.map { Float($0 * scale) }
    }

    /// Σ_k |w_out| over every outgoing weight that reads unit i (both CReLU channels and,
    /// after Flatten, all spatial positions); nil when no layer reads the units.
    public func outgoingWeightMagnitudes() -> [Float]? {
        guard let out = outgoing, let w = out.localParameters.first(where: { $0.name == "weight" })?.parameter else { return nil }
        let units = unitCount, inputs = out.inputUnitCount, rows = w.count / inputs
        let perInput = w.count / (rows * inputs)   // conv: K·K; linear: 1
        let group = out is Linear ? outgoingGroup : perInput
        var sums = [Float](repeating: 0, count: units)
        let v = w.value
        for r in 0..<rows {
            for channel in 0..<(inputs * perInput / group) {
                let start = out is Linear ? r * inputs + channel * group : (r * inputs + channel) * perInput
                var s: Float = 0
                for k in 0..<group { s += abs(v[start + k]) }
                sums[channel % units] += s
            }
        }
        return sums
    }
}
