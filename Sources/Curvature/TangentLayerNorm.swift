import Networks
import Tensors

extension LayerNorm: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode {
        LayerNormTangentNode(size: normalizedShape.elementCount, epsilon: Double(epsilon),
                             weight: try build.offset(of: weight), bias: try build.offset(of: bias))
    }
}

/// The R-operator of `LayerNorm`, y = γ ⊙ x̂ + β per group of D trailing values, along (γ̇, β̇),
/// with J the normalisation Jacobian of `NormalizationCalculus`:
///
///     ẏ   = γ ⊙ J ẋ + γ̇ ⊙ x̂ + β̇
///     g_x̂ = γ ⊙ g_y,  g_x = J g_x̂,  g_γ = Σ g_y ⊙ x̂,  g_β = Σ g_y
///     ġ_x = J (γ ⊙ ġ_y + γ̇ ⊙ g_y) + J̇ g_x̂
///     (Hv)_γ = Σ (ġ_y ⊙ x̂ + g_y ⊙ ẋ̂),  (Hv)_β = Σ ġ_y     (sums over groups)
final class LayerNormTangentNode: TangentNode {
    let size: Int
    let epsilon: Double
    let weight: Int
    let bias: Int
    private var gy: DoubleTensor?
    private let output = DoubleTensor(shape: Shape(0))
    private let normalized = DoubleTensor(shape: Shape(0))
    private var scales: [Double] = []
    /// g_x̂ and mean(x̂ ⊙ g_x̂) per group, from backward.
    private let normalizedGradient = DoubleTensor(shape: Shape(0))
    private var gradientMoments: [Double] = []
    /// ẋ̂ and a = mean(x̂ ⊙ ẋ) per group, from tangent.
    private let normalizedTangent = DoubleTensor(shape: Shape(0))
    private var tangentMoments: [Double] = []
    private let tangentOutput = DoubleTensor(shape: Shape(0))
    private let inputGradient = DoubleTensor(shape: Shape(0))
    private let inputRGradient = DoubleTensor(shape: Shape(0))
    private let scratch = DoubleTensor(shape: Shape(0))

    init(size: Int, epsilon: Double, weight: Int, bias: Int) {
        self.size = size
        self.epsilon = epsilon
        self.weight = weight
        self.bias = bias
    }

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        precondition(x.count % size == 0, "LayerNorm over \(size) values got input \(x.shape)")
        let d = size, groups = x.count / d
        output.resize(to: x.shape)
        normalized.resize(to: x.shape)
        let xp = x.data, xh = normalized.data, y = output.data, g = theta + weight, b = theta + bias
        scales = (0..<groups).map { r in NormalizationCalculus.normalize(xp + r * d, into: xh + r * d, count: d, epsilon: epsilon) }
        for r in 0..<groups {
            let hr = xh + r * d, yr = y + r * d
            for i in 0..<d { yr[i] = g[i] * hr[i] + b[i] }
        }
        return output
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        self.gy = gy
        let d = size, groups = gy.count / d
        normalizedGradient.resize(to: gy.shape)
        inputGradient.resize(to: gy.shape)
        let dy = gy.data, xh = normalized.data, gxh = normalizedGradient.data, gx = inputGradient.data
        let gamma = theta + weight, dg = gradient + weight, db = gradient + bias
        gradientMoments = (0..<groups).map { r in
            let o = r * d
            for i in 0..<d {
                gxh[o + i] = gamma[i] * dy[o + i]
                dg[i] += dy[o + i] * xh[o + i]
                db[i] += dy[o + i]
            }
            NormalizationCalculus.project(gxh + o, normalized: xh + o, scale: scales[r], into: gx + o, count: d)
            return NormalizationCalculus.meanProduct(xh + o, gxh + o, count: d)
        }
        return inputGradient
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor {
        let d = size, groups = dx.count / d
        normalizedTangent.resize(to: dx.shape)
        tangentOutput.resize(to: dx.shape)
        let u = dx.data, xh = normalized.data, dxh = normalizedTangent.data, y = tangentOutput.data
        let gamma = theta + weight, dgamma = v + weight, dbeta = v + bias
        tangentMoments = (0..<groups).map { r in
            NormalizationCalculus.project(u + r * d, normalized: xh + r * d, scale: scales[r], into: dxh + r * d, count: d)
        }
        for r in 0..<groups {
            let o = r * d
            for i in 0..<d { y[o + i] = gamma[i] * dxh[o + i] + dgamma[i] * xh[o + i] + dbeta[i] }
        }
        return tangentOutput
    }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        let gy = cached(self.gy), d = size, groups = dgy.count / d
        scratch.resize(to: dgy.shape)
        inputRGradient.resize(to: dgy.shape)
        let rdy = dgy.data, dy = gy.data, xh = normalized.data, dxh = normalizedTangent.data
        let gxh = normalizedGradient.data, gx = inputGradient.data, t = scratch.data, out = inputRGradient.data
        let gamma = theta + weight, dgamma = v + weight, hg = hv + weight, hb = hv + bias
        for r in 0..<groups {
            let o = r * d
            for i in 0..<d {
                t[o + i] = gamma[i] * rdy[o + i] + dgamma[i] * dy[o + i]
                hg[i] += rdy[o + i] * xh[o + i] + dy[o + i] * dxh[o + i]
                hb[i] += rdy[o + i]
            }
            NormalizationCalculus.project(t + o, normalized: xh + o, scale: scales[r], into: out + o, count: d)
            NormalizationCalculus.addJacobianDerivative(gxh + o, projected: gx + o, normalized: xh + o, tangent: dxh + o,
                                                        scale: scales[r], a: tangentMoments[r], m: gradientMoments[r],
                                                        into: out + o, count: d)
        }
        return inputRGradient
    }
}
