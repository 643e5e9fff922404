import Foundation
import Tensors

/// Deep Fourier features (Lewandowski, Schuurmans & Machado 2024, "Plastic learning with deep
/// Fourier features"): `[sin z, cos z]` concatenated along the feature axis (axis 1), so
/// [N, C, …] becomes [N, 2C, …] — like CReLU it doubles the width the next layer sees. Each
/// unit is a pair of sinusoids whose combination is never flat everywhere, so no unit can
/// die or saturate for good; near z = 0 the sine half is almost linear.
///
/// Backward: dL/dz = dL/d(sin)·cos z − dL/d(cos)·sin z.
/// PyTorch: `torch.cat([torch.sin(x), torch.cos(x)], 1)` (Plasticine's DFF layer).
public final class FourierActivation: Layer {
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
            let xb = x + b * per, sine = y + b * 2 * per, cosine = sine + per
            for i in 0..<per {
                sine[i] = sin(xb[i])
                cosine[i] = cos(xb[i])
            }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let input = lastInput else { preconditionFailure("FourierActivation.backward before forward") }
        inputGradient.resize(to: input.shape)
        let n = input.shape[0], per = input.shape.trailingCount
        let x = input.data, dy = outputGradient.data, dx = inputGradient.data
        for b in 0..<n {
            let xb = x + b * per, dSine = dy + b * 2 * per, dCosine = dSine + per, dxb = dx + b * per
            for i in 0..<per { dxb[i] = dSine[i] * cos(xb[i]) - dCosine[i] * sin(xb[i]) }
        }
        return inputGradient
    }
}
