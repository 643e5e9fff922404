import Networks
import Tensors

/// The Gram matrix G = J Jᵀ (Double, R×R) of R = N·r rows of per-example parameter
/// gradients, the shared core of the empirical NTK and of gradient interference.
///
/// Row n·r + i is ∂(sᵢᵀ f(xₙ))/∂θ in network order: example n alone is run forward in
/// evaluation mode (batch size 1, so BatchNorm uses its running statistics and no example
/// sees another), and the network's own Float32 backward pass is seeded with the output
/// gradient sᵢ that `seed(n, i, output)` returns. J is held in Float32; products are
/// accumulated in Double (`dsyrk` on Double copies of column chunks).
///
/// Memory: J is built in column slices of at most `memoryBudget` bytes, re-running the
/// passes once per slice (N·r rows × P parameters × 4 bytes in one slice when it fits).
/// The network's parameters, buffers and gradient buffer are left as they were; layer
/// caches hold the last example.
func perExampleGradientGram(_ network: Network, inputs: Tensor, examples: Int, rowsPerExample r: Int,
                            memoryBudget: Int, seed: (_ example: Int, _ row: Int, _ output: Tensor) -> Tensor) -> [Double] {
    precondition(examples >= 1 && examples <= inputs.shape[0] && r >= 1, "gradient Gram of \(examples)×\(r) rows")
    let rows = examples * r, p = network.parameterCount, perExample = inputs.shape.trailingCount
    let width = Swift.max(1, Swift.min(p, memoryBudget / Swift.max(1, 4 * rows)))
    let chunk = Swift.min(width, 2048)
    let saved = Array(network.storage.gradientBuffer)
    defer { saved.withUnsafeBufferPointer { network.storage.gradients.update(from: $0.baseAddress!, count: p) } }
    var inputDims = inputs.shape.dimensions
    inputDims[0] = 1
    let example = Tensor(shape: Shape(inputDims))
    let jacobian = UnsafeMutablePointer<Float>.allocate(capacity: rows * width)
    let widened = UnsafeMutablePointer<Double>.allocate(capacity: rows * chunk)
    defer { jacobian.deallocate(); widened.deallocate() }
    var gram = [Double](repeating: 0, count: rows * rows)
    let gradients = network.storage.gradients
    for start in stride(from: 0, to: p, by: width) {
        let columns = Swift.min(width, p - start)
        for n in 0..<examples {
            example.data.update(from: inputs.data + n * perExample, count: perExample)
            let output = network.forward(example, mode: .evaluation)
            for i in 0..<r {
                network.zeroGradients()
                network.backward(seed(n, i, output))
                (jacobian + (n * r + i) * columns).update(from: gradients + start, count: columns)
            }
        }
        gram.withUnsafeMutableBufferPointer { g in
            for c0 in stride(from: 0, to: columns, by: chunk) {
                let c = Swift.min(chunk, columns - c0)
                for row in 0..<rows {
                    let src = jacobian + row * columns + c0, dst = widened + row * c
                    for j in 0..<c { dst[j] = Double(src[j]) }
                }
                DoubleBLAS.syrkUpper(n: rows, k: c, widened, lda: c, g.baseAddress!)
            }
        }
    }
    for i in 0..<rows {
        for j in 0..<i { gram[i * rows + j] = gram[j * rows + i] }
    }
    return gram
}
