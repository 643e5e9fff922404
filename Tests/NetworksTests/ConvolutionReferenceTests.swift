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

    @Test(arguments: [(3, 1, 1, 38), (3, 2, 0, 90), (2, 1, 0, 38)])
    func forwardAndBackwardMatchDirectConvolution(kernel: Int, stride: Int, padding: Int, size: Int) {
        var rng = RandomGenerator(seed: 31)
        let conv = Conv2d(2, 3, kernelSize: kernel, stride: stride, padding: padding, rng: &rng)
        let x = Tensor(shape: Shape(7, 2, size, size))
        rng.fillNormal(x.buffer)
        let positions = conv.outputSize(size) * conv.outputSize(size)
        let chunk = max(1, Conv2d.chunkColumns / positions)
        #expect(chunk < 7 && 7 % chunk != 0, "the batch should end in a partial chunk (chunk \(chunk))")

        let y = conv.forward(x, mode: .training)
        let reference = direct(conv, x)
        #expect(relativeError(y.values.map(Double.init), reference) < 1e-6)

        // L = Σ r ⊙ y: dW and dx against sums over the direct formula's terms.
        let r = Tensor(shape: y.shape)
        rng.fillNormal(r.buffer)
        conv.weight.gradientBuffer.update(repeating: 0)
        let dx = conv.backward(r)
        var dW = [Double](repeating: 0, count: conv.weight.count)
        var dxRef = [Double](repeating: 0, count: x.count)
        let k = kernel, oh = conv.outputSize(size)
        for b in 0..<7 { for u in 0..<3 { for i in 0..<oh { for j in 0..<oh {
            let g = Double(r[b, u, i, j])
            for ch in 0..<2 { for ki in 0..<k { for kj in 0..<k {
                let ih = i * stride - padding + ki, iw = j * stride - padding + kj
                guard ih >= 0, ih < size, iw >= 0, iw < size else { continue }
                let wi = ((u * 2 + ch) * k + ki) * k + kj
                dW[wi] += g * Double(x[b, ch, ih, iw])
                dxRef[((b * 2 + ch) * size + ih) * size + iw] += g * Double(conv.weight.value[wi])
            } } }
        } } } }
        #expect(relativeError(conv.weight.gradientBuffer.map(Double.init), dW) < 1e-5)
        #expect(relativeError(dx.values.map(Double.init), dxRef) < 1e-5)
    }
}
