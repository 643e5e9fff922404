import Networks
import Tensors

extension Conv2d: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode {
        ConvolutionTangentNode(self, weight: try build.offset(of: weight),
                               bias: try bias.map { try build.offset(of: $0) }, constantInput: build.constantInput)
    }
}

/// The R-operator of `Conv2d`, per example on the unrolled patches col(x) [C·K·K, OH·OW]
/// (the same im2col as the layer), y = W col(x) + b with W [O, C·K·K], along (V, ḃ):
///
///     ẏ   = W col(ẋ) + V col(x) + ḃ
///     g_x = col2im(Wᵀ g_y),               g_W = g_y col(x)ᵀ,                g_b = Σ g_y
///     ġ_x = col2im(Wᵀ ġ_y + Vᵀ g_y),      (Hv)_W = ġ_y col(x)ᵀ + g_y col(ẋ)ᵀ,  (Hv)_b = Σ ġ_y
///
/// With a constant input (ẋ = 0, dL/dx unread) the ẋ and input-gradient products are skipped.
final class ConvolutionTangentNode: TangentNode {
    let inputChannels: Int
    let outputChannels: Int
    let kernelSize: Int
    let stride: Int
    let padding: Int
    let weight: Int
    let bias: Int?
    let constantInput: Bool
    private var x: DoubleTensor?
    private var gy: DoubleTensor?
    private var dx: DoubleTensor?
    private let output = DoubleTensor(shape: Shape(0))
    private let tangentOutput = DoubleTensor(shape: Shape(0))
    private let inputGradient = DoubleTensor(shape: Shape(0))
    private let inputRGradient = DoubleTensor(shape: Shape(0))
    private let columns = DoubleTensor(shape: Shape(0))
    private let columnGradient = DoubleTensor(shape: Shape(0))

    init(_ conv: Conv2d, weight: Int, bias: Int?, constantInput: Bool) {
        inputChannels = conv.inputChannels
        outputChannels = conv.outputChannels
        kernelSize = conv.kernelSize
        stride = conv.stride
        padding = conv.padding
        self.weight = weight
        self.bias = bias
        self.constantInput = constantInput
    }

    private var patchSize: Int { inputChannels * kernelSize * kernelSize }

