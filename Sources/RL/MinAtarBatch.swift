import Foundation
import Tensors

/// N MinAtar environments of one game stepped together into one preallocated observation
/// tensor [N, C, 10, 10] (NCHW, the layout `Conv2d` takes), with no allocation per step.
///
/// Environment i uses `RandomGenerator(seed: seed, stream: i)`. Actions are indices into
/// `actionSet` (the game's minimal set, or all six). An environment whose episode ends is
/// reset at once: after `step`, `terminals[i]` says the transition ended an episode,
/// `episodeReturns[i]`/`episodeLengths[i]` then hold that episode's totals, and the
/// observation is already the next episode's first frame. `channelCount` may exceed the
/// game's own channels (continual MinAtar pads to 10): the extra planes stay zero.
///
/// ```swift
/// let envs = try MinAtar.batch(.breakout, count: 8, seed: 0)
/// envs.reset()
/// envs.step([0, 1, 2, 0, 1, 2, 0, 1])   // envs.observations, envs.rewards, envs.terminals
/// ```
public protocol EnvironmentBatch: AnyObject {
    var game: MinAtarGame { get }
    /// Number of environments N.
    var count: Int { get }
    /// Observation channels C (the game's, or more when padded).
    var channelCount: Int { get }
    /// The actions an action index selects.
    var actionSet: [MinAtarAction] { get }
    /// [N, C, 10, 10]: the current frame of every environment.
    var observations: Tensor { get }
    /// Reward of each environment's last step.
    var rewards: [Float] { get }
    /// Whether each environment's last step ended its episode.
    var terminals: [Bool] { get }
    /// Return of the episode environment i just finished (valid where `terminals[i]`).
    var episodeReturns: [Float] { get }
    /// Length in frames of the episode environment i just finished (valid where `terminals[i]`).
    var episodeLengths: [Int] { get }
    /// Resets every environment and writes the first observations.
    func reset()
    /// Steps environment i with `actionSet[actions[i]]`.
    func step(_ actions: [Int])
    /// The batch's whole state as JSON (every environment's rules, generator and last
    /// action, and the episode counters), for checkpoints.
    func encodedState() throws -> Data
    /// Restores a state written by `encodedState()` of a batch of the same game and size
    /// and rewrites the observations; throws an `RLError` if it does not fit.
    func restore(encodedState: Data) throws
}

/// Builds environment batches by game name.
public enum MinAtar {
    /// A batch of `count` environments of `game`, seeded from `seed`; `channelCount` pads the
    /// observation (nil: the game's own count); `fullActionSet` uses all six actions.
    public static func batch(_ game: MinAtarGame, count: Int, seed: UInt64, channelCount: Int? = nil,
                             fullActionSet: Bool = false, stickyActionProbability: Float = 0.1,
                             ramping: Bool = true) throws -> any EnvironmentBatch {
        guard count > 0 else { throw RLError("environment count \(count) must be at least 1") }
        let channels = channelCount ?? game.channelCount
        guard channels >= game.channelCount else {
            throw RLError("\(channels) observation channels cannot hold \(game.rawValue)'s \(game.channelCount)")
        }
        guard (0...1).contains(stickyActionProbability) else {
            throw RLError("sticky action probability \(stickyActionProbability) is outside [0, 1]")
        }
        let actions = fullActionSet ? MinAtarAction.allCases : game.minimalActions
        func make<R: MinAtarRules>(_: R.Type) -> any EnvironmentBatch {
            GameBatch<R>(count: count, seed: seed, channelCount: channels, actionSet: actions,
                         stickyActionProbability: stickyActionProbability, ramping: ramping)
        }
        switch game {
        case .asterix: return make(Asterix.self)
        case .breakout: return make(Breakout.self)
        case .freeway: return make(Freeway.self)
        case .seaquest: return make(Seaquest.self)
        case .spaceInvaders: return make(SpaceInvaders.self)
        }
    }
}

/// The batch for one game's rules (specialised, so each step is direct calls).
final class GameBatch<Rules: MinAtarRules>: EnvironmentBatch {
    var game: MinAtarGame { Rules.game }
    let count: Int
    let channelCount: Int
    let actionSet: [MinAtarAction]
    let observations: Tensor
    private(set) var rewards: [Float]
    private(set) var terminals: [Bool]
    private(set) var episodeReturns: [Float]
    private(set) var episodeLengths: [Int]
    private var environments: [MinAtarEnvironment<Rules>]
    private var runningReturns: [Float]
    private var runningLengths: [Int]

