import Tensors

/// One MinAtar environment: a game's rules behind the reference's `Environment` wrapper.
///
/// Sticky actions as the reference: before each frame, with probability p (0.1) the previous
/// action is repeated instead of the chosen one; the previous action persists across resets
/// (the reference never clears `last_action`). One seeded PCG32 generator drives both the
/// sticky draws and the game, as the reference shares one `RandomState` after `seed()`. The
/// stream differs from numpy's, so an episode is not step-identical to the reference's for the
/// same seed, but every draw has the same distribution (`scripts/minatar-reference.py`
/// measures the agreement).
///
/// ```swift
/// var env = MinAtarEnvironment<Breakout>(seed: 1)
/// let (reward, done) = env.act(.left)
/// print(env.rendered)
/// ```
public struct MinAtarEnvironment<Rules: MinAtarRules>: Codable {
    public private(set) var rules: Rules
    public private(set) var rng: RandomGenerator
    /// Probability of repeating the previous action.
    public let stickyActionProbability: Float
    /// The action actually applied last (after stickiness).
    public private(set) var lastAction = MinAtarAction.noop

    /// A fresh environment; `stream` separates environments sharing a seed.
    public init(seed: UInt64, stream: UInt64 = 0, stickyActionProbability: Float = 0.1, ramping: Bool = true) {
        var rng = RandomGenerator(seed: seed, stream: stream)
        rules = Rules(ramping: ramping, rng: &rng)
        self.rng = rng
        self.stickyActionProbability = stickyActionProbability
    }

    /// Starts a new episode.
    public mutating func reset() { rules.reset(rng: &rng) }

    /// One frame; returns the reward and whether the episode has ended.
    @inline(__always)
    public mutating func act(_ action: MinAtarAction) -> (reward: Int, terminal: Bool) {
        let applied = rng.uniform() < stickyActionProbability ? lastAction : action
        lastAction = applied
        let reward = rules.act(applied, rng: &rng)
        return (reward, rules.isTerminal)
    }

    /// The current frame as text (`MinAtarText.render`).
    public var rendered: String { MinAtarText.render(rules.observation, channelNames: Rules.channelNames) }

    private enum CodingKeys: String, CodingKey { case rules, rngState, rngIncrement, stickyActionProbability, lastAction }

    /// Restores an environment saved by `encode(to:)` (a checkpoint), generator included.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decode(Rules.self, forKey: .rules)
        // 64-bit words as decimal strings: JSON numbers are not exact beyond 2^53 everywhere.
        guard let state = UInt64(try c.decode(String.self, forKey: .rngState)),
              let increment = UInt64(try c.decode(String.self, forKey: .rngIncrement)) else {
            throw DecodingError.dataCorruptedError(forKey: .rngState, in: c, debugDescription: "generator state is not a 64-bit integer")
        }
        rng = RandomGenerator(state: state, increment: increment)
        stickyActionProbability = try c.decode(Float.self, forKey: .stickyActionProbability)
        lastAction = try c.decode(MinAtarAction.self, forKey: .lastAction)
    }

    /// Saves the whole state: rules, generator, sticky-action probability and last action.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rules, forKey: .rules)
        try c.encode(String(rng.state), forKey: .rngState)
        try c.encode(String(rng.increment), forKey: .rngIncrement)
        try c.encode(stickyActionProbability, forKey: .stickyActionProbability)
        try c.encode(lastAction, forKey: .lastAction)
    }
}

/// Text frames for debugging: one line per row, each cell the index of the highest active
/// channel (as the reference's `display_state` colours a cell by its highest channel), `.`
/// for an empty cell, then a legend.
///
/// ```
/// ..........
/// 3333333333      0 paddle, 1 ball, 2 trail, 3 brick
/// ```
public enum MinAtarText {
    /// Renders a [C, 10, 10] observation (C ≤ 10).
    public static func render(_ observation: Tensor, channelNames: [String]) -> String {
        let c = observation.shape[0]
        var lines: [String] = []
        for y in 0..<10 {
            var line = ""
            for x in 0..<10 {
                let top = (0..<c).last { observation.data[$0 * 100 + y * 10 + x] != 0 }
                line += top.map(String.init) ?? "."
            }
            lines.append(line)
        }
        let legend = channelNames.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ")
        return lines.joined(separator: "\n") + "\n" + legend
    }
}
