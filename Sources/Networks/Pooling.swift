import Tensors

/// Max pooling over K×K windows (`nn.MaxPool2d`, padding treated as −∞, floor mode).
/// Shapes: [N, C, H, W] → [N, C, OH, OW], OH = (H + 2·pad − K)/stride + 1. Backward routes
/// each output gradient to the arg-max input (first maximum on ties, as PyTorch).
public final class MaxPool2d: Layer {
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { output }
    private let output = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))
    private var argmax: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
    private var argmaxCapacity = 1

    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    deinit { argmax.deallocate() }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.shape.count == 4, "MaxPool2d expects [N, C, H, W], got \(input.shape)")
        lastInput = input
        let planes = input.shape[0] * input.shape[1], h = input.shape[2], w = input.shape[3]
        let oh = (h + 2 * padding - kernelSize) / stride + 1, ow = (w + 2 * padding - kernelSize) / stride + 1
        output.resize(to: Shape(input.shape[0], input.shape[1], oh, ow))
        if output.count > argmaxCapacity {
            argmax.deallocate()
            argmax = .allocate(capacity: output.count)
            argmaxCapacity = output.count
        }
        let x = input.data, y = output.data
        if kernelSize == 2 && stride == 2 && padding == 0 {
            Parallel.split(planes, minimum: Swift.max(1, (1 << 18) / (h * w)),
                           MaxPool2x2(x: x, y: y, argmax: argmax, h: h, w: w, oh: oh, ow: ow))
            return output
        }
        for p in 0..<planes {
            let plane = x + p * h * w
            for i in 0..<oh {
                for j in 0..<ow {
                    var best = -Float.infinity, where_ = -1
                    for ki in 0..<kernelSize {
                        let ih = i &* stride &- padding &+ ki
                        if ih < 0 || ih >= h { continue }
                        for kj in 0..<kernelSize {
                            let iw = j &* stride &- padding &+ kj
                            if iw < 0 || iw >= w { continue }
                            let v = plane[ih &* w &+ iw]
                            if v > best || where_ < 0 { best = v; where_ = ih &* w &+ iw }
                        }
                    }
                    let o = (p * oh + i) * ow + j
                    y[o] = best
                    argmax[o] = Int32(where_)
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = lastInput else { preconditionFailure("MaxPool2d.backward before forward") }
        inputGradient.resize(to: input.shape)
        let planes = input.shape[0] * input.shape[1], hw = input.shape[2] * input.shape[3]
        let per = output.shape[2] * output.shape[3]
        Parallel.split(planes, minimum: Swift.max(1, (1 << 18) / hw),
                       MaxPoolRouting(dy: outputGradient.data, dx: inputGradient.data, argmax: argmax, hw: hw, per: per))
        return inputGradient
    }
}

/// The common 2×2, stride-2 max pooling over a range of planes, without bounds checks: the
/// same first-maximum rule as the general loop, as selects.
private struct MaxPool2x2: RangeWork {
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>
    let h: Int, w: Int, oh: Int, ow: Int

    func run(_ planes: Range<Int>) {
        for p in planes {
            let plane = x + p &* h &* w
            for i in 0..<oh {
                let top = 2 &* i &* w, bottom = top &+ w
                let out = (p &* oh &+ i) &* ow
                for j in 0..<ow {
                    let a = top &+ 2 &* j, b = a &+ 1, c = bottom &+ 2 &* j, d = c &+ 1
                    var best = plane[a], at = a
                    if plane[b] > best { best = plane[b]; at = b }
                    if plane[c] > best { best = plane[c]; at = c }
                    if plane[d] > best { best = plane[d]; at = d }
                    y[out &+ j] = best
                    argmax[out &+ j] = Int32(truncatingIfNeeded: at)
                }
            }
        }
    }
}

/// Max pooling backward over a range of planes: zero dx, then route each output gradient to
/// its arg-max.
private struct MaxPoolRouting: RangeWork {
    let dy: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>
    let hw: Int, per: Int

    func run(_ planes: Range<Int>) {
        (dx + planes.lowerBound * hw).update(repeating: 0, count: planes.count * hw)
        for p in planes {
            let dplane = dx + p * hw
            for o in (p * per)..<((p + 1) * per) { dplane[Int(argmax[o])] += dy[o] }
        }
    }
}

/// Average pooling over K×K windows (`nn.AvgPool2d`, zero padding counted in the mean as
/// PyTorch's default `count_include_pad=True`, floor mode).
public final class AvgPool2d: Layer {
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { output }
    private let output = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))

    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    private func geometry(_ s: Shape) -> (planes: Int, h: Int, w: Int, oh: Int, ow: Int) {
        let h = s[2], w = s[3]
        return (s[0] * s[1], h, w, (h + 2 * padding - kernelSize) / stride + 1, (w + 2 * padding - kernelSize) / stride + 1)
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.shape.count == 4, "AvgPool2d expects [N, C, H, W], got \(input.shape)")
        lastInput = input
        let g = geometry(input.shape)
        output.resize(to: Shape(input.shape[0], input.shape[1], g.oh, g.ow))
        let scale = 1 / Float(kernelSize * kernelSize), x = input.data, y = output.data
        for p in 0..<g.planes {
            let plane = x + p * g.h * g.w
            for i in 0..<g.oh {
                for j in 0..<g.ow {
                    var s: Float = 0
                    for ki in 0..<kernelSize {
                        let ih = i * stride - padding + ki
                        if ih < 0 || ih >= g.h { continue }
                        for kj in 0..<kernelSize {
                            let iw = j * stride - padding + kj
                            if iw >= 0 && iw < g.w { s += plane[ih * g.w + iw] }
                        }
                    }
                    y[(p * g.oh + i) * g.ow + j] = s * scale
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = lastInput else { preconditionFailure("AvgPool2d.backward before forward") }
        let g = geometry(input.shape)
        inputGradient.resize(to: input.shape)
        inputGradient.fill(0)
        let scale = 1 / Float(kernelSize * kernelSize), dy = outputGradient.data, dx = inputGradient.data
        for p in 0..<g.planes {
            let plane = dx + p * g.h * g.w
            for i in 0..<g.oh {
                for j in 0..<g.ow {
                    let d = dy[(p * g.oh + i) * g.ow + j] * scale
                    for ki in 0..<kernelSize {
                        let ih = i * stride - padding + ki
                        if ih < 0 || ih >= g.h { continue }
                        for kj in 0..<kernelSize {
                            let iw = j * stride - padding + kj
                            if iw >= 0 && iw < g.w { plane[ih * g.w + iw] += d }
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}

/// Global average pooling: [N, C, H, W] → [N, C], the mean over each channel's positions
/// (`nn.AdaptiveAvgPool2d(1)` followed by flatten).
public final class GlobalAvgPool2d: Layer {
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { output }
    private let output = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))

    public init() {}

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.shape.count == 4, "GlobalAvgPool2d expects [N, C, H, W], got \(input.shape)")
        lastInput = input
        let planes = input.shape[0] * input.shape[1], hw = input.shape[2] * input.shape[3]
        output.resize(to: Shape(input.shape[0], input.shape[1]))
        let x = input.data, y = output.data, scale = 1 / Float(hw)
        for p in 0..<planes {
            var s: Float = 0
            let plane = x + p * hw
            for i in 0..<hw { s += plane[i] }
            y[p] = s * scale
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = lastInput else { preconditionFailure("GlobalAvgPool2d.backward before forward") }
        inputGradient.resize(to: input.shape)
        let planes = input.shape[0] * input.shape[1], hw = input.shape[2] * input.shape[3]
        let dy = outputGradient.data, dx = inputGradient.data, scale = 1 / Float(hw)
        for p in 0..<planes { (dx + p * hw).update(repeating: dy[p] * scale, count: hw) }
        return inputGradient
    }
}
