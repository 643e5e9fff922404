import Networks
import Tensors

extension MaxPool2d: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode {
        LinearMapTangentNode(MaxPoolMap(kernelSize: kernelSize, stride: stride, padding: padding))
    }
}

extension AvgPool2d: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode {
        LinearMapTangentNode(AveragePoolMap(kernelSize: kernelSize, stride: stride, padding: padding))
    }
}

extension GlobalAvgPool2d: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode { LinearMapTangentNode(GlobalAveragePoolMap()) }
}

/// A parameter-free layer that is linear in its input once the forward pass has fixed its
/// pattern (max-pooling's arg-max positions): y = A x. Its second derivative is zero, so
/// ẏ = A ẋ, g_x = Aᵀ g_y and ġ_x = Aᵀ ġ_y.
protocol PiecewiseLinearMap {
    /// y = A x; may record the pattern A (called by the primal forward only).
    mutating func apply(_ x: DoubleTensor, into y: DoubleTensor, recordPattern: Bool)
    /// g_x = Aᵀ g_y for an input of shape `inputShape`.
    func adjoint(_ gy: DoubleTensor, into gx: DoubleTensor, inputShape: Shape)
}

/// The R-operator of a `PiecewiseLinearMap`.
final class LinearMapTangentNode<Map: PiecewiseLinearMap>: TangentNode {
    private var map: Map
    private var inputShape = Shape(0)
    private let output = DoubleTensor(shape: Shape(0))
    private let tangentOutput = DoubleTensor(shape: Shape(0))
    private let inputGradient = DoubleTensor(shape: Shape(0))
    private let inputRGradient = DoubleTensor(shape: Shape(0))

    init(_ map: Map) { self.map = map }

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        inputShape = x.shape
        map.apply(x, into: output, recordPattern: true)
        return output
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        map.adjoint(gy, into: inputGradient, inputShape: inputShape)
        return inputGradient
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor {
        map.apply(dx, into: tangentOutput, recordPattern: false)
        return tangentOutput
    }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        map.adjoint(dgy, into: inputRGradient, inputShape: inputShape)
        return inputRGradient
    }
}

/// Output size of a K×K window with stride and padding over `n` positions (floor mode).
private func pooledSize(_ n: Int, kernel: Int, stride: Int, padding: Int) -> Int { (n + 2 * padding - kernel) / stride + 1 }

/// Max pooling: y picks the first maximal input of each window (as `MaxPool2d`); the
/// recorded arg-max indices define A.
struct MaxPoolMap: PiecewiseLinearMap {
    let kernelSize: Int
    let stride: Int
    let padding: Int
    private var argmax: [Int] = []

    init(kernelSize: Int, stride: Int, padding: Int) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    mutating func apply(_ x: DoubleTensor, into y: DoubleTensor, recordPattern: Bool) {
        let s = x.shape, h = s[2], w = s[3], planes = s[0] * s[1]
        let oh = pooledSize(h, kernel: kernelSize, stride: stride, padding: padding)
        let ow = pooledSize(w, kernel: kernelSize, stride: stride, padding: padding)
        y.resize(to: Shape(s[0], s[1], oh, ow))
        let src = x.data, dst = y.data
        if recordPattern {
            var indices = [Int](repeating: 0, count: planes * oh * ow)
            for p in 0..<planes {
                let plane = src + p * h * w
                for i in 0..<oh {
                    for j in 0..<ow {
                        var best = -Double.infinity, at = -1
                        for ki in 0..<kernelSize {
                            let ih = i * stride - padding + ki
                            guard ih >= 0 && ih < h else { continue }
                            for kj in 0..<kernelSize {
                                let iw = j * stride - padding + kj
                                guard iw >= 0 && iw < w else { continue }
                                if plane[ih * w + iw] > best || at < 0 { best = plane[ih * w + iw]; at = ih * w + iw }
                            }
                        }
                        indices[(p * oh + i) * ow + j] = p * h * w + at
                    }
                }
            }
            argmax = indices
        }
        argmax.withUnsafeBufferPointer { a in
            for o in 0..<a.count { dst[o] = src[a[o]] }
        }
    }

    func adjoint(_ gy: DoubleTensor, into gx: DoubleTensor, inputShape: Shape) {
        gx.resize(to: inputShape)
        gx.zero()
        let src = gy.data, dst = gx.data
        argmax.withUnsafeBufferPointer { a in
            for o in 0..<a.count { dst[a[o]] += src[o] }
        }
    }
}

/// Average pooling with zero padding counted in the mean (`count_include_pad=True`).
struct AveragePoolMap: PiecewiseLinearMap {
    let kernelSize: Int
    let stride: Int
    let padding: Int

    /// Visits every (input index, output index) pair of the windows.
    private func forEachPair(_ input: Shape, _ body: (Int, Int) -> Void) {
        let h = input[2], w = input[3], planes = input[0] * input[1]
        let oh = pooledSize(h, kernel: kernelSize, stride: stride, padding: padding)
        let ow = pooledSize(w, kernel: kernelSize, stride: stride, padding: padding)
        for p in 0..<planes {
            for i in 0..<oh {
                for j in 0..<ow {
                    let o = (p * oh + i) * ow + j
                    for ki in 0..<kernelSize {
                        let ih = i * stride - padding + ki
                        guard ih >= 0 && ih < h else { continue }
                        for kj in 0..<kernelSize {
                            let iw = j * stride - padding + kj
                            if iw >= 0 && iw < w { body(p * h * w + ih * w + iw, o) }
                        }
                    }
                }
            }
        }
    }

    mutating func apply(_ x: DoubleTensor, into y: DoubleTensor, recordPattern: Bool) {
        let s = x.shape
        y.resize(to: Shape(s[0], s[1], pooledSize(s[2], kernel: kernelSize, stride: stride, padding: padding),
                           pooledSize(s[3], kernel: kernelSize, stride: stride, padding: padding)))
        y.zero()
        let src = x.data, dst = y.data, scale = 1 / Double(kernelSize * kernelSize)
        forEachPair(s) { i, o in dst[o] += scale * src[i] }
    }

    func adjoint(_ gy: DoubleTensor, into gx: DoubleTensor, inputShape: Shape) {
        gx.resize(to: inputShape)
        gx.zero()
        let src = gy.data, dst = gx.data, scale = 1 / Double(kernelSize * kernelSize)
        forEachPair(inputShape) { i, o in dst[i] += scale * src[o] }
    }
}

/// Global average pooling [N, C, H, W] → [N, C].
struct GlobalAveragePoolMap: PiecewiseLinearMap {
    mutating func apply(_ x: DoubleTensor, into y: DoubleTensor, recordPattern: Bool) {
        let planes = x.shape[0] * x.shape[1], hw = x.shape[2] * x.shape[3]
        y.resize(to: Shape(x.shape[0], x.shape[1]))
        let src = x.data, dst = y.data, scale = 1 / Double(hw)
        for p in 0..<planes {
            var s = 0.0
            for i in 0..<hw { s += src[p * hw + i] }
            dst[p] = s * scale
        }
    }

    func adjoint(_ gy: DoubleTensor, into gx: DoubleTensor, inputShape: Shape) {
        gx.resize(to: inputShape)
        let planes = inputShape[0] * inputShape[1], hw = inputShape[2] * inputShape[3]
        let src = gy.data, dst = gx.data, scale = 1 / Double(hw)
        for p in 0..<planes { (dst + p * hw).update(repeating: src[p] * scale, count: hw) }
    }
}
