import Testing
@testable import Tensors

/// GEMM against a naive triple loop, and LAPACKE routines against known answers.
@Suite struct LinearAlgebraTests {
    @Test(arguments: [(BLAS.Transpose.none, BLAS.Transpose.none), (.transpose, .none), (.none, .transpose), (.transpose, .transpose)])
    func gemmMatchesNaive(ta: BLAS.Transpose, tb: BLAS.Transpose) {
        var rng = RandomGenerator(seed: 1)
        let m = 5, n = 7, k = 3
        let a = Tensor(shape: ta == .none ? Shape(m, k) : Shape(k, m)), b = Tensor(shape: tb == .none ? Shape(k, n) : Shape(n, k))
        rng.fillNormal(a.buffer); rng.fillNormal(b.buffer)
        let c = Tensor(shape: Shape(m, n), repeating: 1)
        BLAS.gemm(ta, tb, m: m, n: n, k: k, alpha: 2, a.data, lda: ta == .none ? k : m,
                  b.data, ldb: tb == .none ? n : k, beta: 0.5, c.data, ldc: n)
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for p in 0..<k {
                    s += (ta == .none ? a[i, p] : a[p, i]) * (tb == .none ? b[p, j] : b[j, p])
                }
                #expect(abs(c[i, j] - (2 * s + 0.5)) < 1e-5)
            }
        }
    }

    @Test func symmetricEigenvalues() throws {
        let (values, vectors) = try LinearAlgebra.symmetricEigen([2, 1, 1, 2], size: 2, vectors: true)
        #expect(abs(values[0] - 1) < 1e-12 && abs(values[1] - 3) < 1e-12)
        #expect(abs(abs(vectors![1]) - 0.5.squareRoot()) < 1e-12)
        let m: [Float] = [4, 0, 0, 0, 1, 0, 0, 0, 9]
        #expect(try LinearAlgebra.symmetricEigenvalues(m, size: 3) == [1, 4, 9])
    }

    @Test func singularValuesOfKnownMatrix() throws {
        // [[3, 0], [0, -2], [0, 0]] has singular values 3 and 2.
        let a: [Float] = [3, 0, 0, -2, 0, 0]
        let s = try LinearAlgebra.singularValues(a, rows: 3, columns: 2)
        #expect(abs(s[0] - 3) < 1e-6 && abs(s[1] - 2) < 1e-6)
        let d = try LinearAlgebra.singularValuesDouble(a, rows: 3, columns: 2)
        #expect(abs(d[0] - 3) < 1e-12 && abs(d[1] - 2) < 1e-12)
    }

    @Test(arguments: [(4, 6), (6, 4)])
    func orthogonalMatrices(rows: Int, columns: Int) throws {
        var rng = RandomGenerator(seed: 2)
        let w = Tensor(shape: Shape(rows, columns))
        try LinearAlgebra.orthogonal(rows: rows, columns: columns, gain: 2, rng: &rng, into: w.data)
        let small = min(rows, columns)
        for i in 0..<small {
            for j in 0..<small {
                var s: Float = 0
                for p in 0..<max(rows, columns) {
                    s += rows < columns ? w[i, p] * w[j, p] : w[p, i] * w[p, j]
                }
                #expect(abs(s - (i == j ? 4 : 0)) < 1e-4)
            }
        }
    }
}
