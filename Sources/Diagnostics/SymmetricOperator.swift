import Tensors

/// A symmetric linear operator A on ℝⁿ given only by its product v ↦ Av, the input of the
/// iterative estimators (Lanczos, power iteration, Hutchinson, stochastic Lanczos
/// quadrature). A Hessian is one (`HessianVectorProduct.symmetricOperator`); so is any
/// explicit symmetric matrix, which is how the estimators are tested.
///
/// ```swift
/// let a = SymmetricOperator(matrix: [2, 1, 1, 2], size: 2)   // eigenvalues 1 and 3
/// let top = try lanczosEigenpairs(a, options: LanczosOptions(eigenvalueCount: 1))
/// ```
public struct SymmetricOperator {
    /// n, the length of v and Av.
    public let dimension: Int
    /// v ↦ Av.
    public let apply: ([Double]) -> [Double]

    public init(dimension: Int, _ apply: @escaping ([Double]) -> [Double]) {
        self.dimension = dimension
        self.apply = apply
    }

    /// The operator of an explicit row-major n×n matrix, assumed symmetric.
    public init(matrix: [Double], size n: Int) {
        precondition(matrix.count == n * n, "matrix of \(matrix.count) values is not \(n)×\(n)")
        self.init(dimension: n) { v in
            precondition(v.count == n, "vector of \(v.count) for a \(n)×\(n) matrix")
            var out = [Double](repeating: 0, count: n)
            if n == 0 { return out }
            matrix.withUnsafeBufferPointer { a in
                v.withUnsafeBufferPointer { x in
                    out.withUnsafeMutableBufferPointer { y in
                        DoubleBLAS.gemv(.none, m: n, n: n, a.baseAddress!, x.baseAddress!, y.baseAddress!)
                    }
                }
            }
            return out
        }
    }

    public func callAsFunction(_ v: [Double]) -> [Double] { apply(v) }
}
