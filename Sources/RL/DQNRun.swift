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
    /// Probe states in the empirical NTK (its Gram matrix is n×n per output sum).
    public var entkExamples = 32
    /// Frames between checkpoints (0: none); a checkpoint is taken at the first metrics
    /// record at or after each multiple.
    public var checkpointEvery = 0
    public var stickyActionProbability: Float = 0.1
    /// Catalogue interventions run as hooks around every update (`AgentTrainingContext`).
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
        if diagnosticsEvery < 0 || probeSize <= 0 || entkExamples <= 0 {
            throw RLError("diagnostics-every must be ≥ 0, probe size and eNTK examples positive")
        }
        if checkpointEvery < 0 { throw RLError("checkpoint-every \(checkpointEvery) must be ≥ 0") }
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
/// `frames_per_s`, `elapsed_s`, and, every `diagnosticsEvery` frames, the diagnostics of the
/// online network on a probe batch of replay states (`diagnostics()`);
/// `event = "task_end"` when a game segment ends (at each switch and at the end: `task`,
/// `global_step` = updates, `frame`, `game`, `episodes` and `return_mean_100` of that
/// segment, and the diagnostics when they are on), `"switch"` at each game switch and
/// `"end"` at the end. Segments (`segment`, and `task` of a task_end record) are numbered
/// from 1, as tasks are everywhere a user reads them.
///
/// The run's whole state lives in the object, so `run` can stop at a metrics record
/// (`stop`), be checkpointed (`checkpoint(metadata:)`) and continue in a new process
/// (`restore(from:)`) bit-identically.
public final class DQNRun {
    public let settings: RLRunSettings
    public let agent: DQNAgent
    /// Returns of every finished episode, in order.
    public internal(set) var episodeReturns: [Float] = []
    public internal(set) var frame = 0
    /// The game segment being played (−1 before the first frame).
    public internal(set) var segment = -1
    /// Index in `episodeReturns` of the current segment's first episode.
    var segmentFirstEpisode = 0
    var nextLog: Int
    var nextDiagnostics: Int
    var nextCheckpoint: Int
    /// Seconds spent in earlier sessions of a resumed run.
    var elapsedBefore = 0.0
    /// When this session's `run` started.
    private var sessionStart: Date?
    /// Seconds of playing and learning so far, over every session.
    public var elapsedSeconds: Double { elapsedBefore + (sessionStart.map { Date().timeIntervalSince($0) } ?? 0) }
    var probeRNG: RandomGenerator
    /// The probe batch: replay states, refilled in place before each measurement.
    private let probeStates: Tensor
    private let churnBefore = Tensor(shape: Shape(0))
    /// The hooks' view of the run: the catalogue interventions, then `diagnosticsHook`.
    let hooks: AgentTrainingContext
    /// The diagnostics of supervised runs (`DiagnosticsHook`), on `probeStates`: it keeps
    /// the references (initialisation and game start, parameters only) and the units reset
    /// since the last measurement; the run asks it for values on its frame schedule.
    let diagnosticsHook: DiagnosticsHook
    var environments: (any EnvironmentBatch)?

    public init(settings: RLRunSettings, dqn: DQNSettings) throws {
        try settings.validate()
        self.settings = settings
        agent = try DQNAgent(channels: settings.channelCount, actions: settings.actionCount, settings: dqn, seed: settings.seed)
        probeRNG = RandomGenerator(seed: settings.seed, stream: 3)
        probeStates = Tensor(shape: Shape(settings.probeSize, settings.channelCount, 10, 10))
        nextLog = settings.logEvery
        nextDiagnostics = settings.diagnosticsEvery > 0 ? settings.diagnosticsEvery : Int.max
        nextCheckpoint = settings.checkpointEvery > 0 ? settings.checkpointEvery : Int.max
        let segmentFrames = settings.games.count > 1 ? settings.switchEvery : settings.frames
        let entk = EmpiricalNTKOptions(maximumExamples: settings.entkExamples, full: false)
        diagnosticsHook = DiagnosticsHook(
            probe: ProbeBatch(inputs: probeStates),
            groups: [.units(), .parameters, .features(), .preactivations,
                     DiagnosticGroup(name: "entk") { try entkMetrics(network: $0.network, probe: $0.probe, options: entk) }],
            every: 0, atTaskEnds: false, snapshotsPreactivations: false)
        hooks = try AgentTrainingContext(settings.interventions, agent: agent, segments: settings.segmentCount,
                                         updatesPerSegment: max(segmentFrames / dqn.trainEvery, 1), seed: settings.seed,
                                         diagnostics: diagnosticsHook)
    }

