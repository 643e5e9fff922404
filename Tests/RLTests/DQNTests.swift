import Foundation
import Interventions
import Networks
import Testing
import Tensors
import Training
@testable import RL

/// One BLAS thread: the updates are tiny GEMMs, and tests run in parallel.
@Suite struct DQNTests {
    init() { BLAS.setThreads(1) }

    /// A frame with the given cells of channel 0 set (C channels).
    func frame(channels: Int, cells: [Int]) -> [Float] {
        var f = [Float](repeating: 0, count: channels * 100)
        for c in cells { f[c] = 1 }
        return f
    }

    @Test func replayBufferStoresExactlyAndOverwritesTheOldest() {
        let buffer = ReplayBuffer(capacity: 3, observationSize: 200)
        for k in 0..<5 {
            let s = frame(channels: 2, cells: [k, 64 + k, 199]), n = frame(channels: 2, cells: [100 + k])
            s.withUnsafeBufferPointer { sp in
                n.withUnsafeBufferPointer { np in
                    buffer.add(observation: sp.baseAddress!, action: k, reward: Float(k) / 2, terminal: k % 2 == 0,
                               nextObservation: np.baseAddress!)
                }
            }
        }
        #expect(buffer.count == 3 && buffer.added == 5)
        var rng = RandomGenerator(seed: 1)
        var actions = [Int](repeating: 0, count: 64), rewards = [Float](repeating: 0, count: 64)
        var terminals = [Bool](repeating: false, count: 64)
        let states = Tensor(shape: Shape(0)), next = Tensor(shape: Shape(0))
        buffer.sample(rng: &rng, observationShape: Shape(2, 10, 10), states: states, actions: &actions,
                      rewards: &rewards, terminals: &terminals, nextStates: next)
        #expect(states.shape == Shape(64, 2, 10, 10))
        #expect(Set(actions) == [2, 3, 4])
        for row in 0..<64 {
            let k = actions[row]
            #expect(rewards[row] == Float(k) / 2 && terminals[row] == (k % 2 == 0))
            #expect(Array(states.values[(row * 200)..<((row + 1) * 200)]) == frame(channels: 2, cells: [k, 64 + k, 199]))
            #expect(Array(next.values[(row * 200)..<((row + 1) * 200)]) == frame(channels: 2, cells: [100 + k]))
        }
    }

    @Test func epsilonScheduleIsLinearThenFlat() {
        var s = DQNSettings()
        (s.epsilonStart, s.epsilonEnd, s.epsilonFrames) = (1, 0.1, 1000)
        #expect(s.epsilon(atFrame: 0) == 1)
        #expect(abs(s.epsilon(atFrame: 500) - 0.55) < 1e-6)
        #expect(s.epsilon(atFrame: 1000) == 0.1 && s.epsilon(atFrame: 5000) == 0.1)
    }

