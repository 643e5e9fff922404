/// First and second derivatives of the normalisation x̂ = (x − μ)·s, s = 1/√(σ² + ε), over
/// one group of D contiguous values (μ and the biased σ² taken over the group), shared by
/// the LayerNorm and BatchNorm R-operators.
///
/// The Jacobian is symmetric, J = s (I − 11ᵀ/D − x̂x̂ᵀ/D), so the tangent ẋ̂ = J ẋ and the
/// backward g_x = J g_x̂ are the same projection. Along ẋ, with a = mean(x̂ ⊙ ẋ), one has
/// ṡ = −s² a and ẋ̂ = s(ẋ − mean ẋ − a x̂), and the derivative of J applied to a fixed g is
///
///     J̇ g = −s a (J g) − s (ẋ̂ · mean(x̂ ⊙ g) + x̂ · mean(ẋ̂ ⊙ g)).
enum NormalizationCalculus {
    /// Writes x̂ for one group and returns s.
    static func normalize(_ x: UnsafePointer<Double>, into xh: UnsafeMutablePointer<Double>,
                          count d: Int, epsilon: Double) -> Double {
        let inv = 1 / Double(d)
        var mean = 0.0
        for i in 0..<d { mean += x[i] }
        mean *= inv
        var variance = 0.0
        for i in 0..<d { let c = x[i] - mean; variance += c * c }
        variance *= inv
        let s = 1 / (variance + epsilon).squareRoot()
        for i in 0..<d { xh[i] = (x[i] - mean) * s }
        return s
    }

    /// out = J u = s (u − mean u − x̂ · mean(x̂ ⊙ u)); returns mean(x̂ ⊙ u).
    @discardableResult
    static func project(_ u: UnsafePointer<Double>, normalized xh: UnsafePointer<Double>, scale s: Double,
                        into out: UnsafeMutablePointer<Double>, count d: Int) -> Double {
        let inv = 1 / Double(d)
        var mu = 0.0, mxu = 0.0
        for i in 0..<d { mu += u[i]; mxu += xh[i] * u[i] }
        mu *= inv
        mxu *= inv
        for i in 0..<d { out[i] = s * (u[i] - mu - xh[i] * mxu) }
        return mxu
    }

    /// out += J̇ g given J g (`projected`), ẋ̂ (`tangent`), a = mean(x̂ ⊙ ẋ) and
    /// m = mean(x̂ ⊙ g).
    static func addJacobianDerivative(_ g: UnsafePointer<Double>, projected jg: UnsafePointer<Double>,
                                      normalized xh: UnsafePointer<Double>, tangent dxh: UnsafePointer<Double>,
                                      scale s: Double, a: Double, m: Double,
                                      into out: UnsafeMutablePointer<Double>, count d: Int) {
        var mdg = 0.0
        for i in 0..<d { mdg += dxh[i] * g[i] }
        mdg /= Double(d)
        for i in 0..<d { out[i] -= s * (a * jg[i] + dxh[i] * m + xh[i] * mdg) }
    }

    /// mean(a ⊙ b) over one group.
    static func meanProduct(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count d: Int) -> Double {
        var s = 0.0
        for i in 0..<d { s += a[i] * b[i] }
        return s / Double(d)
    }
}
