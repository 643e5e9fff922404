import Testing
import Tensors
@testable import Networks

/// The hidden-layer map and unit resets that diagnostics and interventions rely on.
@Suite struct HiddenLayerTests {
    @Test func mlpWithLayerNorm() throws {
        var rng = RandomGenerator(seed: 1)
        let net = try Architecture(family: .mlp, widths: [8, 6], norm: .layernorm).build(inputShape: Shape(5), outputs: 3, rng: &rng)
        let hidden = net.hiddenLayers
        #expect(hidden.map(\.name) == ["layers.1", "layers.4"])
        #expect(hidden[0].normalization is LayerNorm && hidden[0].unitCount == 8 && hidden[1].outgoing?.unitCount == 3)
    }

    @Test func cnnUnitsAreChannelsAndFlattenGroupsPositions() throws {
        var rng = RandomGenerator(seed: 2)
        let net = try Architecture(family: .cnn, widths: [4, 6, 10]).build(inputShape: Shape(1, 8, 8), outputs: 3, rng: &rng)
        let hidden = net.hiddenLayers
        #expect(hidden.map(\.name) == ["layers.0", "layers.3", "layers.7"])
        #expect(hidden[1].unitCount == 6 && hidden[1].outgoingGroup == 4)  // 8×8 → two 2×2 pools → 2×2
        let outgoing = hidden[1].outgoing as! Linear
        let before = hidden[1].incoming.localParameters[0].parameter.valueTensor().values
        let changed = hidden[1].resetUnits([2], rng: &rng)
        let w = outgoing.weight
        for row in 0..<10 { for j in 8..<12 { #expect(w.value[row * 24 + j] == 0) } }
        #expect(w.value[0 * 24 + 7] != 0)
        let after = hidden[1].incoming.localParameters[0].parameter.valueTensor().values
        let perUnit = 4 * 9
        #expect(Array(before[0..<(2 * perUnit)]) == Array(after[0..<(2 * perUnit)]))
        #expect(Array(before[(2 * perUnit)..<(3 * perUnit)]) != Array(after[(2 * perUnit)..<(3 * perUnit)]))
        // Changed indices: 36 incoming weights + 1 bias + 10 rows × 4 outgoing weights.
        #expect(changed.count == 36 + 1 + 40 && Set(changed).count == changed.count)
        for i in changed where i >= w.offset && i < w.offset + w.count { #expect(net.storage.values[i] == 0) }
    }

    @Test func creluResetsBothHalves() throws {
        var rng = RandomGenerator(seed: 3)
        let net = try Architecture(family: .mlp, widths: [4], activation: "crelu").build(inputShape: Shape(3), outputs: 2, rng: &rng)
        let h = net.hiddenLayers[0]
        #expect(h.activationMultiplier == 2)
        h.resetUnits([1], rng: &rng)
        let w = (h.outgoing as! Linear).weight
        for row in 0..<2 {
            #expect(w.value[row * 8 + 1] == 0 && w.value[row * 8 + 5] == 0 && w.value[row * 8 + 0] != 0)
        }
    }
}