    /// Per-example sizes of an input of shape [N, C, H, W].
    private func geometry(_ s: Shape) -> (n: Int, h: Int, w: Int, oh: Int, ow: Int) {
        let h = s[2], w = s[3]
        return (s[0], h, w, (h + 2 * padding - kernelSize) / stride + 1, (w + 2 * padding - kernelSize) / stride + 1)
    }

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        precondition(x.shape.count == 4 && x.shape[1] == inputChannels,
                     "Conv2d(\(inputChannels), \(outputChannels)) got input \(x.shape)")
        self.x = x
        convolve(x, weights: theta + weight, bias: bias.map { theta + $0 }, into: output, accumulate: false)
        return output
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        let x = cached(self.x)
        self.gy = gy
        accumulateParameterProduct(gy, x, into: gradient)
        inputGradient.resize(to: x.shape)
        inputGradient.zero()
        if !constantInput { addInputProduct(gy, weights: theta + weight, into: inputGradient) }
        return inputGradient
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor {
        let x = cached(self.x)
        self.dx = dx
        convolve(x, weights: v + weight, bias: bias.map { v + $0 }, into: tangentOutput, accumulate: false)
        if !constantInput { convolve(dx, weights: theta + weight, bias: nil, into: tangentOutput, accumulate: true) }
        return tangentOutput
    }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        let x = cached(self.x), gy = cached(self.gy)
        accumulateParameterProduct(dgy, x, into: hv)
        inputRGradient.resize(to: x.shape)
        inputRGradient.zero()
        if !constantInput {
            accumulateParameterProduct(gy, cached(dx), into: hv, includeBias: false)
            addInputProduct(dgy, weights: theta + weight, into: inputRGradient)
            addInputProduct(gy, weights: v + weight, into: inputRGradient)
        }
        return inputRGradient
    }

    /// out (+)= W col(x) + b per example.
    private func convolve(_ x: DoubleTensor, weights: UnsafePointer<Double>, bias: UnsafePointer<Double>?,
                          into out: DoubleTensor, accumulate: Bool) {
        let g = geometry(x.shape), positions = g.oh * g.ow
        if !accumulate { out.resize(to: Shape(g.n, outputChannels, g.oh, g.ow)) }
        columns.resize(to: Shape(patchSize, positions))
        let inStride = inputChannels * g.h * g.w, outStride = outputChannels * positions
        for b in 0..<g.n {
            let y = out.data + b * outStride
            if !accumulate {
                for o in 0..<outputChannels { (y + o * positions).update(repeating: bias?[o] ?? 0, count: positions) }
            }
            im2col(x.data + b * inStride, h: g.h, w: g.w, oh: g.oh, ow: g.ow)
            DoubleBLAS.gemm(.none, .none, m: outputChannels, n: positions, k: patchSize, weights, lda: patchSize,
                            columns.data, ldb: positions, beta: 1, y, ldc: positions)
        }
    }

    /// target_W += dy col(x)ᵀ and, if asked, target_b += Σ dy, summed over examples.
    private func accumulateParameterProduct(_ dy: DoubleTensor, _ x: DoubleTensor,
                                            into target: UnsafeMutablePointer<Double>, includeBias: Bool = true) {
        let g = geometry(x.shape), positions = g.oh * g.ow
        columns.resize(to: Shape(patchSize, positions))
        let inStride = inputChannels * g.h * g.w, outStride = outputChannels * positions
        for b in 0..<g.n {
            let d = dy.data + b * outStride
            im2col(x.data + b * inStride, h: g.h, w: g.w, oh: g.oh, ow: g.ow)
            DoubleBLAS.gemm(.none, .transpose, m: outputChannels, n: patchSize, k: positions, d, lda: positions,
                            columns.data, ldb: positions, beta: 1, target + weight, ldc: patchSize)
            guard includeBias, let bias else { continue }
            let tb = target + bias
            for o in 0..<outputChannels {
                let row = d + o * positions
                var s = 0.0
                for p in 0..<positions { s += row[p] }
                tb[o] += s
            }
        }
    }

    /// out += col2im(Wᵀ dy) per example.
    private func addInputProduct(_ dy: DoubleTensor, weights: UnsafePointer<Double>, into out: DoubleTensor) {
        let g = geometry(out.shape), positions = g.oh * g.ow
        columnGradient.resize(to: Shape(patchSize, positions))
        let inStride = inputChannels * g.h * g.w, outStride = outputChannels * positions
        for b in 0..<g.n {
            DoubleBLAS.gemm(.transpose, .none, m: patchSize, n: positions, k: outputChannels, weights, lda: patchSize,
                            dy.data + b * outStride, ldb: positions, beta: 0, columnGradient.data, ldc: positions)
            col2im(into: out.data + b * inStride, h: g.h, w: g.w, oh: g.oh, ow: g.ow)
        }
    }

    /// Unrolls one example into `columns`: row (c, ki, kj), column (i, j); zero padding.
    private func im2col(_ x: UnsafePointer<Double>, h: Int, w: Int, oh: Int, ow: Int) {
        let col = columns.data, k = kernelSize
        var row = 0
        for c in 0..<inputChannels {
            let plane = x + c * h * w
            for ki in 0..<k {
                for kj in 0..<k {
                    let dst = col + row * oh * ow
                    for i in 0..<oh {
                        let ih = i &* stride &- padding &+ ki, line = dst + i &* ow
                        guard ih >= 0 && ih < h else { line.update(repeating: 0, count: ow); continue }
                        let src = plane + ih &* w
                        for j in 0..<ow {
                            let iw = j &* stride &- padding &+ kj
                            line[j] = (iw >= 0 && iw < w) ? src[iw] : 0
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// Adds `columnGradient` back onto one example's input positions (the adjoint of im2col).
    private func col2im(into dx: UnsafeMutablePointer<Double>, h: Int, w: Int, oh: Int, ow: Int) {
        let dcol = columnGradient.data, k = kernelSize
        var row = 0
        for c in 0..<inputChannels {
            let plane = dx + c * h * w
            for ki in 0..<k {
                for kj in 0..<k {
                    let src = dcol + row * oh * ow
                    for i in 0..<oh {
                        let ih = i &* stride &- padding &+ ki
                        guard ih >= 0 && ih < h else { continue }
                        let line = src + i &* ow, dst = plane + ih &* w
                        for j in 0..<ow {
                            let iw = j &* stride &- padding &+ kj
                            if iw >= 0 && iw < w { dst[iw] += line[j] }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
