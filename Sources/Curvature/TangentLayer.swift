import Networks
import Tensors

/// One layer's share of Pearlmutter's R-operator (Pearlmutter 1994, "Fast exact
/// multiplication by the Hessian"), computed in Double.
///
/// For y = f(x; θ) with Jacobians J_x = ∂y/∂x and J_θ = ∂y/∂θ, a direction v over all
/// parameters and the primal loss gradient g_y = ∂L/∂y, the four passes are
/// - forward:    y = f(x; θ)
/// - backward:   g_x = J_xᵀ g_y,   g_θ += J_θᵀ g_y
/// - tangent:    ẏ = J_x ẋ + J_θ v                                  (R{y})
/// - R-backward: ġ_x = J_xᵀ ġ_y + (∂_ε J_xᵀ) g_y                     (R{g_x})
///               (Hv)_θ += J_θᵀ ġ_y + (∂_ε J_θᵀ) g_y                  (R{g_θ})
///
/// where ∂_ε differentiates along (x, θ) + ε(ẋ, v). Forward and backward run once per probe
/// batch and the node caches x and g_y; tangent and R-backward run once per product and the
/// node caches ẋ between them. `theta`, `v`, `gradient` and `hv` are flat vectors in network
/// order; a node reads its own slices at its parameters' storage offsets.
public protocol TangentNode: AnyObject {
    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor
    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor
    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor
    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor
}

/// What a layer needs to know to build its `TangentNode`.
public struct TangentBuild {
    /// The layer's dotted name, for error messages.
    public var name: String
    /// Training (BatchNorm batch statistics) or evaluation (running statistics).
    public var mode: Mode
    /// The layer's input does not depend on θ (it is the network input, or computed from it
    /// without parameters): ẋ = 0 and dL/dx is never read, so Linear and Conv2d skip both.
    public var constantInput: Bool
    /// The network's flat parameter storage, whose offsets index θ, v and Hv.
    public let storage: ParameterStorage

    public init(name: String, mode: Mode, constantInput: Bool, storage: ParameterStorage) {
        self.name = name
        self.mode = mode
        self.constantInput = constantInput
        self.storage = storage
    }

    /// The same build for a child layer called `child`.
    func child(_ child: String, constantInput: Bool) -> TangentBuild {
        var b = self
        b.name = name.isEmpty ? child : name + "." + child
        b.constantInput = constantInput
        return b
    }

    /// The flat index of `parameter`'s first value, checking it lives in `storage`.
    func offset(of parameter: Parameter) throws -> Int {
        guard parameter.storage === storage else {
            throw CurvatureError("Hessian-vector product: a parameter of \(name) is not in the network's storage")
        }
        return parameter.offset
    }
}

/// A layer whose Hessian-vector products can be formed with the R-operator.
protocol TangentLayer: Layer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode
}

/// The node for any layer, or an error naming the layer type that has no R-operator.
public func makeTangentNode(for layer: any Layer, _ build: TangentBuild) throws -> any TangentNode {
    guard let tangentLayer = layer as? any TangentLayer else {
        throw CurvatureError("Hessian-vector product: layer \(build.name.isEmpty ? "(root)" : build.name) of type \(type(of: layer)) is not supported")
    }
    return try tangentLayer.tangentNode(build)
}

/// The cached tensor of an earlier pass; the passes must run in order.
func cached(_ t: DoubleTensor?, _ caller: StaticString = #function) -> DoubleTensor {
    guard let t else { preconditionFailure("R-operator pass \(caller) before the pass that fills its cache") }
    return t
}
