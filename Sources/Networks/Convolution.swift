import Tensors

/// A 2-D convolution (`nn.Conv2d`, cross-correlation, NCHW), computed as im2col followed by
/// one GEMM per chunk of examples.
///
/// Shapes: x [N, C, H, W] → y [N, O, OH, OW] with OH = (H + 2·pad − K)/stride + 1;
/// weight [O, C, K, K], bias [O].
/// A chunk of G examples (G·OH·OW ≈ `chunkColumns` columns, so small images still make a
/// well-shaped GEMM, and at most `chunkFloats` column entries) is unrolled side by side: col [C·K·K, G·OH·OW] = im2col(x), Y = W col,
/// then scattered to NCHW with the bias added. Backward per chunk: dY gathered the same way,
/// dW += dY colᵀ, db += Σ dY, dcol = Wᵀ dY, dx = col2im(dcol). The column matrix is rebuilt
/// in backward rather than stored for the whole batch, unless the batch was one chunk.
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
    /// Target number of GEMM columns (output positions) per chunk of examples. It does not
    /// depend on the thread count, so neither do the sums over a chunk.
    static let chunkColumns = 4096
    /// Largest column matrix of a chunk, in Floats (1 MiB), so that wide patches (many input
    /// channels) unroll into a block that stays near the core's cache.
    static let chunkFloats = 1 << 18
    /// Elements of column matrix below which unrolling a chunk stays on one thread.
    static let parallelElements = 1 << 15
    private let output = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))
    /// The shape for which `inputGradient` already holds the zeros a skipped dL/dx returns.
    private var zeroedInputGradientShape: Shape?
    private let columns = Tensor(shape: Shape(0))
    private let columnGradient = Tensor(shape: Shape(0))
    /// [O, G·OH·OW]: a chunk's output before the NCHW scatter, or its gathered gradient.
    private let chunkOutput = Tensor(shape: Shape(0))

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
        reinitialize(using: &rng)
    }

    /// Re-draws the weight from `initializer` with fans (C·K·K, O·K·K), then the bias from
    /// U(−1/√(C·K·K), 1/√(C·K·K)), as the constructor does.
    public func reinitialize(using rng: inout RandomGenerator) {
        let kk = kernelSize * kernelSize
        initializer.fill(weight.valueBuffer, fanIn: inputChannels * kk, fanOut: outputChannels * kk, rng: &rng)
        if let b = bias { Initializer.fillBias(b.valueBuffer, fanIn: inputChannels * kk, rng: &rng) }
    }

    public var localParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// Spatial output size for an input of size `n`.
    public func outputSize(_ n: Int) -> Int { (n + 2 * padding - kernelSize) / stride + 1 }

    private var patchSize: Int { inputChannels * kernelSize * kernelSize }

    /// The per-call geometry: image and output sizes and the chunking of the batch.
    fileprivate struct Geometry {
        let batch: Int, h: Int, w: Int, oh: Int, ow: Int
        var positions: Int { oh * ow }
        let patch: Int
        var chunk: Int {
            Swift.min(batch, Swift.max(1, Swift.min(Conv2d.chunkColumns / positions, Conv2d.chunkFloats / (patch * positions))))
        }
    }

    private func geometry(_ input: Tensor) -> Geometry {
        let h = input.shape[2], w = input.shape[3]
        return Geometry(batch: input.shape[0], h: h, w: w, oh: outputSize(h), ow: outputSize(w), patch: patchSize)
    }

    /// Runs one per-example step over the `count` examples of a chunk, split across workers
    /// when the chunk's column block is large enough to pay for the fork.
    private func forEachExample(_ count: Int, _ g: Geometry, _ work: ChunkExamples) {
        let minimum = Swift.max(1, Conv2d.parallelElements / (patchSize * g.positions))
        Parallel.split(count, minimum: Swift.max(2, minimum), work)
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == inputChannels,
                     "Conv2d(\(inputChannels), \(outputChannels)) got input \(input.shape)")
        lastInput = input
        let g = geometry(input), positions = g.positions
        precondition(g.oh > 0 && g.ow > 0, "Conv2d: input \(input.shape) smaller than the kernel")
        output.resize(to: Shape(g.batch, outputChannels, g.oh, g.ow))
        columns.resize(to: Shape(patchSize, g.chunk * positions))
        chunkOutput.resize(to: Shape(outputChannels, g.chunk * positions))
        for first in Swift.stride(from: 0, to: g.batch, by: g.chunk) {
            let count = Swift.min(g.chunk, g.batch - first), width = count * positions
            let chunk = ChunkExamples(conv: self, g: g, first: first, width: width, input: input.data,
                                      output: output.data, columns: columns.data, chunk: chunkOutput.data)
            forEachExample(count, g, chunk.step(.unroll))
            BLAS.gemm(.none, .none, m: outputChannels, n: width, k: patchSize,
                      weight.value, lda: patchSize, columns.data, ldb: width, beta: 0, chunkOutput.data, ldc: width)
            forEachExample(count, g, chunk.step(.scatter))
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = lastInput else { preconditionFailure("Conv2d.backward before forward") }
        let g = geometry(input), positions = g.positions
        inputGradient.resize(to: input.shape)
        columns.resize(to: Shape(patchSize, g.chunk * positions))
        chunkOutput.resize(to: Shape(outputChannels, g.chunk * positions))
        if computesInputGradient { columnGradient.resize(to: Shape(patchSize, g.chunk * positions)) }
        let dY = chunkOutput.data
        for first in Swift.stride(from: 0, to: g.batch, by: g.chunk) {
            let count = Swift.min(g.chunk, g.batch - first), width = count * positions
            let chunk = ChunkExamples(conv: self, g: g, first: first, width: width, input: input.data,
                                      output: outputGradient.data, columns: columns.data, chunk: dY,
                                      inputGradient: inputGradient.data, columnGradient: columnGradient.data)
            // A one-chunk batch: `columns` still holds forward's unrolled input (only this
            // layer's forward and backward write it, and backward's input is forward's).
            forEachExample(count, g, chunk.step(g.chunk == g.batch ? .gather : .unrollAndGather))
            BLAS.gemm(.none, .transpose, m: outputChannels, n: patchSize, k: width,
                      dY, lda: width, columns.data, ldb: width, beta: 1, weight.gradient, ldc: patchSize)
            if let db = bias?.gradient {
                for o in 0..<outputChannels { db[o] += VectorKernels.sum(dY + o * width, count: width) }
            }
            guard computesInputGradient else { continue }
            BLAS.gemm(.transpose, .none, m: patchSize, n: width, k: outputChannels,
                      weight.value, lda: patchSize, dY, ldb: width, beta: 0, columnGradient.data, ldc: width)
            forEachExample(count, g, chunk.step(.fold))
        }
        if computesInputGradient {
            zeroedInputGradientShape = nil
        } else if zeroedInputGradientShape != input.shape {
            inputGradient.fill(0)
            zeroedInputGradientShape = input.shape
        }
        return inputGradient
    }

    /// The output columns j whose input column j·stride − pad + kj lies inside [0, w).
    private func validColumns(_ kj: Int, _ g: Geometry) -> Range<Int> {
        let low = Swift.max(0, (padding - kj + stride - 1) / stride)
        let high = Swift.min(g.ow, (g.w - 1 + padding - kj) / stride + 1)
        return low..<Swift.max(low, high)
    }

    /// Unrolls one example's patches into a column block: row (c, ki, kj), column (oh, ow),
    /// rows `ld` apart. Zero padding is written as zeros; stride 1 copies whole runs.
    fileprivate func im2col(_ x: UnsafeMutablePointer<Float>, _ g: Geometry,
                        into col: UnsafeMutablePointer<Float>, ld: Int) {
        let k = kernelSize, shifted = stride == 1 && g.ow == g.w
        var row = 0
        for c in 0..<inputChannels {
            let plane = x + c * g.h * g.w
            for ki in 0..<k {
                for kj in 0..<k {
                    let dst = col + row * ld
                    row += 1
                    if shifted {
                        unrollShifted(plane, g, ki: ki, kj: kj, into: dst)
                        continue
                    }
                    let valid = validColumns(kj, g)
                    for i in 0..<g.oh {
                        let ih = i &* stride &- padding &+ ki
                        let line = dst + i &* g.ow
                        guard ih >= 0 && ih < g.h else {
                            line.update(repeating: 0, count: g.ow)
                            continue
                        }
                        line.update(repeating: 0, count: valid.lowerBound)
                        (line + valid.upperBound).update(repeating: 0, count: g.ow - valid.upperBound)
                        let base = ih &* g.w &- padding &+ kj
                        if stride == 1 {
                            VectorKernels.copyShort(plane + (base &+ valid.lowerBound), into: line + valid.lowerBound, count: valid.count)
                        } else {
                            for j in valid { line[j] = plane[base &+ j &* stride] }
                        }
                    }
                }
            }
        }
    }

    /// One im2col row for stride 1 and "same" width (ow = w): the plane shifted by
    /// (ki − pad, kj − pad). Its valid output rows are a single contiguous copy; the columns
    /// that wrapped in from a neighbouring input row, and the rows outside the image, are
    /// then zeroed. The same values as the run-by-run copy, with one memmove per row.
    private func unrollShifted(_ plane: UnsafeMutablePointer<Float>, _ g: Geometry, ki: Int, kj: Int,
                               into dst: UnsafeMutablePointer<Float>) {
        let shift = kj - padding, rowShift = ki - padding, ow = g.ow
        let first = Swift.max(0, -rowShift), end = Swift.max(first, Swift.min(g.oh, g.h - rowShift))
        dst.update(repeating: 0, count: first * ow)
        (dst + end * ow).update(repeating: 0, count: (g.oh - end) * ow)
        guard end > first else { return }
        let start = (first + rowShift) * g.w + shift, length = (end - first) * ow
        let low = Swift.max(start, 0), high = Swift.min(start + length, g.h * g.w)
        (dst + first * ow + (low - start)).update(from: plane + low, count: high - low)
        let wrapped = shift < 0 ? 0..<(-shift) : (ow - shift)..<ow
        for i in first..<end where !wrapped.isEmpty {
            (dst + i * ow + wrapped.lowerBound).update(repeating: 0, count: wrapped.count)
        }
    }

    /// Scatters a column block's gradients back onto one example's input gradient
    /// (overwrites `dx`).
    fileprivate func col2im(_ dcol: UnsafeMutablePointer<Float>, ld: Int, _ g: Geometry,
                        into dx: UnsafeMutablePointer<Float>) {
        dx.update(repeating: 0, count: inputChannels * g.h * g.w)
        let k = kernelSize
        var row = 0
        for c in 0..<inputChannels {
            let plane = dx + c * g.h * g.w
            for ki in 0..<k {
                for kj in 0..<k {
                    let src = dcol + row * ld, valid = validColumns(kj, g)
                    for i in 0..<g.oh {
                        let ih = i &* stride &- padding &+ ki
                        guard ih >= 0 && ih < g.h else { continue }
                        let line = src + i &* g.ow, base = ih &* g.w &- padding &+ kj
                        if stride == 1 {
                            VectorKernels.add(line + valid.lowerBound, into: plane + (base &+ valid.lowerBound), count: valid.count)
                        } else {
                            for j in valid { plane[base &+ j &* stride] += line[j] }
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

/// The per-example steps around a chunk's GEMMs, over a range of the chunk's examples:
/// unroll (im2col into the chunk's columns), scatter (chunk output + bias into NCHW),
/// gather (dY into the chunk's [O, G·OH·OW] layout), unroll-and-gather (both), fold (col2im).
private struct ChunkExamples: RangeWork {
    enum Step { case unroll, scatter, gather, unrollAndGather, fold }
    let conv: Conv2d, g: Conv2d.Geometry, first: Int, width: Int
    /// x; y or dy (NCHW); the chunk's columns and [O, G·OH·OW] block; dx and dcol.
    let input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    let columns: UnsafeMutablePointer<Float>, chunk: UnsafeMutablePointer<Float>
    var inputGradient: UnsafeMutablePointer<Float>? = nil, columnGradient: UnsafeMutablePointer<Float>? = nil
    var kind = Step.unroll

    func step(_ kind: Step) -> ChunkExamples {
        var copy = self
        copy.kind = kind
        return copy
    }

    func run(_ examples: Range<Int>) {
        let positions = g.positions, channels = conv.outputChannels
        let inStride = conv.inputChannels * g.h * g.w, outStride = channels * positions
        for e in examples {
            let image = first + e
            switch kind {
            case .unroll:
                conv.im2col(input + image * inStride, g, into: columns + e * positions, ld: width)
            case .scatter:
                for o in 0..<channels {
                    let src = chunk + o * width + e * positions, dst = output + image * outStride + o * positions
                    if let b = conv.bias?.value { VectorKernels.addScalar(b[o], src, into: dst, count: positions) }
                    else { dst.update(from: src, count: positions) }
                }
            case .gather, .unrollAndGather:
                if kind == .unrollAndGather {
                    conv.im2col(input + image * inStride, g, into: columns + e * positions, ld: width)
                }
                for o in 0..<channels {
                    (chunk + o * width + e * positions).update(from: output + image * outStride + o * positions, count: positions)
                }
            case .fold:
                conv.col2im(columnGradient! + e * positions, ld: width, g, into: inputGradient! + image * inStride)
            }
        }
    }
}
