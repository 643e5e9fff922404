import Tensors

/// A fully connected layer, `y = x Wᵀ + b` (PyTorch `nn.Linear`).
///
/// Shapes: x [N, in] → y [N, out]; weight [out, in], bias [out].
/// Backward: dW += dYᵀ X, db += Σₙ dY, dX = dY W — three GEMM-shaped calls into OpenBLAS.
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let fc = Linear(784, 256, rng: &rng)      // PyTorch default init
/// ```
public final class Linear: DenseUnitLayer, InputGradientSkipping {
    public let inputFeatures: Int
    public let outputFeatures: Int
    public let weight: Parameter
    public let bias: Parameter?
    public let initializer: Initializer
    public private(set) var lastInput: Tensor?
    public var lastOutput: Tensor? { output }
    public var computesInputGradient = true
    private let output = Tensor(shape: Shape(0, 0))
    private let inputGradient = Tensor(shape: Shape(0, 0))
    /// The shape for which `inputGradient` already holds the zeros a skipped dL/dx returns.
    private var zeroedInputGradientShape: Shape?

    public init(_ inputFeatures: Int, _ outputFeatures: Int, bias: Bool = true,
                initializer: Initializer = .pytorchDefault, rng: inout RandomGenerator) {
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        self.initializer = initializer
        weight = Parameter(shape: Shape(outputFeatures, inputFeatures))
        self.bias = bias ? Parameter(shape: Shape(outputFeatures)) : nil
        reinitialize(using: &rng)
    }

    /// Re-draws the weight from `initializer` with fans (in, out), then the bias from
    /// U(−1/√in, 1/√in), as the constructor does.
    public func reinitialize(using rng: inout RandomGenerator) {
        initializer.fill(weight.valueBuffer, fanIn: inputFeatures, fanOut: outputFeatures, rng: &rng)
        if let b = bias { Initializer.fillBias(b.valueBuffer, fanIn: inputFeatures, rng: &rng) }
    }

    public var localParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        let n = input.shape[0]
        precondition(input.shape.trailingCount == inputFeatures,
                     "Linear(\(inputFeatures), \(outputFeatures)) got input \(input.shape)")
        lastInput = input
        output.resize(to: Shape(n, outputFeatures))
        let y = output.data
        if let b = bias?.value { VectorKernels.broadcastRow(b, rows: n, columns: outputFeatures, into: y) }
        BLAS.gemm(.none, .transpose, m: n, n: outputFeatures, k: inputFeatures,
                  input.data, lda: inputFeatures, weight.value, ldb: inputFeatures,
                  beta: bias == nil ? 0 : 1, y, ldc: outputFeatures)
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let x = lastInput else { preconditionFailure("Linear.backward before forward") }
        let n = x.shape[0]
        let dy = outputGradient.data
        BLAS.gemm(.transpose, .none, m: outputFeatures, n: inputFeatures, k: n,
                  dy, lda: outputFeatures, x.data, ldb: inputFeatures,
                  beta: 1, weight.gradient, ldc: inputFeatures)
        if let db = bias?.gradient { VectorKernels.addColumnSums(dy, rows: n, columns: outputFeatures, into: db) }
        guard computesInputGradient else {
            if zeroedInputGradientShape != x.shape {
                inputGradient.resize(to: x.shape)
                inputGradient.fill(0)
                zeroedInputGradientShape = x.shape
            }
            return inputGradient
        }
        zeroedInputGradientShape = nil
        inputGradient.resize(to: x.shape)
        BLAS.gemm(.none, .none, m: n, n: inputFeatures, k: outputFeatures,
                  dy, lda: outputFeatures, weight.value, ldb: inputFeatures,
                  beta: 0, inputGradient.data, ldc: inputFeatures)
        return inputGradient
    }

    // MARK: unit re-initialisation

    public var unitCount: Int { outputFeatures }
    public var inputUnitCount: Int { inputFeatures }

    public func reinitializeUnits(_ units: [Int], rng: inout RandomGenerator) {
        for u in units {
            precondition(u >= 0 && u < outputFeatures, "unit \(u) out of range")
            let row = UnsafeMutableBufferPointer(start: weight.value + u * inputFeatures, count: inputFeatures)
            initializer.fillRow(row, fanIn: inputFeatures, fanOut: outputFeatures, rng: &rng)
            if let b = bias {
                Initializer.fillBias(.init(start: b.value + u, count: 1), fanIn: inputFeatures, rng: &rng)
            }
        }
    }

    public func setInputWeights(of units: [Int], group: Int, to value: Float) {
        let w = weight.value
        for u in units {
            precondition((u + 1) * group <= inputFeatures, "input unit \(u) × \(group) out of range")
            for o in 0..<outputFeatures {
                (w + o * inputFeatures + u * group).update(repeating: value, count: group)
            }
        }
    }
}
