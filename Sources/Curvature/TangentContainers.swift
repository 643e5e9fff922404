import Networks
import Tensors

extension Sequential: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode {
        var constant = build.constantInput
        var nodes: [any TangentNode] = []
        for (i, layer) in layers.enumerated() {
            nodes.append(try makeTangentNode(for: layer, build.child(String(i), constantInput: constant)))
            constant = constant && layer.namedParameters().isEmpty
        }
        return SequentialTangentNode(nodes)
    }
}

extension Residual: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode {
        ResidualTangentNode(body: try makeTangentNode(for: body, build.child("body", constantInput: build.constantInput)),
                            shortcut: try shortcut.map { try makeTangentNode(for: $0, build.child("shortcut", constantInput: build.constantInput)) })
    }
}

extension Flatten: TangentLayer {
    func tangentNode(_ build: TangentBuild) throws -> any TangentNode { FlattenTangentNode() }
}

/// Layers in order: every pass chains the children (forward and tangent first to last,
/// both backward passes last to first).
final class SequentialTangentNode: TangentNode {
    let nodes: [any TangentNode]

    init(_ nodes: [any TangentNode]) { self.nodes = nodes }

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        nodes.reduce(x) { $1.forward($0, parameters: theta) }
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        nodes.reversed().reduce(gy) { $1.backward($0, parameters: theta, gradient: gradient) }
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor {
        nodes.reduce(dx) { $1.tangent($0, parameters: theta, direction: v) }
    }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        nodes.reversed().reduce(dgy) { $1.rBackward($0, parameters: theta, direction: v, product: hv) }
    }
}

/// y = body(x) + shortcut(x) (identity shortcut when nil). Every pass is the sum of the two
/// branches' passes; with an identity shortcut the branch contributes x, ẋ, g_y, ġ_y.
final class ResidualTangentNode: TangentNode {
    let body: any TangentNode
    let shortcut: (any TangentNode)?
    private let output = DoubleTensor(shape: Shape(0))
    private let tangentOutput = DoubleTensor(shape: Shape(0))
    private let inputGradient = DoubleTensor(shape: Shape(0))
    private let inputRGradient = DoubleTensor(shape: Shape(0))

    init(body: any TangentNode, shortcut: (any TangentNode)?) {
        self.body = body
        self.shortcut = shortcut
    }

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        sum(body.forward(x, parameters: theta), shortcut?.forward(x, parameters: theta) ?? x, into: output)
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        sum(body.backward(gy, parameters: theta, gradient: gradient),
            shortcut?.backward(gy, parameters: theta, gradient: gradient) ?? gy, into: inputGradient)
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor {
        sum(body.tangent(dx, parameters: theta, direction: v),
            shortcut?.tangent(dx, parameters: theta, direction: v) ?? dx, into: tangentOutput)
    }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        sum(body.rBackward(dgy, parameters: theta, direction: v, product: hv),
            shortcut?.rBackward(dgy, parameters: theta, direction: v, product: hv) ?? dgy, into: inputRGradient)
    }

    private func sum(_ a: DoubleTensor, _ b: DoubleTensor, into out: DoubleTensor) -> DoubleTensor {
        precondition(a.shape == b.shape, "Residual: body \(a.shape) and shortcut \(b.shape) differ")
        out.resize(to: a.shape)
        let p = a.data, q = b.data, y = out.data
        for i in 0..<out.count { y[i] = p[i] + q[i] }
        return out
    }
}

/// [N, …] → [N, ∏…] as a view; the backward passes view the gradient back.
final class FlattenTangentNode: TangentNode {
    private var inputShape = Shape(0)

    func forward(_ x: DoubleTensor, parameters theta: UnsafePointer<Double>) -> DoubleTensor {
        inputShape = x.shape
        return flat(x)
    }

    func backward(_ gy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                  gradient: UnsafeMutablePointer<Double>) -> DoubleTensor {
        DoubleTensor(viewing: gy, as: inputShape)
    }

    func tangent(_ dx: DoubleTensor, parameters theta: UnsafePointer<Double>,
                 direction v: UnsafePointer<Double>) -> DoubleTensor { flat(dx) }

    func rBackward(_ dgy: DoubleTensor, parameters theta: UnsafePointer<Double>,
                   direction v: UnsafePointer<Double>, product hv: UnsafeMutablePointer<Double>) -> DoubleTensor {
        DoubleTensor(viewing: dgy, as: inputShape)
    }

    private func flat(_ x: DoubleTensor) -> DoubleTensor {
        DoubleTensor(viewing: x, as: Shape(x.shape[0], x.shape.trailingCount))
    }
}
