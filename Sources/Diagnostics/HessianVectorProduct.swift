import Curvature
import Networks
import Tensors

/// Exact Hessian-vector products Hv of the mean probe loss L(θ) = (1/N) Σₙ ℓ(f(xₙ; θ), yₙ)
/// with respect to every parameter, v and Hv flat in network order (`ParameterStorage`
/// order: PyTorch `named_parameters()`, weight before bias).
///
/// Pearlmutter's R-operator (Pearlmutter 1994, "Fast exact multiplication by the Hessian"),
/// i.e. forward-over-reverse differentiation: a tangent forward pass computes R{z} = ∂_ε z(θ + εv)
/// for every activation, the loss Hessian turns R{f} into R{∂L/∂f}, and a backward pass of
/// R{∂L/∂·} through every layer (`TangentNode`) accumulates R{∂L/∂θ} = Hv. One product costs
/// about two backward passes; there is no finite difference, so Hv is exact up to rounding.
///
/// Precision: the Float32 parameters and inputs are widened exactly to Double and every pass
/// runs in Double (layers re-implemented in `Tangent*.swift`); the network itself is not run,
/// and its parameters, buffers (BatchNorm running statistics), gradients and caches are left
/// untouched. The primal forward and backward run once, at construction.
///
/// Mode: `.evaluation` (default, as PyHessian's `model.eval()` and the other probe metrics)
/// normalises BatchNorm with its running statistics, so L is a mean of per-example losses;
/// `.training` uses the probe batch's statistics, the loss a training step minimises.
///
/// ```swift
/// let hvp = try HessianVectorProduct(network: net, probe: probe)
/// let hv = hvp(v)                                   // v: [Double] of hvp.dimension
/// let top = try lanczosEigenpairs(hvp.symmetricOperator)
/// ```
public final class HessianVectorProduct {
    /// P, the number of parameters (length of v and Hv).
    public let dimension: Int
    /// How BatchNorm normalises.
    public let mode: Mode
    /// L(θ) on the probe batch, computed in Double.
    public let loss: Double
    /// ∇L(θ) in network order, computed in Double.
    public let gradient: [Double]
    /// One block per layer that owns parameters, in network order.
    public let blocks: [ParameterBlock]
    /// Products formed so far (the cost of the estimators that used this operator).
    public private(set) var productCount = 0

    private let root: any TangentNode
    private let outputLoss: OutputLoss
    private let theta: [Double]
    private let zeroInput: DoubleTensor
    private let outputHessianProduct = DoubleTensor(shape: Shape(0))

    /// Prepares products at the network's current parameters. Throws if the probe has no
    /// targets, the targets do not fit the loss, or a layer has no R-operator.
    public convenience init(network: Network, probe: ProbeBatch, mode: Mode = .evaluation) throws {
        try self.init(network: network, probe: probe, mode: mode, parameters: network.storage.valueBuffer.map(Double.init))
    }

    /// Prepares products at the parameters `parameters` (network order) instead of the
    /// network's own, which lets tests difference gradients in Double.
    init(network: Network, probe: ProbeBatch, mode: Mode, parameters: [Double]) throws {
        guard let targets = probe.targets else { throw DiagnosticError("Hessian of the probe loss needs probe targets") }
        guard network.parameterCount > 0 else { throw DiagnosticError("Hessian of a network without parameters") }
        precondition(parameters.count == network.parameterCount, "\(parameters.count) parameters for a network of \(network.parameterCount)")
        dimension = network.parameterCount
        self.mode = mode
        theta = parameters
        blocks = ParameterBlock.layers(of: network)
        let root = try makeTangentNode(for: network.root, TangentBuild(name: network.prefix, mode: mode, constantInput: true,
                                                                       storage: network.storage))
        let input = DoubleTensor(probe.inputs)
        let output = parameters.withUnsafeBufferPointer { root.forward(input, parameters: $0.baseAddress!) }
        let outputLoss = try OutputLoss(probe.loss, targets: targets, outputShape: output.shape)
        let outputGradient = DoubleTensor(shape: output.shape)
        loss = outputLoss.evaluate(output, gradient: outputGradient)
        var g = [Double](repeating: 0, count: dimension)
        parameters.withUnsafeBufferPointer { t in
            g.withUnsafeMutableBufferPointer { _ = root.backward(outputGradient, parameters: t.baseAddress!, gradient: $0.baseAddress!) }
        }
        self.root = root
        self.outputLoss = outputLoss
        zeroInput = DoubleTensor(shape: input.shape)
        gradient = g
    }

    /// Hv for a direction v over all parameters.
    public func callAsFunction(_ v: [Double]) -> [Double] {
        precondition(v.count == dimension, "direction of \(v.count) for \(dimension) parameters")
        productCount += 1
        var hv = [Double](repeating: 0, count: dimension)
        theta.withUnsafeBufferPointer { t in
            v.withUnsafeBufferPointer { d in
                hv.withUnsafeMutableBufferPointer { h in
                    let outputTangent = root.tangent(zeroInput, parameters: t.baseAddress!, direction: d.baseAddress!)
                    outputLoss.hessianProduct(outputTangent, into: outputHessianProduct)
                    _ = root.rBackward(outputHessianProduct, parameters: t.baseAddress!, direction: d.baseAddress!,
                                       product: h.baseAddress!)
                }
            }
        }
        return hv
    }

    /// v ↦ Hv over all parameters.
    public var symmetricOperator: SymmetricOperator { SymmetricOperator(dimension: dimension) { self($0) } }

    /// v_B ↦ H_BB v_B, the diagonal block of one layer: v is zero outside the block and only
    /// the block's entries of Hv are kept.
    public func symmetricOperator(restrictedTo block: ParameterBlock) -> SymmetricOperator {
        let range = block.range
        return SymmetricOperator(dimension: range.count) { vb in
            var v = [Double](repeating: 0, count: self.dimension)
            v.replaceSubrange(range, with: vb)
            return Array(self(v)[range])
        }
    }
}

/// The parameters of one layer (its weight and bias), a contiguous range of the flat
/// parameter vector, named by the layer's state-dict prefix (`layers.0`).
public struct ParameterBlock: Sendable, Equatable {
    public let name: String
    public let range: Range<Int>

    public init(name: String, range: Range<Int>) {
        self.name = name
        self.range = range
    }

    /// One block per layer, merging consecutive parameters whose names share the prefix
    /// before the last dot, in network order.
    public static func layers(of network: Network) -> [ParameterBlock] {
        var blocks: [ParameterBlock] = []
        for (name, p) in network.parameters {
            let layer = name.split(separator: ".").dropLast().joined(separator: ".")
            let range = p.offset..<(p.offset + p.count)
            if let last = blocks.last, last.name == layer, last.range.upperBound == range.lowerBound {
                blocks[blocks.count - 1] = ParameterBlock(name: layer, range: last.range.lowerBound..<range.upperBound)
            } else {
                blocks.append(ParameterBlock(name: layer, range: range))
            }
        }
        return blocks
    }
}
