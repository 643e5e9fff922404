import Foundation
import Tensors

/// PSGD with Kronecker-factored preconditioners, "Kron" (Li 2018, "Preconditioned stochastic
/// gradient descent"; Li 2024, "Stochastic Hessian fittings with Lie groups"; the
/// psgd_torch / kron_torch recipe that Plasticine uses).
///
/// Each parameter with rank ≥ 2 is a matrix G [out, rest] (a conv weight [O, C·K·K]) with
/// preconditioner P = (Q_lᵀQ_l) ⊗ (Q_rᵀQ_r), Q_l, Q_r upper triangular (an axis longer than
/// `maxDenseSize`, or of size 1, gets a diagonal factor); a parameter of rank 1 (biases, norm
/// gains) is a column [n, 1] with a single diagonal factor. One step, per parameter:
///     m ← βm + (1 − β)g,  m̂ = m / (1 − βᵗ)                      (momentum)
///     V ~ N(0, I);  A = Q_l m̂ Q_rᵀ;  B = Q_l⁻ᵀ V Q_r⁻¹            (whitening pair)
///     Q_l ← Q_l − η_Q/‖T₁+T₂‖ · triu(T₁ − T₂) Q_l,  T₁ = AAᵀ, T₂ = BBᵀ (likewise Q_r with AᵀA, BᵀB)
///     u = Q_lᵀQ_l m̂ Q_rᵀQ_r,  u ← u · min(1, 1.1 / RMS(u))        (preconditioned, RMS-clipped)
///     θ ← θ − η u
/// The fixed point of the Q update whitens the gradient: P E[m̂m̂ᵀ] P ≈ P, i.e.
/// P ≈ E[m̂m̂ᵀ]^{−1/2}. Unlike kron_torch the preconditioner is updated every step (kron_torch
/// anneals the update probability from 1 to 0.03 to save time), Q starts at I, and no weight
/// decay is built in (use the `weight-decay` intervention). V comes from the optimiser's own
/// generator, seeded at construction and saved with the state, so a resumed run is exact.
///
/// ```swift
/// let opt = PSGDKron(net.storage, parameters: net.parameters, learningRate: 1e-3)
/// ```
public final class PSGDKron: Optimizer {
    /// One parameter's slice of the flat storage and its factors.
    struct Block {
        let offset: Int
        let rows: Int
        let columns: Int
        let left: KronFactor
        let right: KronFactor?
    }

    public var learningRate: Float
    public let momentum: Float
    public let preconditionerLearningRate: Float
    public let maxDenseSize: Int
    public private(set) var stepCount = 0
    private let storage: ParameterStorage
    private let blocks: [Block]
    private var rng: RandomGenerator
    private var exponentialAverage: [Float]
    private var factors: [Float]
    private var work: [Float]

    /// `parameters` are the network's named parameters (their shapes choose the factors).
    public init(_ storage: ParameterStorage, parameters: [(name: String, parameter: Parameter)],
                learningRate: Float = 1e-3, momentum: Float = 0.9, preconditionerLearningRate: Float = 0.1,
                maxDenseSize: Int = 1024, seed: UInt64 = 0) {
        self.storage = storage
        self.learningRate = learningRate
        self.momentum = momentum
        self.preconditionerLearningRate = preconditionerLearningRate
        self.maxDenseSize = maxDenseSize
        var blocks: [Block] = [], offset = 0, largest = 1, scratch = 1
        for (_, p) in parameters {
            let matrix = p.shape.count >= 2
            let rows = matrix ? p.shape[0] : p.count, columns = p.count / max(rows, 1)
            let left = KronFactor(size: rows, dense: matrix && rows > 1 && rows <= maxDenseSize, offset: offset)
            offset += left.storageCount
            var right: KronFactor?
            if matrix {
                right = KronFactor(size: columns, dense: columns > 1 && columns <= maxDenseSize, offset: offset)
                offset += right!.storageCount
            }
            blocks.append(Block(offset: p.offset, rows: rows, columns: columns, left: left, right: right))
            largest = max(largest, p.count)
            if right != nil { scratch = max(scratch, p.count) }
            for f in [left] + (right.map { [$0] } ?? []) where f.dense { scratch = max(scratch, 3 * f.size * f.size) }
        }
        self.blocks = blocks
        rng = RandomGenerator(seed: seed, stream: 0x50534744)
        exponentialAverage = [Float](repeating: 0, count: storage.count)
        factors = [Float](repeating: 0, count: offset)
        work = [Float](repeating: 0, count: 4 * largest + scratch)
        resetFactors()
    }

    private func resetFactors() {
        factors.withUnsafeMutableBufferPointer { q in
            for b in blocks {
                b.left.setIdentity(q.baseAddress!, scale: 1)
                b.right?.setIdentity(q.baseAddress!, scale: 1)
            }
        }
    }