    @Test func w4NetworkNamesAndShapes() {
        var rng = RandomGenerator(seed: 0)
        var s = DQNSettings()
        let plain = QNetwork.make(channels: 4, actions: 3, settings: s, rng: &rng)
        #expect(plain.parameters.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias",
                                                 "layers.5.weight", "layers.5.bias"])
        #expect(plain.parameters.map(\.parameter.shape) == [Shape(16, 4, 3, 3), Shape(16), Shape(128, 1024), Shape(128),
                                                            Shape(3, 128), Shape(3)])
        s.norm = .layernorm
        s.loss = .distributional(.twoHot, minimum: -10, maximum: 10, bins: 11)
        let normed = QNetwork.make(channels: 10, actions: 6, settings: s, rng: &rng)
        #expect(normed.parameters.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                                                  "layers.4.weight", "layers.4.bias", "layers.5.weight", "layers.5.bias",
                                                  "layers.7.weight", "layers.7.bias"])
        #expect(normed.parameters[2].parameter.shape == Shape(16, 8, 8) && normed.parameters[9].parameter.shape == Shape(66))
        #expect(normed.forward(Tensor(shape: Shape(2, 10, 10, 10)), mode: .evaluation).shape == Shape(2, 66))
    }

    /// Fills the agent's replay with one transition per state: state k (cell k set) has reward
    /// `rewards[k][a]` for action a and is terminal.
    func fillBandit(_ agent: DQNAgent, rewards: [[Float]]) {
        for (k, row) in rewards.enumerated() {
            for (a, r) in row.enumerated() {
                let s = frame(channels: agent.channels, cells: [k * 7])
                s.withUnsafeBufferPointer { p in
                    agent.replay.add(observation: p.baseAddress!, action: a, reward: r, terminal: true, nextObservation: p.baseAddress!)
                }
            }
        }
    }

    @Test func tdTargetsAndLossMatchAnIndependentComputation() throws {
        var s = DQNSettings()
        (s.batchSize, s.replayCapacity, s.gamma, s.doubleDQN) = (4, 10, 0.5, false)
        let agent = try DQNAgent(channels: 4, actions: 3, settings: s, seed: 3)
        // One non-terminal transition: y = r + γ max_a Q_target(s′, a).
        let state = frame(channels: 4, cells: [5, 250]), next = frame(channels: 4, cells: [17])
        state.withUnsafeBufferPointer { sp in
            next.withUnsafeBufferPointer { np in
                agent.replay.add(observation: sp.baseAddress!, action: 2, reward: 1.5, terminal: false, nextObservation: np.baseAddress!)
            }
        }
        // Make the target network differ from the online one so the test sees which is used.
        agent.target.storage.values[0] += 0.5
        let qNext = agent.target.forward(Tensor(shape: Shape(1, 4, 10, 10), values: next), mode: .evaluation).values
        let y = 1.5 + 0.5 * qNext.max()!
        let q = agent.online.forward(Tensor(shape: Shape(1, 4, 10, 10), values: state), mode: .evaluation).values[2]
        let d = q - y
        let expected = abs(d) <= 1 ? 0.5 * d * d : abs(d) - 0.5
        let loss = agent.computeGradients()
        #expect(abs(loss - expected) < 1e-5 * max(1, abs(expected)))
    }

    @Test(arguments: [LossKind.huber(delta: 1), .distributional(.hlGauss(sigma: nil), minimum: -2, maximum: 2, bins: 21)])
    func learnsTheBestActionOfATerminalBandit(loss: LossKind) throws {
        var s = DQNSettings()
        (s.batchSize, s.replayCapacity, s.learningRate, s.loss) = (16, 100, 3e-3, loss)
        let agent = try DQNAgent(channels: 2, actions: 3, settings: s, seed: 1)
        let rewards: [[Float]] = [[0, 1, -1], [1, -1, 0], [-1, 0, 1]]
        fillBandit(agent, rewards: rewards)
        for _ in 0..<400 { _ = agent.computeGradients(); agent.applyUpdate() }
        let states = Tensor(shape: Shape(3, 2, 10, 10), values: (0..<3).flatMap { frame(channels: 2, cells: [$0 * 7]) })
        #expect(agent.greedyActions(states) == [1, 0, 2])
    }

    @Test func continualRunSwitchesGamesAndIsDeterministic() throws {
        func records() throws -> [MetricsRecord] {
            var run = RLRunSettings(games: [.breakout, .freeway], frames: 600, switchEvery: 200)
            (run.logEvery, run.diagnosticsEvery, run.probeSize, run.seed, run.environments) = (100, 200, 32, 5, 2)
            var dqn = DQNSettings()
            (dqn.learningStarts, dqn.batchSize, dqn.replayCapacity, dqn.targetUpdateEvery) = (450, 8, 1000, 50)
            let r = try DQNRun(settings: run, dqn: dqn)
            #expect(r.agent.channels == 10 && r.agent.actionCount == 6)
            var out: [MetricsRecord] = []
            try r.run { out.append($0) }
            #expect(r.agent.updates == 150)
            return out.map { rec in
                var copy = rec
                copy["frames_per_s"] = nil
                copy["elapsed_s"] = nil
                return copy
            }
        }
        let a = try records(), b = try records()
        #expect(a == b)
        let switches = a.filter { $0["event"] == .string("switch") }
        #expect(switches.map { $0["game"] } == [.string("freeway"), .string("breakout")])
        #expect(switches.map { $0["frame"] } == [.int(200), .int(400)])
        let logs = a.filter { $0["event"] == .string("log") }
        #expect(logs.count == 6 && logs.last?["frame"] == .int(600))
        #expect(logs.filter { $0["srank.delta0.01"]?.number != nil }.count == 3)
        #expect(a.last?["event"] == .string("end"))
    }
}

@Suite struct AgentHookTests {
    init() { BLAS.setThreads(1) }

    func run(_ specs: [InterventionSpec]) throws -> (DQNRun, [MetricsRecord]) {
        var settings = RLRunSettings(games: [.breakout], frames: 400)
        (settings.logEvery, settings.seed, settings.interventions) = (200, 2, specs)
        var dqn = DQNSettings()
        (dqn.learningStarts, dqn.batchSize, dqn.replayCapacity) = (100, 8, 1000)
        let r = try DQNRun(settings: settings, dqn: dqn)
        var out: [MetricsRecord] = []
        try r.run { out.append($0) }
        return (r, out)
    }

