import Networks
import Tensors

/// Parseval regularisation (Chung et al. 2024, "Parseval regularization for continual
/// reinforcement learning"): the loss gets λ‖WWᵀ − sI‖²_F for every Linear/Conv2d weight W
/// [out, in·k·k] except the output layer's, pushing the rows towards an orthogonal set of
/// norm √s. After backward each such gradient gets its exact gradient
///     ∂/∂W λ‖WWᵀ − sI‖²_F = 4λ (WWᵀ − sI) W,
/// computed with two GEMMs (WWᵀ is out×out).
public final class ParsevalRegularization: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "parseval", summary: "loss + λ‖WWᵀ − sI‖²_F per weight (not the output layer): adds 4λ(WWᵀ − sI)W",
        source: "Chung et al. 2024",
        parameters: [("lambda", "1e-3", "coefficient λ"), ("s", "1", "target scale s of WWᵀ"),
                     ("include_last", "0", "also regularise the output layer (0/1)")])
    public var name = ParsevalRegularization.info.name
    public let lambda: Float
    public let scale: Float
    public let includeLast: Bool
    private var gram: [Float] = []
    private var matrices: [WeightMatrix]?

    public init(_ p: InterventionParameters) throws {
        lambda = Float(try p.number("lambda", in: 0...(.infinity)))
        scale = Float(try p.number("s"))
        includeLast = try p.flag("include_last")
    }

    public func gradientsComputed(_ training: any TrainingContext) {
        if matrices == nil {
            let all = training.network.weightMatrices
            matrices = includeLast ? all : Array(all.dropLast())
        }
        for w in matrices! { addGradient(w) }
    }

    /// G += 4λ(WWᵀ − sI)W for one weight.
    func addGradient(_ w: WeightMatrix) {
        let m = w.rows, n = w.columns, W = w.parameter.value
        if gram.count < m * m { gram = [Float](repeating: 0, count: m * m) }
        gram.withUnsafeMutableBufferPointer { a in
            let A = a.baseAddress!
            BLAS.gemm(.none, .transpose, m: m, n: m, k: n, W, lda: n, W, ldb: n, beta: 0, A, ldc: m)
            for i in 0..<m { A[i * m + i] -= scale }
            BLAS.gemm(.none, .none, m: m, n: n, k: m, alpha: 4 * lambda, A, lda: m, W, ldb: n,
                      beta: 1, w.parameter.gradient, ldc: n)
        }
    }
}