    public func step() {
        stepCount += 1
        let beta = momentum, correction = 1 / (1 - Float(pow(Double(beta), Double(stepCount))))
        let theta = storage.values, grad = storage.gradients
        exponentialAverage.withUnsafeMutableBufferPointer { mb in
            factors.withUnsafeMutableBufferPointer { qb in
                work.withUnsafeMutableBufferPointer { wb in
                    let m = mb.baseAddress!, q = qb.baseAddress!, w = wb.baseAddress!
                    for b in blocks {
                        let n = b.rows * b.columns
                        let mHat = w, a = w + n, noise = w + 2 * n, u = w + 3 * n, scratch = w + 4 * n
                        for i in 0..<n {
                            let j = b.offset + i
                            m[j] = beta * m[j] + (1 - beta) * grad[j]
                            mHat[i] = m[j] * correction
                            noise[i] = rng.normal()
                        }
                        updatePreconditioner(b, q: q, g: mHat, a: a, noise: noise, scratch: scratch)
                        applyPreconditioner(b, q: q, g: mHat, out: u, temp: a)
                        var sum = 0.0
                        for i in 0..<n { sum += Double(u[i]) * Double(u[i]) }
                        let rms = Float((sum / Double(n)).squareRoot())
                        let s = learningRate * min(1, 1.1 / (rms + 1e-6))
                        for i in 0..<n { theta[b.offset + i] -= s * u[i] }
                    }
                }
            }
        }
    }

    /// A = Q_l G Q_rᵀ and B = Q_l⁻ᵀ V Q_r⁻¹ (B overwrites `noise`), then both factors updated.
    private func updatePreconditioner(_ b: Block, q: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                                      a: UnsafeMutablePointer<Float>, noise: UnsafeMutablePointer<Float>,
                                      scratch: UnsafeMutablePointer<Float>) {
        let r = b.rows, c = b.columns
        b.left.apply(q, left: true, transposeQ: false, g, into: a, rows: r, columns: c)
        b.left.solve(q, left: true, noise, rows: r, columns: c)
        if let right = b.right {
            scratch.update(from: a, count: r * c)
            right.apply(q, left: false, transposeQ: false, scratch, into: a, rows: r, columns: c)
            right.solve(q, left: false, noise, rows: r, columns: c)
        }
        b.left.update(q, left: true, a: a, b: noise, rows: r, columns: c, step: preconditionerLearningRate, work: scratch)
        b.right?.update(q, left: false, a: a, b: noise, rows: r, columns: c, step: preconditionerLearningRate, work: scratch)
    }

    /// out = Q_lᵀQ_l G Q_rᵀQ_r.
    private func applyPreconditioner(_ b: Block, q: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                              out: UnsafeMutablePointer<Float>, temp: UnsafeMutablePointer<Float>) {
        let r = b.rows, c = b.columns
        b.left.apply(q, left: true, transposeQ: false, g, into: temp, rows: r, columns: c)
        b.left.apply(q, left: true, transposeQ: true, temp, into: out, rows: r, columns: c)
        guard let right = b.right else { return }
        right.apply(q, left: false, transposeQ: false, out, into: temp, rows: r, columns: c)
        right.apply(q, left: false, transposeQ: true, temp, into: out, rows: r, columns: c)
    }

    /// Forgets momentum, preconditioners (back to I) and the step count; the noise generator
    /// continues.
    public func resetState() {
        exponentialAverage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        resetFactors()
        stepCount = 0
    }

    /// Zeroes the momentum of the given entries (the Kronecker factors are per matrix and kept).
    public func resetState(indices: [Int]) { for i in indices { exponentialAverage[i] = 0 } }

    public func stateVectors() -> [(name: String, values: [Float])] {
        [("exp_avg", exponentialAverage), ("Q", factors), ("rng", encode(rng))]
    }

    public func loadStateVectors(_ vectors: [(name: String, values: [Float])], stepCount: Int) throws {
        func vector(_ name: String, count: Int) throws -> [Float] {
            try optimizerStateVector(name, count: count, in: vectors, optimizer: "PSGD-Kron")
        }
        let m = try vector("exp_avg", count: exponentialAverage.count)
        let q = try vector("Q", count: factors.count)
        let r = try vector("rng", count: 8)
        exponentialAverage = m
        factors = q
        rng = decode(r)
        self.stepCount = stepCount
    }
}

/// The generator's two UInt64 words as eight 16-bit chunks (low first), each exact in a Float.
func encode(_ rng: RandomGenerator) -> [Float] {
    var out: [Float] = []
    for word in [rng.state, rng.increment] {
        for chunk in 0..<4 { out.append(Float((word >> UInt64(16 * chunk)) & 0xFFFF)) }
    }
    return out
}

/// The inverse of `encode`.
func decode(_ v: [Float]) -> RandomGenerator {
    var words: [UInt64] = [0, 0]
    for i in 0..<8 { words[i / 4] |= UInt64(v[i]) << UInt64(16 * (i % 4)) }
    return RandomGenerator(state: words[0], increment: words[1])
}