    /// Whether every frame has been played.
    public var isFinished: Bool { frame >= settings.frames }

    /// The environments of the segment being played (nil before the first frame).
    public var currentEnvironments: (any EnvironmentBatch)? { environments }

    func makeEnvironments(segment: Int) throws -> any EnvironmentBatch {
        let game = settings.games[segment % settings.games.count]
        return try MinAtar.batch(game, count: settings.environments, seed: settings.seed &+ UInt64(segment) &* 0x9E37_79B9,
                                 channelCount: settings.channelCount, fullActionSet: settings.continual,
                                 stickyActionProbability: settings.stickyActionProbability)
    }

    /// Fills the probe batch with replay states.
    private func sampleProbe() {
        agent.replay.sampleStates(settings.probeSize, rng: &probeRNG, observationShape: Shape(settings.channelCount, 10, 10),
                                  into: probeStates)
    }

    /// Diagnostics of the online network on the probe batch, from `diagnosticsHook`: the
    /// `units` (with `dormant_again` after ReDo or continual-backprop resets), `parameters`,
    /// `features` and `preactivations` groups (`docs/metrics.md`; no pre-activation drifts),
    /// the empirical NTK of the summed Q outputs on the first `entkExamples` probe states
    /// (`entk.summed.*`, the condition number among them), and `churn` when given (the mean
    /// absolute change of the probe outputs over the last update, `outputChurn`).
    func diagnostics(churn: Double?, isTaskEnd: Bool) throws -> DiagnosticValues {
        var values = try diagnosticsHook.values(hooks, isTaskEnd: isTaskEnd) ?? DiagnosticValues()
        if let churn { values.set("churn", churn) }
        return values
    }

    /// The last up-to-100 returns of episodes finished since episode `first`, averaged.
    private func meanReturn(since first: Int) -> Double? {
        let last = episodeReturns[min(first, episodeReturns.count)...].suffix(100)
        return last.isEmpty ? nil : Double(last.reduce(0, +)) / Double(last.count)
    }

    /// The `task_end` record of the segment being played.
    private func taskEnd(_ envs: any EnvironmentBatch, measure: Bool) throws -> MetricsRecord {
        var r = MetricsRecord([("event", .string("task_end")), ("task", .int(segment + 1)), ("step", .int(agent.updates)),
                               ("global_step", .int(agent.updates)), ("frame", .int(frame)), ("game", .string(envs.game.rawValue)),
                               ("episodes", .int(episodeReturns.count - segmentFirstEpisode))])
        r.set("return_mean_100", meanReturn(since: segmentFirstEpisode))
        if measure && settings.diagnosticsEvery > 0 && agent.replay.count > 0 {
            sampleProbe()
            for (name, value) in try diagnostics(churn: nil, isTaskEnd: true).entries { r.set(name, value) }
        }
        return r
    }

