import Foundation
import Networks
import Tensors

extension Activation: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode { ActivationTangentNode(function) }
}

extension CReLU: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode { CReLUTangentNode() }
}

extension FourierActivation: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode { FourierTangentNode() }
}

/// The R-operator of an elementwise activation h = φ(z):
///
///     ḣ = φ'(z) ż,   g_z = φ'(z) g_h,   ġ_z = φ'(z) ġ_h + φ''(z) ż g_h
///
/// with φ', φ'' per function: relu 1[z>0], 0 (0 at z = 0, as the layer's backward); leaky
/// relu 1 or slope, 0; tanh 1 − t², −2t(1 − t²); sigmoid s(1 − s), s(1 − s)(1 − 2s);
/// gelu (erf form) Φ(z) + zϕ(z), ϕ(z)(2 − z²); identity 1, 0.
final class ActivationTangentNode: TangentNode {
    let function: ActivationFunction
    private var dz: DoubleTensor?
    private let output = DoubleTensor(shape: Shape(0))
    private let slope = DoubleTensor(shape: Shape(0))
    /// φ''(z), turned into φ''(z) ⊙ g_h by backward (which runs once per forward).
    private let curvature = DoubleTensor(shape: Shape(0))
    private let tangentOutput = DoubleTensor(shape: Shape(0))
    private let inputGradient = DoubleTensor(shape: Shape(0))
    private let inputRGradient = DoubleTensor(shape: Shape(0))

    init(_ function: ActivationFunction) { self.function = function }

    /// Whether φ'' is non-zero anywhere.
    private var isCurved: Bool {
        switch function {
        case .tanh, .sigmoid, .gelu: true
        case .relu, .leakyReLU, .identity: false
        }
    }

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        output.resize(to: x.shape)
        slope.resize(to: x.shape)
        curvature.resize(to: x.shape)
        let z = x.data, h = output.data, d1 = slope.data, d2 = curvature.data, n = x.count
        switch function {
        case .relu:
            for i in 0..<n { h[i] = Swift.max(z[i], 0); d1[i] = z[i] > 0 ? 1 : 0 }
        case .leakyReLU(let s):
            let a = Double(s)
            for i in 0..<n { h[i] = z[i] > 0 ? z[i] : a * z[i]; d1[i] = z[i] > 0 ? 1 : a }
        case .tanh:
            for i in 0..<n {
                let t = Foundation.tanh(z[i])
                h[i] = t; d1[i] = 1 - t * t; d2[i] = -2 * t * (1 - t * t)
            }
        case .sigmoid:
            for i in 0..<n {
                let s = 1 / (1 + Foundation.exp(-z[i]))
                h[i] = s; d1[i] = s * (1 - s); d2[i] = s * (1 - s) * (1 - 2 * s)
            }
        case .gelu:
            for i in 0..<n {
                let cdf = 0.5 * (1 + Foundation.erf(z[i] * 0.5.squareRoot()))
                let pdf = Foundation.exp(-0.5 * z[i] * z[i]) / (2 * Double.pi).squareRoot()
                h[i] = z[i] * cdf; d1[i] = cdf + z[i] * pdf; d2[i] = pdf * (2 - z[i] * z[i])
            }
        case .identity:
            for i in 0..<n { h[i] = z[i]; d1[i] = 1 }
        }
        return output
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        inputGradient.resize(to: gy.shape)
        let g = gy.data, d1 = slope.data, d2 = curvature.data, gx = inputGradient.data
        for i in 0..<gy.count { gx[i] = d1[i] * g[i] }
        if isCurved { for i in 0..<gy.count { d2[i] *= g[i] } }
        return inputGradient
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor {
        self.dz = dx
        tangentOutput.resize(to: dx.shape)
        let z = dx.data, d1 = slope.data, y = tangentOutput.data
        for i in 0..<dx.count { y[i] = d1[i] * z[i] }
        return tangentOutput
    }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        inputRGradient.resize(to: dgy.shape)
        let dg = dgy.data, d1 = slope.data, out = inputRGradient.data, n = dgy.count
        for i in 0..<n { out[i] = d1[i] * dg[i] }
        if isCurved {
            let c = curvature.data, z = cached(dz).data
            for i in 0..<n { out[i] += c[i] * z[i] }
        }
        return inputRGradient
    }
}

