import Tensors

/// A 2-D convolution (`nn.Conv2d`, cross-correlation, NCHW), computed per example as
/// im2col followed by one GEMM.
///
/// Shapes: x [N, C, H, W] → y [N, O, OH, OW] with OH = (H + 2·pad − K)/stride + 1;
/// weight [O, C, K, K], bias [O].
/// For each example: col [C·K·K, OH·OW] = im2col(x), y = W col + b;
/// backward: dW += dY colᵀ, db += Σ dY, dcol = Wᵀ dY, dx = col2im(dcol).
/// The column matrix is rebuilt in backward rather than stored for the whole batch.
public final class Conv2d: UnitLayer, InputGradientSkipping {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let weight: Parameter
    public let bias: Parameter?
    public let initializer: Initializer
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { output }
    public var computesInputGradient = true
    private let output = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))
    private let columns = Tensor(shape: Shape(0))
    private let columnGradient = Tensor(shape: Shape(0))

    public init(_ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1,
                padding: Int = 0, bias: Bool = true, initializer: Initializer = .pytorchDefault,
                rng: inout RandomGenerator) {
        precondition(kernelSize > 0 && stride > 0 && padding >= 0, "invalid Conv2d geometry")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.initializer = initializer
        weight = Parameter(shape: Shape(outputChannels, inputChannels, kernelSize, kernelSize))
        self.bias = bias ? Parameter(shape: Shape(outputChannels)) : nil
        let fanIn = inputChannels * kernelSize * kernelSize
        initializer.fill(weight.valueBuffer, fanIn: fanIn, fanOut: outputChannels * kernelSize * kernelSize, rng: &rng)
        if let b = self.bias { Initializer.fillBias(b.valueBuffer, fanIn: fanIn, rng: &rng) }
    }

    public var localParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// Spatial output size for an input of size `n`.
    public func outputSize(_ n: Int) -> Int { (n + 2 * padding - kernelSize) / stride + 1 }

    private var isPointwise: Bool { kernelSize == 1 && stride == 1 && padding == 0 }
    private var patchSize: Int { inputChannels * kernelSize * kernelSize }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == inputChannels,
                     "Conv2d(\(inputChannels), \(outputChannels)) got input \(input.shape)")
        lastInput = input
        let n = input.shape[0], h = input.shape[2], w = input.shape[3]
        let oh = outputSize(h), ow = outputSize(w), positions = oh * ow
        precondition(oh > 0 && ow > 0, "Conv2d: input \(input.shape) smaller than the kernel")
        output.resize(to: Shape(n, outputChannels, oh, ow))
        if !isPointwise { columns.resize(to: Shape(patchSize, positions)) }
        let inStride = inputChannels * h * w, outStride = outputChannels * positions
        for b in 0..<n {
            let x = input.data + b * inStride, y = output.data + b * outStride
            let col = isPointwise ? x : im2col(x, h: h, w: w, oh: oh, ow: ow)
            if let bias = bias?.value {
                for o in 0..<outputChannels { (y + o * positions).update(repeating: bias[o], count: positions) }
            }
            BLAS.gemm(.none, .none, m: outputChannels, n: positions, k: patchSize,
                      weight.value, lda: patchSize, col, ldb: positions,
                      beta: bias == nil ? 0 : 1, y, ldc: positions)
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = lastInput else { preconditionFailure("Conv2d.backward before forward") }
        let n = input.shape[0], h = input.shape[2], w = input.shape[3]
        let oh = outputSize(h), ow = outputSize(w), positions = oh * ow
        let inStride = inputChannels * h * w, outStride = outputChannels * positions
        inputGradient.resize(to: input.shape)
        if !isPointwise {
            columns.resize(to: Shape(patchSize, positions))
            columnGradient.resize(to: Shape(patchSize, positions))
        }
        for b in 0..<n {
            let x = input.data + b * inStride, dy = outputGradient.data + b * outStride
            let dx = inputGradient.data + b * inStride
            let col = isPointwise ? x : im2col(x, h: h, w: w, oh: oh, ow: ow)
            BLAS.gemm(.none, .transpose, m: outputChannels, n: patchSize, k: positions,
                      dy, lda: positions, col, ldb: positions, beta: 1, weight.gradient, ldc: patchSize)
            if let db = bias?.gradient {
                for o in 0..<outputChannels {
                    let row = dy + o * positions
                    var s: Float = 0
                    for p in 0..<positions { s += row[p] }
                    db[o] += s
                }
            }
            guard computesInputGradient else { continue }
            let dcol = isPointwise ? dx : columnGradient.data
            BLAS.gemm(.transpose, .none, m: patchSize, n: positions, k: outputChannels,
                      weight.value, lda: patchSize, dy, ldb: positions, beta: 0, dcol, ldc: positions)
            if !isPointwise { col2im(dcol, into: dx, h: h, w: w, oh: oh, ow: ow) }
        }
        if !computesInputGradient { inputGradient.fill(0) }
        return inputGradient
    }

    /// Unrolls one example's patches into `columns`: row (c, ki, kj), column (oh, ow).
    private func im2col(_ x: UnsafeMutablePointer<Float>, h: Int, w: Int, oh: Int, ow: Int) -> UnsafeMutablePointer<Float> {
        let col = columns.data, k = kernelSize
        var row = 0
        for c in 0..<inputChannels {
            let plane = x + c * h * w
            for ki in 0..<k {
                for kj in 0..<k {
                    let dst = col + row * oh * ow
                    for i in 0..<oh {
                        let ih = i &* stride &- padding &+ ki
                        let line = dst + i &* ow
                        if ih < 0 || ih >= h {
                            line.update(repeating: 0, count: ow)
                            continue
                        }
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
        return col
    }

    /// Scatters column gradients back onto one example's input gradient (overwrites `dx`).
    private func col2im(_ dcol: UnsafeMutablePointer<Float>, into dx: UnsafeMutablePointer<Float>,
                        h: Int, w: Int, oh: Int, ow: Int) {
        dx.update(repeating: 0, count: inputChannels * h * w)
        let k = kernelSize
        var row = 0
        for c in 0..<inputChannels {
            let plane = dx + c * h * w
            for ki in 0..<k {
                for kj in 0..<k {
                    let src = dcol + row * oh * ow
                    for i in 0..<oh {
                        let ih = i &* stride &- padding &+ ki
                        if ih < 0 || ih >= h { continue }
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

    // MARK: unit re-initialisation (a unit is an output channel)

    public var unitCount: Int { outputChannels }
    public var inputUnitCount: Int { inputChannels }

    public func reinitializeUnits(_ units: [Int], rng: inout RandomGenerator) {
        let per = patchSize
        for u in units {
            precondition(u >= 0 && u < outputChannels, "unit \(u) out of range")
            initializer.fillRow(.init(start: weight.value + u * per, count: per), fanIn: per,
                                fanOut: outputChannels * kernelSize * kernelSize, rng: &rng)
            if let b = bias { Initializer.fillBias(.init(start: b.value + u, count: 1), fanIn: per, rng: &rng) }
        }
    }

    public func setInputWeights(of units: [Int], group: Int, to value: Float) {
        let kk = kernelSize * kernelSize, w = weight.value
        for u in units {
            precondition(u >= 0 && u < inputChannels, "input channel \(u) out of range")
            for o in 0..<outputChannels {
                (w + (o * inputChannels + u) * kk).update(repeating: value, count: kk)
            }
        }
    }
}
