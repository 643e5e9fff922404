import Foundation
import Tensors

/// The elementwise nonlinearities, with the conventions diagnostics rely on.
public enum ActivationFunction: Sendable, Equatable, CustomStringConvertible {
    /// max(0, z).
    case relu
    /// z if z > 0 else slope·z (PyTorch default slope 0.01).
    case leakyReLU(slope: Float = 0.01)
    /// tanh z.
    case tanh
    /// 1 / (1 + e^−z).
    case sigmoid
    /// z·Φ(z), the exact (erf) form, PyTorch's default.
    case gelu
    /// z.
    case identity

    public var description: String {
        switch self {
        case .relu: "relu"
        case .leakyReLU(let s): s == 0.01 ? "leaky_relu" : "leaky_relu(\(s))"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .gelu: "gelu"
        case .identity: "identity"
        }
    }
}

/// An elementwise activation layer `h = φ(z)` of any shape (`nn.ReLU`, `nn.Tanh`, …).
///
/// Its `lastInput` is the pre-activation z and `lastOutput` the activation h of the last
/// forward pass, which is what the unit diagnostics read.
public final class Activation: Layer {
    public let function: ActivationFunction
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { output }
    private let output = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))

    public init(_ function: ActivationFunction) { self.function = function }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        lastInput = input
        output.resize(to: input.shape)
        Parallel.split(input.count, ActivationForward(function: function, x: input.data, y: output.data))
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = lastInput else { preconditionFailure("Activation.backward before forward") }
        inputGradient.resize(to: input.shape)
        Parallel.split(input.count, ActivationBackward(function: function, x: input.data, y: output.data,
                                                       dy: outputGradient.data, dx: inputGradient.data))
        return inputGradient
    }
}

/// y = φ(x) over a range of elements.
private struct ActivationForward: RangeWork {
    let function: ActivationFunction
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>

    func run(_ r: Range<Int>) {
        let x = x + r.lowerBound, y = y + r.lowerBound, n = r.count
        switch function {
        case .relu:
            VectorKernels.relu(x, into: y, count: n)
        case .leakyReLU(let slope):
            VectorKernels.leakyReLU(x, slope: slope, into: y, count: n)
        case .tanh:
            vectorTanh(x, into: y, count: n)
        case .sigmoid:
            for i in 0..<n { y[i] = 1 / (1 + Foundation.exp(-x[i])) }
        case .gelu:
            for i in 0..<n { y[i] = x[i] * 0.5 * (1 + Foundation.erf(x[i] * 0.70710678)) }
        case .identity:
            y.update(from: x, count: n)
        }
    }
}

/// dx = φ'(x) ⊙ dy over a range of elements (tanh and sigmoid from their output y).
private struct ActivationBackward: RangeWork {
    let function: ActivationFunction
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let dy: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>

    func run(_ r: Range<Int>) {
        let o = r.lowerBound, n = r.count
        let x = x + o, y = y + o, dy = dy + o, dx = dx + o
        switch function {
        case .relu:
            VectorKernels.reluBackward(x, dy, into: dx, count: n)
        case .leakyReLU(let slope):
            VectorKernels.leakyReLUBackward(x, dy, slope: slope, into: dx, count: n)
        case .tanh:
            VectorKernels.tanhBackward(y, dy, into: dx, count: n)
        case .sigmoid:
            for i in 0..<n { dx[i] = dy[i] * y[i] * (1 - y[i]) }
        case .gelu:
            for i in 0..<n {
                let cdf = 0.5 * (1 + Foundation.erf(x[i] * 0.70710678))
                let pdf = Foundation.exp(-0.5 * x[i] * x[i]) * 0.39894228
                dx[i] = dy[i] * (cdf + x[i] * pdf)
            }
        case .identity:
            dx.update(from: dy, count: n)
        }
    }
}

/// Concatenated ReLU (Shang et al. 2016; Abbas et al. 2023): `[relu(z), relu(−z)]` along the
/// feature axis (axis 1), so [N, C, …] becomes [N, 2C, …] and no unit can be dead on both halves.
public final class CReLU: Layer {
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { output }
    private let output = Tensor(shape: Shape(0))
    private let inputGradient = Tensor(shape: Shape(0))

    public init() {}

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        lastInput = input
        let n = input.shape[0], per = input.shape.trailingCount
        var dims = input.shape.dimensions
        dims[1] *= 2
        output.resize(to: Shape(dims))
        let x = input.data, y = output.data
        for b in 0..<n {
            let xb = x + b * per, pos = y + b * 2 * per, neg = pos + per
            for i in 0..<per {
                pos[i] = Swift.max(xb[i], 0)
                neg[i] = Swift.max(-xb[i], 0)
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = lastInput else { preconditionFailure("CReLU.backward before forward") }
        inputGradient.resize(to: input.shape)
        let n = input.shape[0], per = input.shape.trailingCount
        let x = input.data, dy = outputGradient.data, dx = inputGradient.data
        for b in 0..<n {
            let xb = x + b * per, dpos = dy + b * 2 * per, dneg = dpos + per, dxb = dx + b * per
            for i in 0..<per {
                dxb[i] = xb[i] > 0 ? dpos[i] : (xb[i] < 0 ? -dneg[i] : 0)
            }
        }
        return inputGradient
    }
}
