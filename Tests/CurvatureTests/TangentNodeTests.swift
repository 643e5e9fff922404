import Curvature
import Networks
import Tensors
import Testing

/// The R-operator nodes on their own: the forward pass reproduces the network, and the
/// tangent pass is the directional derivative ∂_ε f(x; θ + εv), checked against central
/// differences of the forward pass in Double.
@Suite struct TangentNodeTests {
    func network() -> Network {
        var rng = RandomGenerator(seed: 7)
        return Network(Sequential(Conv2d(1, 2, kernelSize: 3, rng: &rng), LayerNorm(Shape(2, 2, 2)), Activation(.tanh),
                                  Flatten(), Linear(8, 3, rng: &rng)))
    }

    func node(_ net: Network) throws -> any TangentNode {
        try makeTangentNode(for: net.root, TangentBuild(name: net.prefix, mode: .evaluation, constantInput: true, storage: net.storage))
    }

    func input() -> Tensor {
        var rng = RandomGenerator(seed: 3)
        return Tensor(shape: Shape(2, 1, 4, 4), values: (0..<32).map { _ in rng.uniform(-1, 1) })
    }

    @Test func forwardReproducesTheNetworkInDouble() throws {
        let net = network(), x = input()
        let expected = net.forward(x, mode: .evaluation).values
        let theta = net.storage.valueBuffer.map(Double.init)
        let y = try theta.withUnsafeBufferPointer { try node(net).forward(DoubleTensor(x), parameters: $0.baseAddress!) }
        #expect(y.shape == Shape(2, 3))
        for i in 0..<y.count { #expect(abs(y.data[i] - Double(expected[i])) < 1e-5) }
    }

    @Test func tangentIsTheDirectionalDerivative() throws {
        let net = network(), x = DoubleTensor(input())
        let theta = net.storage.valueBuffer.map(Double.init)
        var rng = RandomGenerator(seed: 5)
        let v = theta.map { _ in Double(rng.uniform(-1, 1)) }
        func output(_ t: [Double]) throws -> [Double] {
            let n = try node(net)
            let y = t.withUnsafeBufferPointer { n.forward(x, parameters: $0.baseAddress!) }
            return (0..<y.count).map { y.data[$0] }
        }
        let n = try node(net)
        let tangent: [Double] = theta.withUnsafeBufferPointer { t in
            v.withUnsafeBufferPointer { d in
                _ = n.forward(x, parameters: t.baseAddress!)
                let dy = n.tangent(DoubleTensor(shape: x.shape), parameters: t.baseAddress!, direction: d.baseAddress!)
                return (0..<dy.count).map { dy.data[$0] }
            }
        }
        let h = 1e-5
        let plus = try output(zip(theta, v).map { $0 + h * $1 }), minus = try output(zip(theta, v).map { $0 - h * $1 })
        for i in tangent.indices {
            let numeric = (plus[i] - minus[i]) / (2 * h)
            #expect(abs(tangent[i] - numeric) < 1e-7 * max(1, abs(numeric)))
        }
    }

    @Test func aLayerWithoutAnROperatorIsNamed() {
        final class Doubler: Layer {
            var lastInput: Tensor? { nil }
            var lastOutput: Tensor? { nil }
            func forward(_ input: Tensor, mode: Mode) -> Tensor { input }
            func backward(_ outputGradient: Tensor) -> Tensor { outputGradient }
        }
        let net = Network(Sequential(Doubler()))
        #expect(throws: CurvatureError("Hessian-vector product: layer layers.0 of type Doubler is not supported")) { try node(net) }
    }
}