    init(count: Int, seed: UInt64, channelCount: Int, actionSet: [MinAtarAction],
         stickyActionProbability: Float, ramping: Bool) {
        self.count = count
        self.channelCount = channelCount
        self.actionSet = actionSet
        observations = Tensor(shape: Shape(count, channelCount, 10, 10))
        environments = (0..<count).map {
            MinAtarEnvironment(seed: seed, stream: UInt64($0), stickyActionProbability: stickyActionProbability, ramping: ramping)
        }
        rewards = [Float](repeating: 0, count: count)
        terminals = [Bool](repeating: false, count: count)
        episodeReturns = [Float](repeating: 0, count: count)
        episodeLengths = [Int](repeating: 0, count: count)
        runningReturns = [Float](repeating: 0, count: count)
        runningLengths = [Int](repeating: 0, count: count)
        writeObservations()
    }

    /// What `encodedState()` writes.
    private struct State: Codable {
        var game: String
        var environments: [MinAtarEnvironment<Rules>]
        var rewards: [Float], terminals: [Bool], episodeReturns: [Float], episodeLengths: [Int]
        var runningReturns: [Float], runningLengths: [Int]
    }

    func encodedState() throws -> Data {
        try JSONEncoder().encode(State(game: game.rawValue, environments: environments, rewards: rewards, terminals: terminals,
                                       episodeReturns: episodeReturns, episodeLengths: episodeLengths,
                                       runningReturns: runningReturns, runningLengths: runningLengths))
    }

    func restore(encodedState data: Data) throws {
        let s: State
        do { s = try JSONDecoder().decode(State.self, from: data) } catch {
            throw RLError("environment state is not a saved \(game.rawValue) batch: \(error)")
        }
        let counts = [s.environments.count, s.rewards.count, s.terminals.count, s.episodeReturns.count,
                      s.episodeLengths.count, s.runningReturns.count, s.runningLengths.count]
        guard s.game == game.rawValue, counts.allSatisfy({ $0 == count }) else {
            throw RLError("environment state holds \(s.game) × \(s.environments.count), this batch is \(game.rawValue) × \(count)")
        }
        environments = s.environments
        (rewards, terminals, episodeReturns, episodeLengths) = (s.rewards, s.terminals, s.episodeReturns, s.episodeLengths)
        (runningReturns, runningLengths) = (s.runningReturns, s.runningLengths)
        writeObservations()
    }

    func reset() {
        environments.withUnsafeMutableBufferPointer { envs in
            for i in envs.indices { envs[i].reset() }
        }
        for i in 0..<count { runningReturns[i] = 0; runningLengths[i] = 0; terminals[i] = false; rewards[i] = 0 }
        writeObservations()
    }

    @_specialize(where Rules == Asterix)
    @_specialize(where Rules == Breakout)
    @_specialize(where Rules == Freeway)
    @_specialize(where Rules == Seaquest)
    @_specialize(where Rules == SpaceInvaders)
    private func writeObservations() {
        let planes = channelCount * 100, out = observations.data
        out.update(repeating: 0, count: count * planes)
        environments.withUnsafeBufferPointer { envs in
            for i in envs.indices { envs[i].rules.writeObservation(out + i * planes) }
        }
    }

    // The methods are reached through the protocol, i.e. unspecialised: these attributes make
    // the generic entry point dispatch to a version compiled for each game.
    @_specialize(where Rules == Asterix)
    @_specialize(where Rules == Breakout)
    @_specialize(where Rules == Freeway)
    @_specialize(where Rules == Seaquest)
    @_specialize(where Rules == SpaceInvaders)
    func step(_ actions: [Int]) {
        precondition(actions.count == count, "\(actions.count) actions for \(count) environments")
        let planes = channelCount * 100, out = observations.data
        let actionCount = actionSet.count
        actionSet.withUnsafeBufferPointer { set in
        environments.withUnsafeMutableBufferPointer { envs in
        rewards.withUnsafeMutableBufferPointer { rewards in
        terminals.withUnsafeMutableBufferPointer { terminals in
        runningReturns.withUnsafeMutableBufferPointer { returns in
        runningLengths.withUnsafeMutableBufferPointer { lengths in
            for i in 0..<count {
                let choice = actions[i]
                precondition(choice >= 0 && choice < actionCount, "action index \(choice) outside 0..<\(actionCount)")
                let (reward, terminal) = envs[i].act(set[choice])
                rewards[i] = Float(reward)
                terminals[i] = terminal
                returns[i] += Float(reward)
                lengths[i] += 1
                if terminal {
                    episodeReturns[i] = returns[i]
                    episodeLengths[i] = lengths[i]
                    returns[i] = 0
                    lengths[i] = 0
                    envs[i].reset()
                }
                let planesOut = out + i * planes
                planesOut.update(repeating: 0, count: planes)
                envs[i].rules.writeObservation(planesOut)
            }
        }}}}}}
    }
}
