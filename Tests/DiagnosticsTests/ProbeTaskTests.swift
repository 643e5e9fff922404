import Testing
import Networks
import Tensors
@testable import Diagnostics

@Suite struct ProbeTaskTests {
    static func makeNetwork() -> Network {
        var rng = RandomGenerator(seed: 99)
        return Network(Sequential(Linear(8, 16, rng: &rng), Activation(.relu), Linear(16, 16, rng: &rng),
                                  Activation(.relu), Linear(16, 4, rng: &rng)))
    }

    static var settings: ProbeTaskSettings {
        var s = ProbeTaskSettings()
        s.steps = 150
        s.batchSize = 16
        s.learningRate = 3e-3
        s.seed = 5
        return s
    }

    @Test func deterministicAndLeavesTheNetworkAlone() throws {
        let net = Self.makeNetwork()
        let x = ReferenceMath.normal(Shape(64, 8), seed: 1)
        let before = net.parameterVector()
        let a = try probeTaskPlasticity(of: net, makeNetwork: Self.makeNetwork, inputs: x, settings: Self.settings)
        let b = try probeTaskPlasticity(of: net, makeNetwork: Self.makeNetwork, inputs: x, settings: Self.settings)
        #expect(a == b && net.parameterVector() == before)
        #expect(a.entries.map(\.name) == ["probe.loss", "probe.loss_fresh", "probe.plasticity_loss"])
        #expect(a["probe.plasticity_loss"] == a["probe.loss"]! - a["probe.loss_fresh"]!)
        var random = Self.settings
        random.target = .randomLabels
        let c = try probeTaskPlasticity(of: net, makeNetwork: Self.makeNetwork, inputs: x, settings: random)
        #expect(c == (try probeTaskPlasticity(of: net, makeNetwork: Self.makeNetwork, inputs: x, settings: random)))
        #expect(c["probe.loss_fresh"]! > 0)
    }

    @Test func aNetworkWithADeadFirstLayerHasLostPlasticity() throws {
        let net = Self.makeNetwork()
        let first = net.hiddenLayers[0].incoming as! Linear
        for u in 0..<16 { ReferenceMath.plant(first, unit: u, bias: -1) }
        let x = ReferenceMath.normal(Shape(64, 8), seed: 1)
        let v = try probeTaskPlasticity(of: net, makeNetwork: Self.makeNetwork, inputs: x, settings: Self.settings)
        #expect(v["probe.plasticity_loss"]! > 0)
        #expect(v["probe.loss_fresh"]! < v["probe.loss"]!)
    }

    @Test func freshDrawIgnoresTheFactorysRandomness() throws {
        var rng = RandomGenerator(seed: 1)
        let other = { Network(Sequential(Linear(8, 16, rng: &rng), Activation(.relu), Linear(16, 16, rng: &rng),
                                         Activation(.relu), Linear(16, 4, rng: &rng))) }
        let net = Self.makeNetwork()
        let x = ReferenceMath.normal(Shape(64, 8), seed: 1)
        let a = try probeTaskPlasticity(of: net, makeNetwork: Self.makeNetwork, inputs: x, settings: Self.settings)
        let b = try probeTaskPlasticity(of: net, makeNetwork: other, inputs: x, settings: Self.settings)
        #expect(a == b)
    }

    /// The scheduled group trains the fresh network once per probe batch and reuses its loss:
    /// measuring two different networks in turn gives exactly the uncached values.
    @Test func theGroupReusesTheFreshLoss() throws {
        let group = DiagnosticGroup.probe(makeNetwork: Self.makeNetwork, settings: Self.settings)
        let x = ReferenceMath.normal(Shape(64, 8), seed: 1)
        let probe = ProbeBatch(inputs: x)
        let trained = Self.makeNetwork()
        let first = trained.hiddenLayers[0].incoming as! Linear
        for u in 0..<8 { ReferenceMath.plant(first, unit: u, bias: -1) }
        for net in [Self.makeNetwork(), trained, Self.makeNetwork()] {
            let cached = try group.compute(DiagnosticContext(network: net, probe: probe, computeGradient: false))
            #expect(cached == (try probeTaskPlasticity(of: net, makeNetwork: Self.makeNetwork, inputs: x, settings: Self.settings)))
        }
        let fresh = try probeTaskPlasticity(of: trained, makeNetwork: Self.makeNetwork, inputs: x, settings: Self.settings)
        let reused = try probeTaskPlasticity(of: trained, makeNetwork: Self.makeNetwork, inputs: x, settings: Self.settings,
                                             freshLoss: 7)
        #expect(reused["probe.loss"] == fresh["probe.loss"] && reused["probe.loss_fresh"] == 7)
    }
}