    @Test func catalogueInterventionsRunAroundEveryUpdate() throws {
        let (plain, _) = try run([])
        let (decayed, _) = try run([InterventionSpec("weight-decay", ["lambda": 2])])
        func norm(_ r: DQNRun) -> Float { r.agent.online.parameterVector().reduce(0) { $0 + $1 * $1 } }
        // 300 updates each followed by θ ← θ(1 − 1e-4 · 2) shrink ‖θ‖² by about 11 %.
        #expect(norm(decayed) < 0.99 * norm(plain))
        let (_, records) = try run([InterventionSpec("redo", ["tau": 0.1, "every": 100])])
        let logs = records.filter { $0["event"] == .string("log") }
        #expect(logs.contains { $0["redo_reset_units"] != nil && $0["redo_dormant_fraction"]?.number != nil })
    }

    /// The diagnostics hook hears ReDo's resets through the context, so the next measurement
    /// reports how many reset units are dormant again, as in supervised runs.
    @Test func diagnosticsReportDormantAgainAfterReDoResets() throws {
        var settings = RLRunSettings(games: [.breakout], frames: 400)
        (settings.logEvery, settings.diagnosticsEvery, settings.probeSize, settings.entkExamples, settings.seed) = (200, 200, 16, 4, 2)
        settings.interventions = [InterventionSpec("redo", ["tau": 10, "every": 50])]
        var dqn = DQNSettings()
        (dqn.learningStarts, dqn.batchSize, dqn.replayCapacity) = (100, 8, 1000)
        let r = try DQNRun(settings: settings, dqn: dqn)
        var logs: [MetricsRecord] = []
        try r.run { if $0["event"] == .string("log") { logs.append($0) } }
        #expect(logs.count == 2)
        let reset = logs.compactMap { $0["redo_reset_units"]?.number }.reduce(0, +)
        #expect(reset > 0)
        let again = try #require(logs.last?["dormant_again.tau0.1"]?.number)
        #expect(again >= 0 && again <= 1)
    }

    @Test func framesAreWrittenAsNumberedSVGFiles() throws {
        let (r, _) = try run([])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rl-frames-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try #require(try r.writeFrame(into: dir))
        #expect(url.lastPathComponent == "frame-000000400.svg")
        let svg = try String(contentsOf: url, encoding: .utf8)
        #expect(svg == r.frameSVG && svg.hasPrefix("<svg") && svg.contains("breakout, frame 400"))
    }

    @Test func plasticityInjectionIsRejected() {
        #expect(throws: RLError.self) { try run([InterventionSpec("plasticity-injection")]) }
    }

    /// SAM with ρ = 0 perturbs nothing, so its recomputed gradient is the plain one and the
    /// run is bit-identical to a run without it; with ρ > 0 the updates differ.
    @Test func samRunsThroughTheSameHookAsInSupervisedTraining() throws {
        let (plain, _) = try run([])
        let (still, _) = try run([InterventionSpec("sam", ["rho": 0])])
        let (sharp, _) = try run([InterventionSpec("sam", ["rho": 0.05])])
        #expect(still.agent.online.parameterVector() == plain.agent.online.parameterVector())
        #expect(sharp.agent.online.parameterVector() != plain.agent.online.parameterVector())
    }

    /// After SAM's hook the gradient buffer holds the TD gradient at θ + ρ·g/‖g‖ of the same
    /// batch against the same targets, and θ itself is unchanged.
    @Test func samLeavesTheTDGradientAtThePerturbedPoint() throws {
        var s = DQNSettings()
        (s.batchSize, s.replayCapacity, s.learningStarts) = (8, 100, 0)
        let agent = try DQNAgent(channels: 4, actions: 3, settings: s, seed: 5)
        var rng = RandomGenerator(seed: 9)
        for _ in 0..<20 {
            let o = (0..<400).map { _ in Float(rng.below(2)) }, n = (0..<400).map { _ in Float(rng.below(2)) }
            o.withUnsafeBufferPointer { op in
                n.withUnsafeBufferPointer { np in
                    agent.replay.add(observation: op.baseAddress!, action: rng.below(3), reward: rng.uniform(), terminal: false,
                                     nextObservation: np.baseAddress!)
                }
            }
        }
        let context = try AgentTrainingContext([InterventionSpec("sam", ["rho": 0.1])], agent: agent, segments: 1,
                                               updatesPerSegment: 10, seed: 0)
        _ = agent.computeGradients()
        let theta = agent.online.parameterVector(), g = Array(agent.online.storage.gradientBuffer)
        let norm = g.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        try context.gradientsComputed()
        let afterHook = Array(agent.online.storage.gradientBuffer)
        #expect(agent.online.parameterVector() == theta)
        let scale = Float(0.1) / Float(norm)
        for i in theta.indices { agent.online.storage.values[i] = theta[i] + scale * g[i] }
        _ = agent.computeTDGradients()
        #expect(Array(agent.online.storage.gradientBuffer) == afterHook)
        #expect(afterHook != g)
    }
}
