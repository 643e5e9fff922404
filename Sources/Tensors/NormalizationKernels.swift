/// Eight-lane kernels for layer normalisation (`LayerNorm`), per group of `count` elements.
/// Sums use eight interleaved partial sums, like `VectorKernels.sum`.
extension VectorKernels {
    /// Σᵢ (x[i] − mean)².
    public static func sumOfSquaredDeviations(_ x: UnsafePointer<Float>, from mean: Float, count n: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        while i &+ 8 <= n {
            let c = load(x + i) - mean
            acc += c * c
            i &+= 8
        }
        var s = pairwiseTotal(acc)
        while i < n { let c = x[i] - mean; s += c * c; i &+= 1 }
        return s
    }

    /// x̂ = (x − mean)·scale into `normalized`, y = x̂ ⊙ γ + β into `y`.
    public static func normalize(_ x: UnsafePointer<Float>, mean: Float, scale: Float, gamma: UnsafePointer<Float>,
                                 beta: UnsafePointer<Float>, normalized: UnsafeMutablePointer<Float>,
                                 into y: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        while i &+ 8 <= n {
            let h = (load(x + i) - mean) * scale
            store(h, normalized + i)
            store(h * load(gamma + i) + load(beta + i), y + i)
            i &+= 8
        }
        while i < n {
            let h = (x[i] - mean) * scale
            normalized[i] = h
            y[i] = h * gamma[i] + beta[i]
            i &+= 1
        }
    }

    /// (Σ g, Σ g ⊙ x̂) with g = dy ⊙ γ.
    public static func layerNormGradientSums(_ dy: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                             normalized: UnsafePointer<Float>, count n: Int) -> (Float, Float) {
        var accG = SIMD8<Float>(repeating: 0), accGH = SIMD8<Float>(repeating: 0)
        var i = 0
        while i &+ 8 <= n {
            let g = load(dy + i) * load(gamma + i)
            accG += g
            accGH += g * load(normalized + i)
            i &+= 8
        }
        var sumG = pairwiseTotal(accG), sumGH = pairwiseTotal(accGH)
        while i < n {
            let g = dy[i] * gamma[i]
            sumG += g
            sumGH += g * normalized[i]
            i &+= 1
        }
        return (sumG, sumGH)
    }

    /// dx = scale · (dy ⊙ γ − meanG − x̂ · meanGH).
    public static func layerNormInputGradient(_ dy: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                              normalized: UnsafePointer<Float>, scale: Float, meanG: Float,
                                              meanGH: Float, into dx: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        while i &+ 8 <= n {
            store(scale * (load(dy + i) * load(gamma + i) - meanG - load(normalized + i) * meanGH), dx + i)
            i &+= 8
        }
        while i < n { dx[i] = scale * (dy[i] * gamma[i] - meanG - normalized[i] * meanGH); i &+= 1 }
    }

    /// z[i] += x[i] · y[i].
    public static func addProduct(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                                  into z: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        while i &+ 8 <= n { store(load(z + i) + load(x + i) * load(y + i), z + i); i &+= 8 }
        while i < n { z[i] += x[i] * y[i]; i &+= 1 }
    }
}
