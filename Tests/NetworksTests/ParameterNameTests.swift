import Testing
import Tensors
@testable import Networks

/// One architecture, one set of names: an mlp is named the same on vectors and on images, and
/// state dicts named as before its Flatten was always first still load.
@Suite struct ParameterNameTests {
    static func names(_ net: Network) -> [String] { net.stateDict().map(\.name) }

    @Test(arguments: Architecture.Norm.allCases)
    func mlpNamesDoNotDependOnTheInputRank(norm: Architecture.Norm) throws {
        let arch = try Architecture(family: .mlp, widths: [8, 6], norm: norm)
        var rng = RandomGenerator(seed: 1)
        let vectors = try arch.build(inputShape: [20], outputs: 3, rng: &rng)
        let images = try arch.build(inputShape: [1, 4, 5], outputs: 3, rng: &rng)
        #expect(Self.names(vectors) == Self.names(images))
        #expect(vectors.namedLayers.first { $0.name == "layers.0" }?.layer is Flatten)
        #expect(vectors.parameters.first?.name == "layers.1.weight")
    }

    /// A dict written when a vector mlp began at `layers.0` loads, renamed, with the same values.
    @Test func olderVectorMLPNamesLoadRenamed() throws {
        var rng = RandomGenerator(seed: 2)
        let arch = try Architecture(family: .mlp, widths: [8, 6], norm: .batchnorm)
        let saved = try arch.build(inputShape: [20], outputs: 3, rng: &rng)
        let old = saved.stateDict().map { e in
            let parts = e.name.split(separator: ".")
            let name = (["layers", String(Int(parts[1])! - 1)] + parts.dropFirst(2).map(String.init)).joined(separator: ".")
            return StateEntry(name: name, tensor: e.tensor, storedType: e.storedType)
        }
        #expect(old.map(\.name).prefix(2) == ["layers.0.weight", "layers.0.bias"])
        let fresh = try arch.build(inputShape: [20], outputs: 3, rng: &rng)
        #expect(fresh.parameterVector() != saved.parameterVector())
        let rename = try #require(fresh.legacyRenaming(of: old.map(\.name)))
        #expect(rename("layers.0.weight") == "layers.1.weight" && rename("utility.layers.4") == "utility.layers.5")
        #expect(rename("init.parameters") == "init.parameters")
        try fresh.load(old)
        #expect(fresh.parameterVector() == saved.parameterVector())
        #expect(fresh.stateDict().map(\.tensor.values) == saved.stateDict().map(\.tensor.values))
        // Current names need no renaming; a dict that fits neither way is not renamed, and is
        // refused as it is (here: the old BatchNorm weight sits where the new Linear weight is).
        #expect(fresh.legacyRenaming(of: Self.names(saved)) == nil)
        let broken = Array(old.dropFirst())
        #expect(fresh.legacyRenaming(of: broken.map(\.name)) == nil)
        #expect(throws: StateDictError.self) { try fresh.load(broken) }
        do { try fresh.load(broken) } catch { #expect("\(error)" == "key 'layers.1.weight' has shape [8], the network expects [8, 20]") }
    }
}