/// The R-operator of CReLU, y = [relu(x), relu(−x)] along axis 1: piecewise linear, so
/// ẏ = [1[x>0] ẋ, −1[x<0] ẋ] and both backward passes apply the transpose,
/// g_x = 1[x>0] g_pos − 1[x<0] g_neg (and likewise ġ_x from ġ_y).
final class CReLUTangentNode: TangentNode {
    private var x: DoubleTensor?
    private let output = DoubleTensor(shape: Shape(0))
    private let tangentOutput = DoubleTensor(shape: Shape(0))
    private let inputGradient = DoubleTensor(shape: Shape(0))
    private let inputRGradient = DoubleTensor(shape: Shape(0))

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        self.x = x
        split(x, into: output, sign: x)
        return output
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        merge(gy, into: inputGradient)
        return inputGradient
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor {
        split(dx, into: tangentOutput, sign: cached(x))
        return tangentOutput
    }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        merge(dgy, into: inputRGradient)
        return inputRGradient
    }

    /// out = [1[x>0] u, −1[x<0] u] per example (u = x gives the forward pass).
    private func split(_ u: DoubleTensor, into out: DoubleTensor, sign x: DoubleTensor) {
        let n = x.shape[0], per = x.shape.trailingCount
        var dims = x.shape.dimensions
        dims[1] *= 2
        out.resize(to: Shape(dims))
        let s = x.data, a = u.data, y = out.data
        for b in 0..<n {
            let sb = s + b * per, ab = a + b * per, pos = y + b * 2 * per, neg = pos + per
            for i in 0..<per {
                pos[i] = sb[i] > 0 ? ab[i] : 0
                neg[i] = sb[i] < 0 ? -ab[i] : 0
            }
        }
    }

    /// out = 1[x>0] g_pos − 1[x<0] g_neg per example.
    private func merge(_ g: DoubleTensor, into out: DoubleTensor) {
        let x = cached(self.x), n = x.shape[0], per = x.shape.trailingCount
        out.resize(to: x.shape)
        let s = x.data, d = g.data, o = out.data
        for b in 0..<n {
            let sb = s + b * per, pos = d + b * 2 * per, neg = pos + per, ob = o + b * per
            for i in 0..<per { ob[i] = sb[i] > 0 ? pos[i] : (sb[i] < 0 ? -neg[i] : 0) }
        }
    }
}

/// The R-operator of deep Fourier features, y = [sin x, cos x] along axis 1:
///
///     ẏ   = [cos x ⊙ ẋ, −sin x ⊙ ẋ]
///     g_x = cos x ⊙ g_sin − sin x ⊙ g_cos
///     ġ_x = cos x ⊙ ġ_sin − sin x ⊙ ġ_cos − (sin x ⊙ g_sin + cos x ⊙ g_cos) ⊙ ẋ
final class FourierTangentNode: TangentNode {
    private var dx: DoubleTensor?
    private let sine = DoubleTensor(shape: Shape(0))
    private let cosine = DoubleTensor(shape: Shape(0))
    /// −(sin x ⊙ g_sin + cos x ⊙ g_cos), filled by backward.
    private let curvature = DoubleTensor(shape: Shape(0))
    private let output = DoubleTensor(shape: Shape(0))
    private let tangentOutput = DoubleTensor(shape: Shape(0))
    private let inputGradient = DoubleTensor(shape: Shape(0))
    private let inputRGradient = DoubleTensor(shape: Shape(0))

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        sine.resize(to: x.shape)
        cosine.resize(to: x.shape)
        let z = x.data, s = sine.data, c = cosine.data
        for i in 0..<x.count { s[i] = Foundation.sin(z[i]); c[i] = Foundation.cos(z[i]) }
        join(sine, cosine, into: output)
        return output
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        inputGradient.resize(to: sine.shape)
        curvature.resize(to: sine.shape)
        let n = sine.shape[0], per = sine.shape.trailingCount
        let s = sine.data, c = cosine.data, g = gy.data, gx = inputGradient.data, k = curvature.data
        for b in 0..<n {
            let gs = g + b * 2 * per, gc = gs + per, o = b * per
            for i in 0..<per {
                gx[o + i] = c[o + i] * gs[i] - s[o + i] * gc[i]
                k[o + i] = -(s[o + i] * gs[i] + c[o + i] * gc[i])
            }
        }
        return inputGradient
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor {
        self.dx = dx
        var dims = dx.shape.dimensions
        dims[1] *= 2
        tangentOutput.resize(to: Shape(dims))
        let n = dx.shape[0], per = dx.shape.trailingCount
        let u = dx.data, s = sine.data, c = cosine.data, y = tangentOutput.data
        for b in 0..<n {
            let ys = y + b * 2 * per, yc = ys + per, o = b * per
            for i in 0..<per { ys[i] = c[o + i] * u[o + i]; yc[i] = -s[o + i] * u[o + i] }
        }
        return tangentOutput
    }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        inputRGradient.resize(to: sine.shape)
        let n = sine.shape[0], per = sine.shape.trailingCount
        let s = sine.data, c = cosine.data, g = dgy.data, k = curvature.data, u = cached(dx).data, out = inputRGradient.data
        for b in 0..<n {
            let gs = g + b * 2 * per, gc = gs + per, o = b * per
            for i in 0..<per { out[o + i] = c[o + i] * gs[i] - s[o + i] * gc[i] + k[o + i] * u[o + i] }
        }
        return inputRGradient
    }

    /// out = [a, b] along axis 1 per example.
    private func join(_ a: DoubleTensor, _ b: DoubleTensor, into out: DoubleTensor) {
        var dims = a.shape.dimensions
        dims[1] *= 2
        out.resize(to: Shape(dims))
        let n = a.shape[0], per = a.shape.trailingCount, y = out.data
        for e in 0..<n {
            (y + e * 2 * per).update(from: a.data + e * per, count: per)
            (y + e * 2 * per + per).update(from: b.data + e * per, count: per)
        }
    }
}
