import Networks
import Tensors

extension BatchNorm: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode {
        let mean = runningMean.tensor, variance = runningVariance.tensor
        return BatchNormTangentNode(channels: channels, epsilon: Double(epsilon), training: build.mode == .training,
                                    runningMean: (0..<channels).map { Double(mean.data[$0]) },
                                    runningVariance: (0..<channels).map { Double(variance.data[$0]) },
                                    weight: try build.offset(of: weight), bias: try build.offset(of: bias))
    }
}

/// The R-operator of `BatchNorm`, y = γ_c x̂ + β_c per channel c over its M = N·H·W values.
///
/// Training mode normalises with the batch statistics, so each channel is one group of the
/// `NormalizationCalculus` projection J (coupling the examples):
///
///     ẏ   = γ_c J ẋ + γ̇_c x̂ + β̇_c
///     ġ_x = J (γ_c ġ_y + γ̇_c g_y) + J̇ (γ_c g_y)
///     (Hv)_γc = Σ (ġ_y x̂ + g_y ẋ̂),  (Hv)_βc = Σ ġ_y
///
/// Evaluation mode uses the running statistics, x̂ = (x − m_c) s_c with s_c = 1/√(v_c + ε),
/// so J = s_c I and J̇ = 0. The running statistics are read, never updated. Internally the
/// values are kept channel-major ([C, M]) so every group is contiguous.
final class BatchNormTangentNode: TangentNode {
    let channels: Int
    let epsilon: Double
    let training: Bool
    let runningMean: [Double]
    let runningVariance: [Double]
    let weight: Int
    let bias: Int
    private var scales: [Double] = []
    private var gradientMoments: [Double] = []
    private var tangentMoments: [Double] = []
    // Channel-major [C, M] buffers.
    private let normalized = DoubleTensor(shape: Shape(0))
    private let outputGradient = DoubleTensor(shape: Shape(0))
    private let normalizedGradient = DoubleTensor(shape: Shape(0))
    private let projectedGradient = DoubleTensor(shape: Shape(0))
    private let normalizedTangent = DoubleTensor(shape: Shape(0))
    private let scratch = DoubleTensor(shape: Shape(0))
    private let result = DoubleTensor(shape: Shape(0))
    // Layout [N, C, …] outputs.
    private let output = DoubleTensor(shape: Shape(0))
    private let tangentOutput = DoubleTensor(shape: Shape(0))
    private let inputGradient = DoubleTensor(shape: Shape(0))
    private let inputRGradient = DoubleTensor(shape: Shape(0))
    private var examples = 0
    private var spatial = 0

    init(channels: Int, epsilon: Double, training: Bool, runningMean: [Double], runningVariance: [Double],
         weight: Int, bias: Int) {
        self.channels = channels
        self.epsilon = epsilon
        self.training = training
        self.runningMean = runningMean
        self.runningVariance = runningVariance
        self.weight = weight
        self.bias = bias
    }

