import Foundation
import Tensors

/// How a weight tensor of shape [fanOut, fanIn, (kernel…)] is drawn.
///
/// `.pytorchDefault` is `nn.Linear`/`nn.Conv2d`'s default, `kaiming_uniform_(a=√5)`:
/// U(−1/√fanIn, 1/√fanIn) for the weight; biases are always U(−1/√fanIn, 1/√fanIn) as in PyTorch.
public enum Initializer: Sendable, Equatable {
    /// U(−1/√fanIn, 1/√fanIn).
    case pytorchDefault
    /// U(−b, b), b = gain·√(6/(fanIn+fanOut)) (Glorot & Bengio 2010).
    case xavierUniform(gain: Float = 1)
    /// N(0, gain²·2/(fanIn+fanOut)).
    case xavierNormal(gain: Float = 1)
    /// U(−b, b), b = √(6/fanIn) (He et al. 2015, ReLU gain √2).
    case kaimingUniform
    /// N(0, 2/fanIn).
    case kaimingNormal
    /// Orthogonal rows/columns scaled by `gain` (Saxe et al. 2014).
    case orthogonal(gain: Float = 1)

    /// Draws a weight with `fanOut` rows of `fanIn` (× kernel) values into `weight`.
    public func fill(_ weight: UnsafeMutableBufferPointer<Float>, fanIn: Int, fanOut: Int,
                     rng: inout RandomGenerator) {
        let fi = Float(fanIn), fo = Float(fanOut)
        switch self {
        case .pytorchDefault:
            let b = 1 / fi.squareRoot()
            rng.fillUniform(weight, -b, b)
        case .xavierUniform(let gain):
            let b = gain * (6 / (fi + fo)).squareRoot()
            rng.fillUniform(weight, -b, b)
        case .xavierNormal(let gain):
            rng.fillNormal(weight, std: gain * (2 / (fi + fo)).squareRoot())
        case .kaimingUniform:
            let b = (6 / fi).squareRoot()
            rng.fillUniform(weight, -b, b)
        case .kaimingNormal:
            rng.fillNormal(weight, std: (2 / fi).squareRoot())
        case .orthogonal(let gain):
            let columns = weight.count / fanOut
            do {
                try LinearAlgebra.orthogonal(rows: fanOut, columns: columns, gain: gain, rng: &rng,
                                             into: weight.baseAddress!)
            } catch {
                preconditionFailure("orthogonal initialisation: \(error)")
            }
        }
    }

    /// Draws one unit's incoming weights (`row.count` values) for a layer of the given fans.
    /// Orthogonal falls back to a Gaussian of matching scale for a single row.
    public func fillRow(_ row: UnsafeMutableBufferPointer<Float>, fanIn: Int, fanOut: Int,
                        rng: inout RandomGenerator) {
        if case .orthogonal(let gain) = self {
            rng.fillNormal(row, std: gain / Float(row.count).squareRoot())
        } else {
            fill(row, fanIn: fanIn, fanOut: fanOut, rng: &rng)
        }
    }

    /// Draws a bias: U(−1/√fanIn, 1/√fanIn), as PyTorch does for every weight initialiser.
    public static func fillBias(_ bias: UnsafeMutableBufferPointer<Float>, fanIn: Int,
                                rng: inout RandomGenerator) {
        let b = 1 / Float(fanIn).squareRoot()
        rng.fillUniform(bias, -b, b)
    }
}
