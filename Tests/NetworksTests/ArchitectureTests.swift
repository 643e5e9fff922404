import Foundation
import Testing
import Tensors
@testable import Networks

/// Architectures by name: shapes, PyTorch-equal state dicts, trainability, config errors.
@Suite struct ArchitectureTests {
    /// A batch of N standard-normal examples of shape `example`.
    static func batch(_ n: Int, _ example: Shape, seed: UInt64 = 7) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let x = Tensor(shape: Shape([n] + example.dimensions))
        rng.fillNormal(x.buffer)
        return x
    }

    /// Small widths per family so that the tests run fast in debug builds.
    static func smallWidths(_ family: Architecture.Family) -> [Int] {
        switch family {
        case .mlp: [32, 16]
        case .cnn: [4, 8, 16]
        case .cnnDeep: [4, 4, 8, 8, 16]
        case .resnet: [4, 8, 8]
        }
    }

    /// The error text `body` throws, or nil.
    static func errorText(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    // MARK: forward shapes

    @Test(arguments: Architecture.Family.allCases, Architecture.Norm.allCases)
    func forwardGivesOneRowOfLogitsPerExample(family: Architecture.Family, norm: Architecture.Norm) throws {
        let inputs: [Shape] = switch family {
        case .mlp: [[784], [1, 28, 28]]
        case .cnn, .cnnDeep: [[1, 28, 28], [3, 32, 32]]
        case .resnet: [[3, 32, 32]]
        }
        let widths = family == .resnet ? nil : Self.smallWidths(family)   // resnet: the default ResNet-8
        let activations = family == .resnet ? ["relu"] : ["relu", "crelu", "fourier"]
        for input in inputs {
            for activation in activations {
                let arch = try Architecture(family: family, widths: widths, activation: activation, norm: norm)
                var rng = RandomGenerator(seed: 1)
                let net = try arch.build(inputShape: input, outputs: 10, rng: &rng)
                for mode in [Mode.training, .evaluation] {
                    let y = net.forward(Self.batch(3, input), mode: mode)
                    #expect(y.shape == Shape(3, 10), "\(arch) on \(input)")
                    #expect(y.values.allSatisfy { $0.isFinite }, "\(arch) on \(input)")
                }
            }
        }
    }

    /// Skipping the input gradient (training's backward) leaves every parameter gradient
    /// bit-identical and returns zeros; the next full backward computes dL/dx again.
    @Test(arguments: Architecture.Family.allCases)
    func skippedInputGradientChangesNoParameterGradient(family: Architecture.Family) throws {
        let input: Shape = family == .mlp ? [1, 28, 28] : [3, 16, 16]
        let arch = try Architecture(family: family, widths: family == .resnet ? nil : Self.smallWidths(family))
        var rng = RandomGenerator(seed: 1)
        let net = try arch.build(inputShape: input, outputs: 10, rng: &rng)
        let x = Self.batch(3, input), seed = Self.batch(3, [10], seed: 9)
        func gradients(_ inputGradient: Bool) -> (parameters: [Float], input: [Float]) {
            net.zeroGradients()
            _ = net.forward(x, mode: .training)
            let dx = net.backward(seed, inputGradient: inputGradient).values
            return (Array(net.storage.gradientBuffer), dx)
        }
        let full = gradients(true), skipped = gradients(false), again = gradients(true)
        #expect(skipped.parameters == full.parameters)
        #expect(skipped.input.allSatisfy { $0 == 0 } && full.input.contains { $0 != 0 })
        #expect(again.input == full.input)
    }

    @Test func creluDoublesTheInputsOfTheNextLayer() throws {
        var rng = RandomGenerator(seed: 0)
        let mlp = try Architecture(family: .mlp, widths: [8, 6], activation: "crelu").build(inputShape: [5], outputs: 2, rng: &rng)
        #expect(mlp.parameters.map(\.parameter.shape) == [[8, 5], [8], [6, 16], [6], [2, 12], [2]])
        let cnn = try Architecture(family: .cnn, widths: [2, 3, 4], activation: "crelu").build(inputShape: [1, 8, 8], outputs: 2, rng: &rng)
        #expect(cnn.parameters.map(\.parameter.shape) == [[2, 1, 3, 3], [2], [3, 4, 3, 3], [3], [4, 6 * 2 * 2], [4], [2, 8], [2]])
    }

    // MARK: PyTorch equivalence

    /// The configurations of `Fixtures/make_architecture_names.py` (keep the two tables equal).
    static let fixtureConfigurations: [(Architecture.Family, [Int], String, Architecture.Norm, Int, Shape, Int)] = [
        (.mlp, [256, 256], "relu", .none, 1, [784], 10),
        (.mlp, [64, 32], "tanh", .layernorm, 1, [1, 28, 28], 10),
        (.mlp, [16, 8], "crelu", .batchnorm, 1, [20], 3),
        (.cnn, [32, 64, 128], "relu", .none, 1, [1, 28, 28], 10),
        (.cnn, [4, 8, 16], "crelu", .batchnorm, 1, [3, 32, 32], 10),
        (.cnn, [4, 8, 16], "gelu", .layernorm, 1, [1, 28, 28], 10),
        (.cnnDeep, [4, 4, 8, 8, 16], "leaky_relu", .batchnorm, 1, [3, 32, 32], 10),
        (.resnet, [16, 32, 64], "relu", .batchnorm, 1, [3, 32, 32], 10),
        (.resnet, [4, 8], "sigmoid", .layernorm, 2, [3, 16, 16], 5),
        (.resnet, [4, 4], "relu", .none, 1, [3, 8, 8], 2),
    ]

    /// `{"<description> in=[…] out=K": [[name, shape], …]}` in PyTorch `state_dict()` order.
    static func torchStateDicts() throws -> [String: [(name: String, shape: [Int])]] {
        let url = try #require(Bundle.module.url(forResource: "architecture_names", withExtension: "json",
                                                 subdirectory: "Fixtures"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: [[Any]]])
        return try json.mapValues { entries in
            try entries.map { (try #require($0[0] as? String), try #require($0[1] as? [Int])) }
        }
    }

    @Test func stateDictNamesAndShapesEqualPyTorch() throws {
        let torch = try Self.torchStateDicts()
        #expect(torch.count == Self.fixtureConfigurations.count)
        for (family, widths, activation, norm, blocks, input, outputs) in Self.fixtureConfigurations {
            let arch = try Architecture(family: family, widths: widths, activation: activation, norm: norm, blocksPerStage: blocks)
            let key = "\(arch) in=\(input) out=\(outputs)"
            let expected = try #require(torch[key], "no fixture for \(key)")
            var rng = RandomGenerator(seed: 0)
            let net = try arch.build(inputShape: input, outputs: outputs, rng: &rng)

            let ours = net.stateDict().map { "\($0.name) \($0.tensor.shape)" }
            let theirs = expected.map { "\($0.name) \(Shape($0.shape))" }
            #expect(ours.count == theirs.count, "\(key)")
            #expect(Set(ours) == Set(theirs), "\(key)")

            let buffers = ["running_mean", "running_var", "num_batches_tracked"]
            let torchParameters = expected.filter { e in !buffers.contains { e.name.hasSuffix($0) } }
            #expect(net.parameters.map(\.name) == torchParameters.map(\.name), "\(key): parameter order")
            #expect(net.parameterCount == torchParameters.reduce(0) { $0 + $1.shape.reduce(1, *) }, "\(key)")
        }
    }

    @Test func parameterCountsOfTheStandardNetworksMatchPyTorch() throws {
        var rng = RandomGenerator(seed: 0)
        let mlp = try Architecture(family: .mlp).build(inputShape: [784], outputs: 10, rng: &rng)
        let w3 = try Architecture(family: .cnn).build(inputShape: [1, 28, 28], outputs: 10, rng: &rng)
        let resnet8 = try Architecture(family: .resnet, norm: .batchnorm).build(inputShape: [3, 32, 32], outputs: 10, rng: &rng)
        #expect(mlp.parameterCount == 269_322)      // sum(p.numel()) of the PyTorch modules
        #expect(w3.parameterCount == 421_642)
        #expect(resnet8.parameterCount == 78_042)
    }

    // MARK: training

    @Test(arguments: Architecture.Family.allCases, Architecture.Norm.allCases)
    func oneSGDStepReducesTheLoss(family: Architecture.Family, norm: Architecture.Norm) throws {
        let input: Shape = family == .mlp ? [1, 8, 8] : [3, 8, 8]
        let arch = try Architecture(family: family, widths: Self.smallWidths(family), norm: norm)
        var rng = RandomGenerator(seed: 3)
        let net = try arch.build(inputShape: input, outputs: 4, rng: &rng)
        let x = Self.batch(16, input)
        let labels = (0..<16).map { _ in rng.below(4) }
        let ce = CrossEntropyLoss(), sgd = SGD(net.storage, learningRate: 0.01)

        net.zeroGradients()
        let before = ce(net.forward(x, mode: .training), labels)
        net.backward(ce.gradient)
        sgd.step()
        let after = ce(net.forward(x, mode: .training), labels)
        #expect(after < before, "\(arch): \(before) → \(after)")
    }

    // MARK: names and errors

    @Test func descriptionsAndDefaults() throws {
        #expect(try Architecture(family: .mlp).description == "mlp[256,256] relu norm=none")
        #expect(try Architecture(family: .cnn).widths == [32, 64, 128])
        #expect(try Architecture(family: .cnnDeep, norm: .layernorm).description == "cnn-deep[32,32,64,64,128] relu norm=layernorm")
        #expect(try Architecture(family: .resnet, norm: .batchnorm, blocksPerStage: 2).description
                == "resnet[16,32,64] relu norm=batchnorm blocks=2")
        #expect(Architecture.Family(rawValue: "cnn-deep") == .cnnDeep)
    }

    @Test func invalidConfigurationsGiveOneLineMessages() throws {
        var rng = RandomGenerator(seed: 0)
        let cases: [(String?, String)] = [
            (Self.errorText { try Architecture(family: .mlp, activation: "relux") },
             "activation: unknown 'relux' (valid: relu, leaky_relu, tanh, sigmoid, gelu, identity, crelu, fourier)"),
            (Self.errorText { try Architecture(family: .mlp, widths: []) },
             "widths: [] has 0 values (mlp needs one or more hidden widths)"),
            (Self.errorText { try Architecture(family: .cnn, widths: [32, 64]) },
             "widths: [32, 64] has 2 values (cnn needs 3: conv, conv, hidden)"),
            (Self.errorText { try Architecture(family: .mlp, widths: [16, 0]) },
             "widths: [16, 0] contains a width ≤ 0 (all must be positive)"),
            (Self.errorText { try Architecture(family: .resnet, activation: "crelu") },
             "activation: 'crelu' is not supported for resnet (valid: relu, leaky_relu, tanh, sigmoid, gelu, identity)"),
            (Self.errorText { try Architecture(family: .resnet, blocksPerStage: 0) },
             "blocksPerStage: 0 (must be 1 or more)"),
            (Self.errorText { try Architecture(family: .cnn).build(inputShape: [784], outputs: 10, rng: &rng) },
             "inputShape: [784] has rank 1 (cnn needs [C, H, W])"),
            (Self.errorText { try Architecture(family: .cnn).build(inputShape: [1, 3, 3], outputs: 10, rng: &rng) },
             "inputShape: [1, 3, 3] is too small for cnn (a 2×2 max-pool leaves an empty feature map)"),
            (Self.errorText { try Architecture(family: .mlp).build(inputShape: [784], outputs: 0, rng: &rng) },
             "outputs: 0 (must be 1 or more)"),
        ]
        for (actual, expected) in cases {
            #expect(actual == expected)
            #expect(actual?.contains("\n") == false)
        }
    }
}
