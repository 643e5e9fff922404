import Networks

/// Gradient dormancy (after Liu et al. 2025, "Measure gradients not activations! Enhancing
/// neuronal activity in deep reinforcement learning", GraMa): unit i's incoming-weight
/// gradient norm `g_i = ‖∂L/∂W_in[i, :]‖₂` — the i-th row of the incoming Linear's weight
/// [out, in], or the i-th output channel's C·K·K kernel of a Conv2d; the bias is not included —
/// normalised by the layer mean exactly as activation dormancy (`DormancyScores`): the unit is
/// τ-gradient-dormant when `g_i / ((1/H) Σ_k g_k) ≤ τ`, and a layer with an all-zero gradient
/// is all dormant. L is the mean probe loss (`DiagnosticContext.gradient`).
public enum GradientDormancy {
    /// g_i for every unit of `layer`, read from a gradient vector in network order.
    public static func incomingGradientNorms(_ layer: HiddenLayer, gradient: [Float]) -> [Double] {
        guard let weight = layer.incoming.localParameters.first(where: { $0.name == "weight" })?.parameter else {
            preconditionFailure("hidden layer \(layer.name) has no incoming weight")
        }
        precondition(weight.offset + weight.count <= gradient.count, "gradient vector shorter than the network")
        let units = layer.unitCount, perUnit = weight.count / units
        return gradient.withUnsafeBufferPointer { g in
            (0..<units).map { u in
                let row = g.baseAddress! + weight.offset + u * perUnit
                var sum = 0.0
                for j in 0..<perUnit { sum += Double(row[j]) * Double(row[j]) }
                return sum.squareRoot()
            }
        }
    }
}
