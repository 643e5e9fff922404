import Diagnostics
import Foundation
import Interventions
import Networks
import Tensors
import Training

/// What a DQN run plays: one game, or continual MinAtar (Abbas et al. 2023 use the same
/// protocol on Atari): games in order, switching every `switchEvery` frames and cycling, with
/// observations zero-padded to 10 channels and the full six-action set so that one network
/// serves every game; the network, optimiser and replay buffer carry across switches.
public struct RLRunSettings: Sendable, Equatable {
    /// The games, in play order.
    public var games: [MinAtarGame]
    /// Total frames (environment steps summed over the parallel environments).
    public var frames: Int
    /// Frames per game before switching (continual); ignored with one game.
    public var switchEvery: Int
    /// Continual MinAtar: pad to 10 channels and use all six actions (true whenever
    /// `games.count > 1`).
    public var continual: Bool
    /// Parallel environments stepped together.
    public var environments = 1
    public var seed: UInt64 = 0
    /// Empty the replay buffer at each game switch.
    public var resetReplayOnSwitch = false
    /// Frames between metrics records.
    public var logEvery = 5000
    /// Frames between diagnostic measurements (0: none).
    public var diagnosticsEvery = 0
    /// Replay states in each diagnostic probe batch.
    public var probeSize = 256
    public var stickyActionProbability: Float = 0.1
    /// Catalogue interventions run as hooks around every update (`AgentHooks`).
    public var interventions: [InterventionSpec] = []

    public init(games: [MinAtarGame], frames: Int, switchEvery: Int? = nil) {
        self.games = games
        self.frames = frames
        self.switchEvery = switchEvery ?? frames
        continual = games.count > 1
    }

    /// Throws an `RLError` naming the first invalid field.
    public func validate() throws {
        if games.isEmpty { throw RLError("no games given") }
        if frames <= 0 { throw RLError("frames \(frames) must be positive") }
        if switchEvery <= 0 { throw RLError("switch-every \(switchEvery) must be positive") }
        if environments <= 0 { throw RLError("environments \(environments) must be positive") }
        if logEvery <= 0 { throw RLError("log-every \(logEvery) must be positive") }
        if diagnosticsEvery < 0 || probeSize <= 0 { throw RLError("diagnostics-every must be ≥ 0 and probe size positive") }
        if !(0...1).contains(stickyActionProbability) { throw RLError("sticky action probability must be in [0, 1]") }
    }

    /// Game segments played (one per switch, plus the first).
    public var segmentCount: Int { games.count > 1 ? (frames + switchEvery - 1) / switchEvery : 1 }

    /// Observation channels the agent sees.
    public var channelCount: Int { continual ? MinAtarGame.maximumChannelCount : games[0].channelCount }
    /// Actions the agent chooses from.
    public var actionCount: Int { continual ? MinAtarAction.allCases.count : games[0].minimalActions.count }
}

/// Trains a `DQNAgent` on MinAtar and reports metrics records: `event = "log"` every
/// `logEvery` frames with `frame`, `game`, `segment`, `updates`, `episodes`, `return_mean`
/// and `length_mean` (episodes finished since the last record), `return_mean_100` (last 100
/// episodes), `loss` (mean over the updates since the last record), `epsilon`,
/// `frames_per_s`, `elapsed_s`, and, every `diagnosticsEvery` frames, the diagnostics
/// (`units`, `parameters` and `features` groups, `docs/metrics.md`) of the online network on
/// a probe batch of replay states; `event = "switch"` at each game switch and `"end"` at the end.
public final class DQNRun {
    public let settings: RLRunSettings
    public let agent: DQNAgent
    /// Returns of every finished episode, in order.
    public private(set) var episodeReturns: [Float] = []
    public private(set) var frame = 0
    private var references = DiagnosticReferences()
    private var probeRNG: RandomGenerator
    private let probeStates = Tensor(shape: Shape(0))
    private let hooks: AgentHooks?

    public init(settings: RLRunSettings, dqn: DQNSettings) throws {
        try settings.validate()
        self.settings = settings
        agent = try DQNAgent(channels: settings.channelCount, actions: settings.actionCount, settings: dqn, seed: settings.seed)
        probeRNG = RandomGenerator(seed: settings.seed, stream: 3)
        references.initial = .init(parameters: agent.online.parameterVector(), preactivations: [])
        let segmentFrames = settings.games.count > 1 ? settings.switchEvery : settings.frames
        hooks = settings.interventions.isEmpty ? nil
            : try AgentHooks(settings.interventions, agent: agent, segments: settings.segmentCount,
                             updatesPerSegment: max(segmentFrames / dqn.trainEvery, 1), seed: settings.seed)
    }

    private func makeEnvironments(segment: Int) throws -> any EnvironmentBatch {
        let game = settings.games[segment % settings.games.count]
        return try MinAtar.batch(game, count: settings.environments, seed: settings.seed &+ UInt64(segment) &* 0x9E37_79B9,
                                 channelCount: settings.channelCount, fullActionSet: settings.continual,
                                 stickyActionProbability: settings.stickyActionProbability)
    }

