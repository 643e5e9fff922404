import Tensors
@testable import Networks

/// Result of comparing analytic gradients with central finite differences.
struct GradientErrors {
    /// ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖) for dL/dx.
    var input: Double
    /// The same for every parameter, by name.
    var parameters: [String: Double]
    var worst: Double { ([input] + Array(parameters.values)).max() ?? 0 }
}

/// Norm-wise relative error between two gradient vectors.
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    var diff = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a, b) { diff += (x - y) * (x - y); na += x * x; nb += y * y }
    let scale = max(na.squareRoot(), nb.squareRoot())
    return scale == 0 ? 0 : diff.squareRoot() / scale
}

/// Checks `layer.backward` against central differences of L = Σ r ⊙ layer(x) for a fixed
/// random projection r. L is accumulated in Double; step `h` perturbs one Float at a time.
func checkGradients(_ layer: any Layer, input: Tensor, mode: Mode = .training, h: Float = 1e-2,
                    seed: UInt64 = 7) -> GradientErrors {
    var rng = RandomGenerator(seed: seed)
    let params = layer.namedParameters()
    let probe = layer.forward(input, mode: mode)
    let r = Tensor(shape: probe.shape)
    rng.fillNormal(r.buffer)

    func loss() -> Double {
        let y = layer.forward(input, mode: mode)
        var s = 0.0
        for i in 0..<y.count { s += Double(r.data[i]) * Double(y.data[i]) }
        return s
    }

    for (_, p) in params { p.gradientBuffer.update(repeating: 0) }
    _ = layer.forward(input, mode: mode)
    let dx = layer.backward(r)
    let analyticInput = (0..<dx.count).map { Double(dx.data[$0]) }
    let analyticParams = params.map { named in
        (named.name, (0..<named.parameter.count).map { Double(named.parameter.gradient[$0]) })
    }

    func numeric(_ pointer: UnsafeMutablePointer<Float>, _ count: Int) -> [Double] {
        (0..<count).map { i in
            let saved = pointer[i]
            pointer[i] = saved + h
            let plus = loss()
            pointer[i] = saved - h
            let minus = loss()
            pointer[i] = saved
            return (plus - minus) / (2 * Double(h))
        }
    }

    let inputError = relativeError(analyticInput, numeric(input.data, input.count))
    var paramErrors: [String: Double] = [:]
    for (name, analytic) in analyticParams {
        let p = params.first { $0.name == name }!.parameter
        paramErrors[name] = relativeError(analytic, numeric(p.value, p.count))
    }
    return GradientErrors(input: inputError, parameters: paramErrors)
}

/// A tensor of normal values, pushed at least `margin` away from zero so that ReLU-like kinks
/// are not crossed by a finite-difference step.
func randomInput(_ shape: Shape, seed: UInt64 = 1, margin: Float = 0) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    let t = Tensor(shape: shape)
    rng.fillNormal(t.buffer)
    if margin > 0 {
        for i in 0..<t.count { t.data[i] = t.data[i] >= 0 ? t.data[i] + margin : t.data[i] - margin }
    }
    return t
}

/// Distinct values spaced `gap` apart in random order, so max-pooling has no near ties.
func distinctInput(_ shape: Shape, seed: UInt64 = 3, gap: Float = 0.05) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    let order = rng.permutation(shape.elementCount)
    return Tensor(shape: shape, values: order.map { Float($0) * gap - Float(shape.elementCount) * gap / 2 })
}
