import Tensors

/// One Kronecker factor of a PSGD preconditioner for one axis of size n: a dense
/// upper-triangular Q [n×n] or a diagonal q [n], stored at `offset` in the optimiser's flat
/// factor vector. Matrices below are row-major; G is [rows, columns] and the factor acts on
/// the rows (left) or the columns (right).
struct KronFactor {
    let size: Int
    let dense: Bool
    let offset: Int
    var storageCount: Int { dense ? size * size : size }

    /// Q ← scale·I.
    func setIdentity(_ q: UnsafeMutablePointer<Float>, scale: Float) {
        let p = q + offset
        if dense {
            p.update(repeating: 0, count: size * size)
            for i in 0..<size { p[i * size + i] = scale }
        } else {
            p.update(repeating: scale, count: size)
        }
    }

    /// out = Q X (left, X [size, cols]) or out = X Qᵀ (right, X [rows, size]); `transposeQ`
    /// uses Qᵀ instead of Q (and Q instead of Qᵀ).
    func apply(_ q: UnsafeMutablePointer<Float>, left: Bool, transposeQ: Bool,
               _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        let p = q + offset
        if dense {
            if left {
                BLAS.gemm(transposeQ ? .transpose : .none, .none, m: size, n: columns, k: size,
                          p, lda: size, x, ldb: columns, out, ldc: columns)
            } else {
                BLAS.gemm(.none, transposeQ ? .none : .transpose, m: rows, n: size, k: size,
                          x, lda: size, p, ldb: size, out, ldc: size)
            }
        } else {
            for r in 0..<rows {
                for c in 0..<columns { out[r * columns + c] = x[r * columns + c] * p[left ? r : c] }
            }
        }
    }

    /// In place: X ← Q⁻ᵀX (left, solving QᵀY = X by forward substitution) or X ← XQ⁻¹
    /// (right, solving YQ = X row by row).
    func solve(_ q: UnsafeMutablePointer<Float>, left: Bool, _ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        let p = q + offset, n = size
        guard dense else {
            for r in 0..<rows { for c in 0..<columns { x[r * columns + c] /= p[left ? r : c] } }
            return
        }
        if left {
            for i in 0..<n {
                let xi = x + i * columns
                for k in 0..<i where p[k * n + i] != 0 { BLAS.axpy(columns, alpha: -p[k * n + i], x + k * columns, xi) }
                let r = 1 / p[i * n + i]
                for c in 0..<columns { xi[c] *= r }
            }
        } else {
            for r in 0..<rows {
                let y = x + r * columns
                for k in 0..<n {
                    y[k] /= p[k * n + k]
                    if k + 1 < n { BLAS.axpy(n - k - 1, alpha: -y[k], p + k * n + k + 1, y + k + 1) }
                }
            }
        }
    }

    /// The whitening update from A = Q-transformed gradient and B = Q⁻-transformed noise
    /// (Li 2024): with T₁ = AAᵀ, T₂ = BBᵀ for the left factor (AᵀA, BᵀB for the right),
    ///     dense:    Q ← Q − η / ‖T₁ + T₂‖ · triu(T₁ − T₂) Q   (‖·‖ a lower bound of the spectral norm)
    ///     diagonal: q ← q − η (t₁ − t₂) ⊙ q / max|t₁ + t₂|   (t = the diagonals of T)
    /// `work` needs 3·size² floats.
    func update(_ q: UnsafeMutablePointer<Float>, left: Bool, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                rows: Int, columns: Int, step: Float, work: UnsafeMutablePointer<Float>) {
        let p = q + offset, n = size, tiny = Float.leastNormalMagnitude
        guard dense else {
            var t1 = [Float](repeating: 0, count: n), t2 = t1
            for r in 0..<rows {
                for c in 0..<columns {
                    let i = left ? r : c, x = a[r * columns + c], y = b[r * columns + c]
                    t1[i] += x * x
                    t2[i] += y * y
                }
            }
            var largest: Float = 0
            for i in 0..<n { largest = max(largest, abs(t1[i] + t2[i])) }
            for i in 0..<n { p[i] -= step * (t1[i] - t2[i]) * p[i] / (largest + tiny) }
            return
        }
        let t1 = work, t2 = work + n * n, product = work + 2 * n * n
        let (ta, tb): (BLAS.Transpose, BLAS.Transpose) = left ? (.none, .transpose) : (.transpose, .none)
        let k = left ? columns : rows, ld = columns
        BLAS.gemm(ta, tb, m: n, n: n, k: k, a, lda: ld, a, ldb: ld, t1, ldc: n)
        BLAS.gemm(ta, tb, m: n, n: n, k: k, b, lda: ld, b, ldb: ld, t2, ldc: n)
        for i in 0..<(n * n) { let s = t1[i] + t2[i]; t1[i] -= t2[i]; t2[i] = s }
        let scale = step / (spectralNormLowerBound(t2, n) + tiny)
        for i in 0..<n { for j in 0..<i { t1[i * n + j] = 0 } }
        BLAS.gemm(.none, .none, m: n, n: n, k: n, t1, lda: n, p, ldb: n, product, ldc: n)
        for i in 0..<(n * n) { p[i] -= scale * product[i] }
    }
}

/// A cheap lower bound of the spectral norm of a symmetric n×n matrix S (PSGD's
/// `norm_lower_bound`): with j the row of largest norm, x = S·s_j, return ‖S x‖/‖x‖.
func spectralNormLowerBound(_ s: UnsafePointer<Float>, _ n: Int) -> Float {
    var j = 0, best = -1.0
    for r in 0..<n {
        var e = 0.0
        for c in 0..<n { e += Double(s[r * n + c]) * Double(s[r * n + c]) }
        if e > best { best = e; j = r }
    }
    guard best > 0 else { return 0 }
    var x = [Double](repeating: 0, count: n)
    for r in 0..<n { for c in 0..<n { x[r] += Double(s[r * n + c]) * Double(s[j * n + c]) } }
    var xx = 0.0, yy = 0.0
    for r in 0..<n {
        xx += x[r] * x[r]
        var y = 0.0
        for c in 0..<n { y += Double(s[r * n + c]) * x[c] }
        yy += y * y
    }
    return Float((yy / xx).squareRoot())
}
