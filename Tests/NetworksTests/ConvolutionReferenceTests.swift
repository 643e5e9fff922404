import Testing
import Tensors
@testable import Networks

/// Conv2d's chunked im2col + GEMM against a direct six-loop convolution in Double, on inputs
/// whose batch splits into several chunks with a shorter last one.
@Suite struct ConvolutionReferenceTests {
    /// y[n,o,i,j] = b[o] + Σ_{c,ki,kj} w[o,c,ki,kj] · x[n,c,i·s−p+ki, j·s−p+kj] (zero outside).
    func direct(_ conv: Conv2d, _ x: Tensor) -> [Double] {
        let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], k = conv.kernelSize
        let oh = conv.outputSize(h), ow = conv.outputSize(w), o = conv.outputChannels
        var y = [Double](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n { for u in 0..<o { for i in 0..<oh { for j in 0..<ow {
            var s = Double(conv.bias?.value[u] ?? 0)
            for ch in 0..<c { for ki in 0..<k { for kj in 0..<k {
                let ih = i * conv.stride - conv.padding + ki, iw = j * conv.stride - conv.padding + kj
                guard ih >= 0, ih < h, iw >= 0, iw < w else { continue }
                s += Double(conv.weight.value[((u * c + ch) * k + ki) * k + kj]) * Double(x[b, ch, ih, iw])
            } } }
            y[((b * o + u) * oh + i) * ow + j] = s
        } } } }
        return y
    }

    /// (kernel, stride, padding, height, width): "same" padding (the shifted-plane unroll),
    /// strided, unpadded and even kernels, square and not.
    @Test(arguments: [(3, 1, 1, 38, 38), (5, 1, 2, 30, 41), (3, 2, 0, 90, 90), (2, 1, 0, 38, 38), (3, 1, 0, 31, 44)])
    func forwardAndBackwardMatchDirectConvolution(kernel: Int, stride: Int, padding: Int, height: Int, width: Int) {
        var rng = RandomGenerator(seed: 31)
        let conv = Conv2d(2, 3, kernelSize: kernel, stride: stride, padding: padding, rng: &rng)
        let x = Tensor(shape: Shape(7, 2, height, width))
        rng.fillNormal(x.buffer)
        let positions = conv.outputSize(height) * conv.outputSize(width)
        let chunk = max(1, min(Conv2d.chunkColumns / positions, Conv2d.chunkFloats / (2 * kernel * kernel * positions)))
        #expect(chunk < 7 && 7 % chunk != 0, "the batch should end in a partial chunk (chunk \(chunk))")

        let y = conv.forward(x, mode: .training)
        let reference = direct(conv, x)
        #expect(y.shape == Shape(7, 3, conv.outputSize(height), conv.outputSize(width)))
        #expect(relativeError(y.values.map(Double.init), reference) < 1e-6)

        // L = Σ r ⊙ y: dW and dx against sums over the direct formula's terms.
        let r = Tensor(shape: y.shape)
        rng.fillNormal(r.buffer)
        conv.weight.gradientBuffer.update(repeating: 0)
        let dx = conv.backward(r)
        let (dW, dxRef) = directGradients(conv, x, r)
        #expect(relativeError(conv.weight.gradientBuffer.map(Double.init), dW) < 1e-5)
        #expect(relativeError(dx.values.map(Double.init), dxRef) < 1e-5)
    }

    /// dL/dW and dL/dx of L = Σ r ⊙ conv(x), summed term by term in Double.
    func directGradients(_ conv: Conv2d, _ x: Tensor, _ r: Tensor) -> (dW: [Double], dx: [Double]) {
        let n = x.shape[0], c = x.shape[1], height = x.shape[2], width = x.shape[3], k = conv.kernelSize
        let oh = conv.outputSize(height), ow = conv.outputSize(width), o = conv.outputChannels
        var dW = [Double](repeating: 0, count: conv.weight.count)
        var dx = [Double](repeating: 0, count: x.count)
        for b in 0..<n { for u in 0..<o { for i in 0..<oh { for j in 0..<ow {
            let g = Double(r[b, u, i, j])
            for ch in 0..<c { for ki in 0..<k { for kj in 0..<k {
                let ih = i * conv.stride - conv.padding + ki, iw = j * conv.stride - conv.padding + kj
                guard ih >= 0, ih < height, iw >= 0, iw < width else { continue }
                let wi = ((u * c + ch) * k + ki) * k + kj
                dW[wi] += g * Double(x[b, ch, ih, iw])
                dx[((b * c + ch) * height + ih) * width + iw] += g * Double(conv.weight.value[wi])
            } } }
        } } } }
        return (dW, dx)
    }

    /// A batch that fits one chunk keeps forward's unrolled columns for backward: after a
    /// forward on `a` and then on `b`, backward gives b's gradients, twice in a row.
    @Test func oneChunkBackwardUsesTheLastForwardsColumns() {
        var rng = RandomGenerator(seed: 5)
        let conv = Conv2d(4, 16, kernelSize: 3, rng: &rng)
        let a = Tensor(shape: Shape(32, 4, 10, 10)), b = Tensor(shape: Shape(32, 4, 10, 10))
        rng.fillNormal(a.buffer)
        rng.fillNormal(b.buffer)
        #expect(32 * 64 <= Conv2d.chunkColumns && 32 * 64 * 36 <= Conv2d.chunkFloats, "the batch should be one chunk")
        _ = conv.forward(a, mode: .training)
        let y = conv.forward(b, mode: .training)
        let r = Tensor(shape: y.shape)
        rng.fillNormal(r.buffer)
        let (dW, dx) = directGradients(conv, b, r)
        for _ in 0..<2 {
            conv.weight.gradientBuffer.update(repeating: 0)
            let dxOurs = conv.backward(r)
            #expect(relativeError(conv.weight.gradientBuffer.map(Double.init), dW) < 1e-5)
            #expect(relativeError(dxOurs.values.map(Double.init), dx) < 1e-5)
        }
    }
}
