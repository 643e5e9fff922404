import Networks
import Tensors

extension Linear: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode {
        LinearTangentNode(inputs: inputFeatures, outputs: outputFeatures, weight: try build.offset(of: weight),
                          bias: try bias.map { try build.offset(of: $0) }, constantInput: build.constantInput)
    }
}

/// The R-operator of `Linear`, y = x Wᵀ + b with x [N, in], W [out, in], b [out], along a
/// direction (V, ḃ):
///
///     ẏ   = ẋ Wᵀ + x Vᵀ + ḃ
///     g_x = g_y W,           g_W = g_yᵀ x,            g_b = Σₙ g_y
///     ġ_x = ġ_y W + g_y V,   (Hv)_W = ġ_yᵀ x + g_yᵀ ẋ,  (Hv)_b = Σₙ ġ_y
///
/// With a constant input (ẋ = 0, dL/dx unread) the ẋ and input-gradient GEMMs are skipped.
final class LinearTangentNode: TangentNode {
    let inputs: Int
    let outputs: Int
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

    init(inputs: Int, outputs: Int, weight: Int, bias: Int?, constantInput: Bool) {
        self.inputs = inputs
        self.outputs = outputs
        self.weight = weight
        self.bias = bias
        self.constantInput = constantInput
    }

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        precondition(x.shape.trailingCount == inputs, "Linear(\(inputs), \(outputs)) got input \(x.shape)")
        self.x = x
        affine(x, weights: theta + weight, bias: bias.map { theta + $0 }, into: output)
        return output
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        let x = cached(self.x)
        self.gy = gy
        accumulateParameterProduct(gy, x, into: gradient)
        return inputProduct(gy, theta + weight, into: inputGradient, shape: x.shape)
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor {
        let x = cached(self.x)
        self.dx = dx
        affine(x, weights: v + weight, bias: bias.map { v + $0 }, into: tangentOutput)
        if !constantInput {
            let n = x.shape[0]
            DoubleBLAS.gemm(.none, .transpose, m: n, n: outputs, k: inputs, dx.data, lda: inputs,
                            theta + weight, ldb: inputs, beta: 1, tangentOutput.data, ldc: outputs)
        }
        return tangentOutput
    }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        let x = cached(self.x), gy = cached(self.gy), n = x.shape[0]
        accumulateParameterProduct(dgy, x, into: hv)
        let out = inputProduct(dgy, theta + weight, into: inputRGradient, shape: x.shape)
        if !constantInput {
            DoubleBLAS.gemm(.transpose, .none, m: outputs, n: inputs, k: n, gy.data, lda: outputs,
                            cached(dx).data, ldb: inputs, beta: 1, hv + weight, ldc: inputs)
            DoubleBLAS.gemm(.none, .none, m: n, n: inputs, k: outputs, gy.data, lda: outputs,
                            v + weight, ldb: inputs, beta: 1, out.data, ldc: inputs)
        }
        return out
    }

    /// out = x Wᵀ + b for weights/bias at the given pointers.
    private func affine(_ x: DoubleTensor, weights: UnsafePointer<Double>, bias: UnsafePointer<Double>?,
                        into out: DoubleTensor) {
        let n = x.shape[0]
        out.resize(to: Shape(n, outputs))
        let y = out.data
        for i in 0..<n {
            if let b = bias { (y + i * outputs).update(from: b, count: outputs) } else { (y + i * outputs).update(repeating: 0, count: outputs) }
        }
        DoubleBLAS.gemm(.none, .transpose, m: n, n: outputs, k: inputs, x.data, lda: inputs,
                        weights, ldb: inputs, beta: 1, y, ldc: outputs)
    }

    /// target_W += dyᵀ x, target_b += Σₙ dy.
    private func accumulateParameterProduct(_ dy: DoubleTensor, _ x: DoubleTensor, into target: UnsafeMutablePointer<Double>) {
        let n = x.shape[0], d = dy.data
        DoubleBLAS.gemm(.transpose, .none, m: outputs, n: inputs, k: n, d, lda: outputs,
                        x.data, ldb: inputs, beta: 1, target + weight, ldc: inputs)
        guard let bias else { return }
        let tb = target + bias
        for i in 0..<n {
            let row = d + i * outputs
            for j in 0..<outputs { tb[j] += row[j] }
        }
    }

    /// out = dy W (zeros, unread, for a constant input).
    private func inputProduct(_ dy: DoubleTensor, _ w: UnsafePointer<Double>, into out: DoubleTensor, shape: Shape) -> DoubleTensor {
        out.resize(to: shape)
        if constantInput {
            out.zero()
        } else {
            DoubleBLAS.gemm(.none, .none, m: shape[0], n: inputs, k: outputs, dy.data, lda: outputs,
                            w, ldb: inputs, beta: 0, out.data, ldc: inputs)
        }
        return out
    }
}