    /// Diagnostics of the online network on replay states.
    func diagnostics() throws -> DiagnosticValues {
        agent.replay.sampleStates(settings.probeSize, rng: &probeRNG, observationShape: Shape(settings.channelCount, 10, 10),
                                  into: probeStates)
        let context = DiagnosticContext(network: agent.online, probe: ProbeBatch(inputs: probeStates),
                                        references: references, computeGradient: false)
        var values = DiagnosticValues()
        for group in [DiagnosticGroup.units(), .parameters, .features()] { values.merge(try group.compute(context)) }
        return values
    }

    /// Plays and learns for `settings.frames` frames.
    public func run(record: (MetricsRecord) throws -> Void) throws {
        let dqn = agent.settings, e = settings.environments
        let start = Date()
        var actions = [Int](repeating: 0, count: e)
        let before = Tensor(shape: Shape(e, settings.channelCount, 10, 10))
        var windowReturns = 0.0, windowLengths = 0.0, windowEpisodes = 0, windowLoss = 0.0, windowUpdates = 0
        var nextLog = settings.logEvery
        var nextDiagnostics = settings.diagnosticsEvery > 0 ? settings.diagnosticsEvery : Int.max
        var segment = -1
        var envs = try makeEnvironments(segment: 0)
        while frame < settings.frames {
            let wanted = settings.games.count > 1 ? frame / settings.switchEvery : 0
            if wanted != segment {
                segment = wanted
                envs = try makeEnvironments(segment: segment)
                references.taskStart = .init(parameters: agent.online.parameterVector(), preactivations: [])
                if segment > 0 { try hooks?.segmentDidFinish() }
                try hooks?.segmentWillStart(segment)
                if segment > 0 {
                    if settings.resetReplayOnSwitch { agent.replay.removeAll() }
                    try record(MetricsRecord([("event", .string("switch")), ("frame", .int(frame)),
                                              ("game", .string(envs.game.rawValue)), ("segment", .int(segment))]))
                }
            }
            before.data.update(from: envs.observations.data, count: before.count)
            let epsilon = frame < dqn.learningStarts ? 1 : dqn.epsilon(atFrame: frame)
            agent.act(envs.observations, epsilon: epsilon, into: &actions)
            envs.step(actions)
            agent.remember(before: before, actions: actions, envs: envs)
            for i in 0..<e where envs.terminals[i] {
                episodeReturns.append(envs.episodeReturns[i])
                windowReturns += Double(envs.episodeReturns[i])
                windowLengths += Double(envs.episodeLengths[i])
                windowEpisodes += 1
            }
            frame += e
            // One update per `trainEvery` frames played after `learningStarts`.
            let due = frame > dqn.learningStarts ? (frame - dqn.learningStarts) / dqn.trainEvery : 0
            while agent.updates < due {
                let loss = agent.computeGradients()
                guard loss.isFinite else {
                    throw RLError("TD loss became \(loss) at frame \(frame) (update \(agent.updates + 1)); lower the learning rate")
                }
                try hooks?.gradientsComputed()
                agent.applyUpdate()
                try hooks?.updateDidFinish()
                windowLoss += Double(loss)
                windowUpdates += 1
            }
            if frame >= nextLog || frame >= settings.frames {
                nextLog += settings.logEvery
                let elapsed = Date().timeIntervalSince(start)
                var r = MetricsRecord([("event", .string("log")), ("frame", .int(frame)), ("game", .string(envs.game.rawValue)),
                                       ("segment", .int(segment)), ("updates", .int(agent.updates)),
                                       ("episodes", .int(episodeReturns.count))])
                r.set("return_mean", windowEpisodes > 0 ? windowReturns / Double(windowEpisodes) : nil)
                r.set("length_mean", windowEpisodes > 0 ? windowLengths / Double(windowEpisodes) : nil)
                let last = episodeReturns.suffix(100)
                r.set("return_mean_100", last.isEmpty ? nil : Double(last.reduce(0, +)) / Double(last.count))
                r.set("loss", windowUpdates > 0 ? windowLoss / Double(windowUpdates) : nil)
                r.set("epsilon", Double(epsilon))
                r.set("frames_per_s", Double(frame) / max(elapsed, 1e-9))
                r.set("elapsed_s", elapsed)
                if let reported = hooks?.takeMetrics() { for (name, value) in reported.fields { r[name] = value } }
                if frame >= nextDiagnostics && agent.replay.count > 0 {
                    while nextDiagnostics <= frame { nextDiagnostics += settings.diagnosticsEvery }
                    for (name, value) in try diagnostics().entries { r.set(name, value) }
                }
                try record(r)
                (windowReturns, windowLengths, windowEpisodes, windowLoss, windowUpdates) = (0, 0, 0, 0, 0)
            }
        }
        try hooks?.segmentDidFinish()
        let last = episodeReturns.suffix(100)
        var end = MetricsRecord([("event", .string("end")), ("frame", .int(frame)), ("updates", .int(agent.updates)),
                                 ("episodes", .int(episodeReturns.count))])
        end.set("return_mean_100", last.isEmpty ? nil : Double(last.reduce(0, +)) / Double(last.count))
        end.set("elapsed_s", Date().timeIntervalSince(start))
        try record(end)
    }
}