    private var groupSize: Int { examples * spatial }

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        precondition(x.shape.count >= 2 && x.shape[1] == channels, "BatchNorm(\(channels)) got input \(x.shape)")
        examples = x.shape[0]
        spatial = x.shape.trailingCount / channels
        let m = groupSize
        precondition(!training || m > 1, "BatchNorm in training mode needs more than one value per channel")
        normalized.resize(to: Shape(channels, m))
        scratch.resize(to: Shape(channels, m))
        gather(x, into: scratch)
        let xc = scratch.data, xh = normalized.data
        scales = (0..<channels).map { c in
            if training { return NormalizationCalculus.normalize(xc + c * m, into: xh + c * m, count: m, epsilon: epsilon) }
            let s = 1 / (runningVariance[c] + epsilon).squareRoot(), mu = runningMean[c]
            for i in (c * m)..<((c + 1) * m) { xh[i] = (xc[i] - mu) * s }
            return s
        }
        affine(gamma: theta + weight, normalized: xh, beta: theta + bias, scaleTangent: nil, into: x.shape, output)
        return output
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        let m = groupSize
        for t in [outputGradient, normalizedGradient, projectedGradient] { t.resize(to: Shape(channels, m)) }
        gather(gy, into: outputGradient)
        let dy = outputGradient.data, xh = normalized.data, gxh = normalizedGradient.data, gx = projectedGradient.data
        let gamma = theta + weight, dg = gradient + weight, db = gradient + bias
        gradientMoments = (0..<channels).map { c in
            let o = c * m
            for i in o..<(o + m) {
                gxh[i] = gamma[c] * dy[i]
                dg[c] += dy[i] * xh[i]
                db[c] += dy[i]
            }
            project(gxh + o, channel: c, into: gx + o)
            return NormalizationCalculus.meanProduct(xh + o, gxh + o, count: m)
        }
        scatter(projectedGradient, into: inputGradient, shape: gy.shape)
        return inputGradient
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor {
        let m = groupSize
        normalizedTangent.resize(to: Shape(channels, m))
        gather(dx, into: scratch)
        let u = scratch.data, dxh = normalizedTangent.data
        tangentMoments = (0..<channels).map { c in project(u + c * m, channel: c, into: dxh + c * m) }
        affine(gamma: theta + weight, normalized: dxh, beta: v + bias,
               scaleTangent: (v + weight, UnsafePointer(normalized.data)), into: dx.shape, tangentOutput)
        return tangentOutput
    }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        let m = groupSize
        result.resize(to: Shape(channels, m))
        gather(dgy, into: scratch)
        let rdy = scratch.data, dy = outputGradient.data, xh = normalized.data, dxh = normalizedTangent.data
        let gxh = normalizedGradient.data, gx = projectedGradient.data, out = result.data
        let gamma = theta + weight, dgamma = v + weight, hg = hv + weight, hb = hv + bias
        for c in 0..<channels {
            let o = c * m
            var sg = 0.0, sb = 0.0
            for i in o..<(o + m) {
                sg += rdy[i] * xh[i] + dy[i] * dxh[i]
                sb += rdy[i]
                rdy[i] = gamma[c] * rdy[i] + dgamma[c] * dy[i]
            }
            hg[c] += sg
            hb[c] += sb
            project(rdy + o, channel: c, into: out + o)
            if training {
                NormalizationCalculus.addJacobianDerivative(gxh + o, projected: gx + o, normalized: xh + o, tangent: dxh + o,
                                                            scale: scales[c], a: tangentMoments[c], m: gradientMoments[c],
                                                            into: out + o, count: m)
            }
        }
        scatter(result, into: inputRGradient, shape: dgy.shape)
        return inputRGradient
    }

    /// out = J u for channel c (s_c u in evaluation mode); returns mean(x̂ ⊙ u) in training mode.
    @discardableResult
    private func project(_ u: UnsafePointer<Double>, channel c: Int, into out: UnsafeMutablePointer<Double>) -> Double {
        let m = groupSize, s = scales[c]
        if training {
            return NormalizationCalculus.project(u, normalized: normalized.data + c * m, scale: s, into: out, count: m)
        }
        for i in 0..<m { out[i] = s * u[i] }
        return 0
    }

    /// out[n, c, k] = γ_c h[c, (n, k)] + β_c (+ γ̇_c x̂[c, (n, k)] when `scaleTangent` is given).
    private func affine(gamma: UnsafePointer<Double>, normalized h: UnsafePointer<Double>, beta: UnsafePointer<Double>,
                        scaleTangent: (UnsafePointer<Double>, UnsafePointer<Double>)?, into shape: Shape, _ out: DoubleTensor) {
        out.resize(to: shape)
        let y = out.data, m = groupSize, s = spatial
        for n in 0..<examples {
            for c in 0..<channels {
                let src = h + c * m + n * s, dst = y + (n * channels + c) * s
                for k in 0..<s { dst[k] = gamma[c] * src[k] + beta[c] }
                if let (dgamma, xh) = scaleTangent {
                    let xs = xh + c * m + n * s
                    for k in 0..<s { dst[k] += dgamma[c] * xs[k] }
                }
            }
        }
    }

    /// [N, C, …] → channel-major [C, N·…].
    private func gather(_ x: DoubleTensor, into out: DoubleTensor) {
        let m = groupSize, s = spatial, src = x.data, dst = out.data
        for n in 0..<examples {
            for c in 0..<channels { (dst + c * m + n * s).update(from: src + (n * channels + c) * s, count: s) }
        }
    }

    /// Channel-major [C, N·…] → [N, C, …] of `shape`.
    private func scatter(_ x: DoubleTensor, into out: DoubleTensor, shape: Shape) {
        out.resize(to: shape)
        let m = groupSize, s = spatial, src = x.data, dst = out.data
        for n in 0..<examples {
            for c in 0..<channels { (dst + (n * channels + c) * s).update(from: src + c * m + n * s, count: s) }
        }
    }
}
