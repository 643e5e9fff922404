import Networks
import Tensors

/// The Gram matrix G = J Jᵀ (Double, R×R) of R = N·r rows of per-example parameter
/// gradients, the shared core of the empirical NTK and of gradient interference.
///
/// Row n·r + i is ∂(sᵢᵀ f(xₙ))/∂θ in network order: example n alone is run forward in
/// evaluation mode (batch size 1, so BatchNorm uses its running statistics and no example
/// sees another), and the network's own Float32 backward pass is seeded with the output
/// gradient sᵢ that `seed(n, i, output)` returns.
///
/// Linear layers with a bias are not materialised: for one example their gradient is δ aᵀ
/// (weight) and δ (bias), with a the layer's input and δ = ∂(sᵢᵀf)/∂(layer output) (read off the
/// bias gradient), so their share of G is (δ_row · δ_row′)(aₙ · a_m + 1) — exact, and it turns
/// an R×R×P product into R×R×(width) ones (the "outer-product trick" of per-example gradient
/// norms, Goodfellow 2015). Every other parameter (convolutions, norm affines, bias-free
/// Linears) forms explicit Jacobian rows. Each Linear must run once per forward.
/// Products are accumulated in Double (`dsyrk` on Double copies of column chunks).
///
/// Memory: the explicit rows are built in column slices of at most `memoryBudget` bytes,
/// re-running the passes once per slice. The network's parameters, buffers and gradient
/// buffer are left as they were; layer caches hold the last example.
func perExampleGradientGram(_ network: Network, inputs: Tensor, examples: Int, rowsPerExample r: Int,
                            memoryBudget: Int, seed: (_ example: Int, _ row: Int, _ output: Tensor) -> Tensor) -> [Double] {
    precondition(examples >= 1 && examples <= inputs.shape[0] && r >= 1, "gradient Gram of \(examples)×\(r) rows")
    let rows = examples * r, p = network.parameterCount, perExample = inputs.shape.trailingCount
    let factored = network.denseUnitLayers.filter { $0.bias != nil }
    let explicit = explicitColumns(parameterCount: p, excluding: factored)
    let width = Swift.max(1, Swift.min(explicit.count, memoryBudget / Swift.max(1, 4 * rows)))
    let chunk = Swift.min(width, 2048)
    let saved = Array(network.storage.gradientBuffer)
    defer { saved.withUnsafeBufferPointer { network.storage.gradients.update(from: $0.baseAddress!, count: p) } }
    var inputDims = inputs.shape.dimensions
    inputDims[0] = 1
    let example = Tensor(shape: Shape(inputDims))
    let jacobian = UnsafeMutablePointer<Float>.allocate(capacity: rows * width)
    let widened = UnsafeMutablePointer<Double>.allocate(capacity: rows * chunk)
    defer { jacobian.deallocate(); widened.deallocate() }
    var activations = factored.map { [Double](repeating: 0, count: examples * $0.inputUnitCount) }
    var deltas = factored.map { [Double](repeating: 0, count: rows * $0.unitCount) }
    var gram = [Double](repeating: 0, count: rows * rows)
    let gradients = network.storage.gradients
    let starts = explicit.isEmpty ? [0] : Array(stride(from: 0, to: explicit.count, by: width))
    for (slice, start) in starts.enumerated() {
        let columns = Swift.min(width, explicit.count - start)
        for n in 0..<examples {
            example.data.update(from: inputs.data + n * perExample, count: perExample)
            let output = network.forward(example, mode: .evaluation)
            if slice == 0 {
                for (l, layer) in factored.enumerated() {
                    let a = layer.lastInput!.data, d = layer.inputUnitCount
                    for j in 0..<d { activations[l][n * d + j] = Double(a[j]) }
                }
            }
            for i in 0..<r {
                network.zeroGradients()
                network.backward(seed(n, i, output), inputGradient: false)
                let row = n * r + i
                if slice == 0 {
                    for (l, layer) in factored.enumerated() {
                        let g = layer.bias!.gradient, k = layer.unitCount
                        for j in 0..<k { deltas[l][row * k + j] = Double(g[j]) }
                    }
                }
                let dst = jacobian + row * columns
                for j in 0..<columns { dst[j] = gradients[explicit[start + j]] }
            }
        }
        guard columns > 0 else { continue }
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
    for (l, layer) in factored.enumerated() {
        let inputGram = fullGram(activations[l], count: examples, width: layer.inputUnitCount)
        let deltaGram = fullGram(deltas[l], count: rows, width: layer.unitCount)
        for i in 0..<rows {
            for j in i..<rows { gram[i * rows + j] += deltaGram[i * rows + j] * (inputGram[(i / r) * examples + j / r] + 1) }
        }
    }
    mirrorUpperTriangle(&gram, size: rows)
    return gram
}

/// The parameter indices not covered by the factored Linear layers, ascending.
private func explicitColumns(parameterCount p: Int, excluding layers: [any DenseUnitLayer]) -> [Int] {
    var covered = [Bool](repeating: false, count: p)
    for layer in layers {
        for parameter in [layer.weight, layer.bias!] {
            for j in parameter.offset..<(parameter.offset + parameter.count) { covered[j] = true }
        }
    }
    return covered.indices.filter { !covered[$0] }
}

/// X Xᵀ for X [count, width] row-major, full (both triangles), in Double.
private func fullGram(_ x: [Double], count: Int, width: Int) -> [Double] {
    var g = [Double](repeating: 0, count: count * count)
    x.withUnsafeBufferPointer { a in
        g.withUnsafeMutableBufferPointer { DoubleBLAS.syrkUpper(n: count, k: width, a.baseAddress!, lda: width, $0.baseAddress!) }
    }
    mirrorUpperTriangle(&g, size: count)
    return g
}

/// Copies the upper triangle of a row-major size×size matrix onto its lower triangle.
private func mirrorUpperTriangle(_ g: inout [Double], size n: Int) {
    for i in 0..<n {
        for j in 0..<i { g[i * n + j] = g[j * n + i] }
    }
}
