import Networks
import Tensors
import Testing
@testable import Training
@testable import Interventions

/// ReDo and continual backprop: which units they re-initialise and what that does.
@Suite struct UnitResetTests {
    /// A network whose hidden units 1, 4 and 6 are dead on every input (bias −100).
    func networkWithDeadUnits() -> Network {
        let net = Fixture.mlp(hidden: 8, seed: 5)
        let bias = net.parameter(named: "layers.0.bias")!
        for u in [1, 4, 6] { bias.value[u] = -100 }
        return net
    }

    func dormantUnits(_ net: Network, _ x: Tensor, tau: Float) -> [Int] {
        _ = net.forward(x, mode: .evaluation)
        let activity = net.hiddenLayers[0].meanAbsoluteActivation()!.map(Double.init)
        return DormancyScores.dormant(activity, threshold: Double(tau))
    }

    /// τ = 0: the dead units are recycled and no dead unit is left; their outgoing weights
    /// are zero and their optimiser entries (incoming and outgoing) are cleared.
    @Test func redoRecyclesDeadUnits() throws {
        let net = networkWithDeadUnits()
        let t = try Fixture.trainer(net, optimizer: { Adam($0, learningRate: 0.01) })
        try t.train(steps: 3)
        #expect(dormantUnits(net, t.batchInputs, tau: 0) == [1, 4, 6])
        let out = net.parameter(named: "layers.2.weight")!
        for u in [1, 4, 6] { for r in 0..<4 { out.value[r * 8 + u] = 0.5 } }
        let before = net.parameterVector()
        try ReDo.make(["tau": 0, "every": 3]).stepDidFinish(t)
        #expect(dormantUnits(net, t.batchInputs, tau: 0).isEmpty)
        for r in 0..<4 { for u in [1, 4, 6] { #expect(out.value[r * 8 + u] == 0) } }
        let incoming = net.hiddenLayers[0].incomingIndices([1, 4, 6])
        let after = net.parameterVector()
        #expect(incoming.allSatisfy { after[$0] != before[$0] })
        let reset = Set(incoming + [1, 4, 6].flatMap { u in (0..<4).map { 40 + $0 * 8 + u } })
        for (_, v) in t.optimizer.stateVectors() {
            #expect(reset.allSatisfy { v[$0] == 0 })
            #expect(v.indices.contains { !reset.contains($0) && v[$0] != 0 })
        }
        #expect(t.pendingMetrics["redo_reset_units"] == .int(3))
    }

    /// τ = 0.1: every recycled unit is active right after the reset. Scores are relative to
    /// the layer's mean activity, which the revived units raise, so on this fixture the
    /// paper's single pass (the default) leaves unit 2, scored just above τ before, dormant;
    /// `passes = 4` repeats the pass until no unit is τ-dormant.
    @Test func redoLeavesNoTauDormantUnit() throws {
        for (passes, leftDormant) in [(1, [2]), (4, [])] {
            let net = networkWithDeadUnits()
            let t = try Fixture.trainer(net)
            try t.train(steps: 3)
            let dormant = dormantUnits(net, t.batchInputs, tau: 0.1)
            #expect(!dormant.isEmpty && !dormant.contains(2))
            try (passes == 1 ? ReDo.make(["every": 3]) : ReDo.make(["every": 3, "passes": Double(passes)])).stepDidFinish(t)
            #expect(Set(dormantUnits(net, t.batchInputs, tau: 0.1)).isDisjoint(with: dormant))
            #expect(dormantUnits(net, t.batchInputs, tau: 0.1) == leftDormant)
            #expect(t.pendingMetrics["redo_dormant_after"] == .int(leftDormant.count))
            #expect(t.pendingMetrics["redo_passes"] == .int(passes == 1 ? 1 : 2))
        }
    }

    @Test func redoWaitsForItsPeriod() throws {
        let net = networkWithDeadUnits()
        let t = try Fixture.trainer(net)
        try t.train(steps: 3)
        let before = net.parameterVector()
        try ReDo.make(["every": 2]).stepDidFinish(t)
        #expect(net.parameterVector() == before)
    }

    /// 4 hidden units, ρ = 0.25, maturity 5: no unit is mature before step 6; then the
    /// accumulator gains 0.25 per mature unit and replaced units are immature again:
    /// step 6: 4 mature → 1.0 → replace 1 (left 0); step 7: 3 → 0.75; step 8: 3 → 1.5 →
    /// replace 1 (0.5); step 9: 2 → 1.0 → replace 1 (0); step 10: 1 → 0.25. Total 3.
    @Test func continualBackpropReplacesTheExpectedNumberOfUnits() throws {
        let hook = try ContinualBackprop.make(["rho": 0.25, "maturity": 5])
        let t = try Fixture.trainer(Fixture.mlp(hidden: 4), steps: 20, hooks: [hook])
        var replaced: [Int] = []
        for step in 1...10 {
            try t.train(steps: step)
            if case .int(let n) = t.pendingMetrics["cbp_replaced"] { replaced.append(n) } else { replaced.append(0) }
            t.pendingMetrics = MetricsRecord()
        }
        #expect(replaced == [0, 0, 0, 0, 0, 1, 0, 1, 1, 0])
        #expect(hook.age["layers.0"]!.filter { $0 <= 5 }.count == 3)
        #expect(abs(hook.accumulated["layers.0"]! - 0.25) < 1e-6)
    }

    /// The replaced unit is the mature one of lowest utility (a dead unit): its incoming
    /// weights are re-drawn and its outgoing weights zeroed.
    @Test func continualBackpropReplacesTheLowestUtilityUnit() throws {
        let net = Fixture.mlp(hidden: 4)
        net.parameter(named: "layers.0.bias")!.value[2] = -100
        let hook = try ContinualBackprop.make(["rho": 0.25, "maturity": 5])
        let t = try Fixture.trainer(net, steps: 20, hooks: [hook])
        try t.train(steps: 6)
        #expect(net.parameter(named: "layers.0.bias")!.value[2] > -1)
        let out = net.parameter(named: "layers.2.weight")!
        #expect((0..<4).allSatisfy { out.value[$0 * 4 + 2] == 0 })
        #expect(hook.age["layers.0"] == [6, 6, 0, 6] && hook.utility["layers.0"]![2] == 0)
    }

    /// Every reset is announced to the trainer's other hooks with its layer and units.
    @Test func resetsAreAnnouncedToOtherHooks() throws {
        final class Listener: TrainingHook {
            let name = "listener"
            var heard: [(step: Int, layer: String, units: [Int])] = []
            func unitsWereReset(_ trainer: any TrainingContext, layer: String, units: [Int]) {
                heard.append((trainer.position.globalStep, layer, units))
            }
        }
        let net = networkWithDeadUnits()
        let t = try Fixture.trainer(net)
        let listener = Listener()
        t.hooks = [listener]
        try t.train(steps: 3)
        try ReDo.make(["tau": 0, "every": 3]).stepDidFinish(t)
        #expect(listener.heard.count == 1)
        #expect(listener.heard.first?.step == 3 && listener.heard.first?.layer == "layers.0" && listener.heard.first?.units == [1, 4, 6])
    }
}