    /// Plays and learns until every frame is played, or until `stop` returns true at a
    /// metrics record. After each record that reaches a multiple of `checkpointEvery`, and
    /// when stopping, `checkpoint` is called (the run is then at a resumable point).
    /// Returns whether the run finished.
    @discardableResult
    public func run(stop: () -> Bool = { false }, checkpoint: () throws -> Void = {},
                    record: (MetricsRecord) throws -> Void) throws -> Bool {
        let dqn = agent.settings, e = settings.environments
        sessionStart = Date()
        var actions = [Int](repeating: 0, count: e)
        let before = Tensor(shape: Shape(e, settings.channelCount, 10, 10))
        var windowReturns = 0.0, windowLengths = 0.0, windowEpisodes = 0, windowLoss = 0.0, windowUpdates = 0
        while frame < settings.frames {
            let wanted = settings.games.count > 1 ? frame / settings.switchEvery : 0
            if wanted != segment {
                if let old = environments { try record(try taskEnd(old, measure: true)) }
                segment = wanted
                segmentFirstEpisode = episodeReturns.count
                let envs = try makeEnvironments(segment: segment)
                environments = envs
                if segment > 0 { try hooks.segmentDidFinish() }
                try hooks.segmentWillStart(segment)
                if segment > 0 {
                    if settings.resetReplayOnSwitch { agent.replay.removeAll() }
                    try record(MetricsRecord([("event", .string("switch")), ("frame", .int(frame)),
                                              ("game", .string(envs.game.rawValue)), ("segment", .int(segment + 1))]))
                }
            }
            let envs = environments!
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
            let logging = frame >= nextLog || frame >= settings.frames
            let measuring = logging && frame >= nextDiagnostics && agent.replay.count > 0
            // One update per `trainEvery` frames played after `learningStarts`.
            let due = frame > dqn.learningStarts ? (frame - dqn.learningStarts) / dqn.trainEvery : 0
            var churn: Double?
            if measuring { sampleProbe() }
            while agent.updates < due {
                let loss = agent.computeGradients()
                guard loss.isFinite else { throw DQNDivergence(loss: loss, frame: frame, update: agent.updates + 1) }
                try hooks.gradientsComputed()
                // Churn of the record's last update on the probe states (not trained on).
                let churnUpdate = measuring && agent.updates == due - 1
                if churnUpdate { churnBefore.assign(agent.online.forward(probeStates, mode: .evaluation)) }
                agent.applyUpdate()
                if churnUpdate { churn = outputChurn(before: churnBefore, after: agent.online.forward(probeStates, mode: .evaluation)) }
                try hooks.updateDidFinish()
                windowLoss += Double(loss)
                windowUpdates += 1
            }
            guard logging else { continue }
            while nextLog <= frame { nextLog += settings.logEvery }
            let elapsed = elapsedSeconds
            var r = MetricsRecord([("event", .string("log")), ("frame", .int(frame)), ("game", .string(envs.game.rawValue)),
                                   ("segment", .int(segment + 1)), ("updates", .int(agent.updates)),
                                   ("episodes", .int(episodeReturns.count))])
            r.set("return_mean", windowEpisodes > 0 ? windowReturns / Double(windowEpisodes) : nil)
            r.set("length_mean", windowEpisodes > 0 ? windowLengths / Double(windowEpisodes) : nil)
            r.set("return_mean_100", meanReturn(since: 0))
            r.set("loss", windowUpdates > 0 ? windowLoss / Double(windowUpdates) : nil)
            r.set("epsilon", Double(epsilon))
            r.set("frames_per_s", Double(frame) / max(elapsed, 1e-9))
            r.set("elapsed_s", elapsed)
            for (name, value) in hooks.takeMetrics().fields { r[name] = value }
            if measuring {
                while nextDiagnostics <= frame { nextDiagnostics += settings.diagnosticsEvery }
                for (name, value) in try diagnostics(churn: churn, isTaskEnd: false).entries { r.set(name, value) }
            }
            try record(r)
            (windowReturns, windowLengths, windowEpisodes, windowLoss, windowUpdates) = (0, 0, 0, 0, 0)
            if frame >= settings.frames { break }
            let stopping = stop()
            if frame >= nextCheckpoint || stopping {
                while nextCheckpoint <= frame { nextCheckpoint += settings.checkpointEvery }
                try checkpoint()
            }
            if stopping { return false }
        }
        if let envs = environments { try record(try taskEnd(envs, measure: true)) }
        try hooks.segmentDidFinish()
        var end = MetricsRecord([("event", .string("end")), ("frame", .int(frame)), ("updates", .int(agent.updates)),
                                 ("episodes", .int(episodeReturns.count))])
        end.set("return_mean_100", meanReturn(since: 0))
        end.set("elapsed_s", elapsedSeconds)
        try record(end)
        return true
    }
}

/// The TD loss became NaN or infinite: the run cannot continue (resuming would diverge again).
public struct DQNDivergence: Error, CustomStringConvertible {
    public let loss: Float
    public let frame: Int
    public let update: Int
    public var description: String { "TD loss became \(loss) at frame \(frame) (update \(update)); lower the learning rate" }
}
