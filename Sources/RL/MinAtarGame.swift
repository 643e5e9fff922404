import Tensors

/// The five MinAtar games (Young & Tian 2019, "MinAtar: An Atari-inspired testbed for thorough
/// and reproducible reinforcement learning experiments"), by the reference package's module
/// names (`minatar.environments.<name>`, minatar 1.0.15).
public enum MinAtarGame: String, Sendable, CaseIterable {
    case asterix, breakout, freeway, seaquest
    case spaceInvaders = "space_invaders"

    /// Parses a game name: the module name, or the same without the underscore or with a
    /// hyphen (`space_invaders`, `spaceinvaders`, `space-invaders`), any case.
    public init(name: String) throws {
        let key = String(name.lowercased().map { $0 == "-" ? "_" : $0 })
        if let game = MinAtarGame(rawValue: key) ?? (key == "spaceinvaders" ? .spaceInvaders : nil) {
            self = game
        } else {
            throw RLError("unknown MinAtar game '\(name)' (valid: \(MinAtarGame.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    /// Observation channel names in the reference's order (`Env.channels`).
    public var channelNames: [String] {
        switch self {
        case .asterix: Asterix.channelNames
        case .breakout: Breakout.channelNames
        case .freeway: Freeway.channelNames
        case .seaquest: Seaquest.channelNames
        case .spaceInvaders: SpaceInvaders.channelNames
        }
    }

    /// Number of observation channels.
    public var channelCount: Int { channelNames.count }

    /// The reference's `minimal_action_set()`: the actions with a distinct effect, as indices
    /// of the full set `MinAtarAction`.
    public var minimalActions: [MinAtarAction] {
        switch self {
        case .asterix: Asterix.minimalActions
        case .breakout: Breakout.minimalActions
        case .freeway: Freeway.minimalActions
        case .seaquest: Seaquest.minimalActions
        case .spaceInvaders: SpaceInvaders.minimalActions
        }
    }

    /// The largest channel count of any game (Seaquest's 10), the padded width of continual MinAtar.
    public static let maximumChannelCount = 10
}

/// The full MinAtar action set, in the reference's order (`action_map = ['n','l','u','r','d','f']`).
public enum MinAtarAction: Int, Sendable, CaseIterable, Codable {
    case noop = 0, left, up, right, down, fire
}

/// The rules of one MinAtar game: the state, the dynamics of one frame and the observation.
///
/// A conforming type is a value whose `act` follows the reference `Env.act` line by line,
/// drawing its randomness from the generator it is given (the reference draws from a numpy
/// `RandomState`, so the streams differ and episodes are not step-identical, but every draw
/// has the same distribution and happens at the same point of the frame).
public protocol MinAtarRules: Codable {
    /// The game.
    static var game: MinAtarGame { get }
    /// Channel names in order.
    static var channelNames: [String] { get }
    /// The minimal action set.
    static var minimalActions: [MinAtarAction] { get }
    /// A game in its start state; `ramping` enables difficulty ramping where the game has it.
    init(ramping: Bool, rng: inout RandomGenerator)
    /// Back to the start state (the reference `reset()`).
    mutating func reset(rng: inout RandomGenerator)
    /// One frame under `action`; returns the reward (the reference `act`, after the sticky-action
    /// wrapper). A terminal game returns 0 and does not change.
    mutating func act(_ action: MinAtarAction, rng: inout RandomGenerator) -> Int
    /// Whether the episode has ended.
    var isTerminal: Bool { get }
    /// The difficulty ramp level (`difficulty_ramp()`), nil for games without ramping.
    var difficulty: Int? { get }
    /// Sets the active cells of the observation: `planes` points at `channelNames.count` zeroed
    /// 10×10 planes, row-major (channel, row y, column x), the reference `state()[y, x, c]`.
    func writeObservation(_ planes: UnsafeMutablePointer<Float>)
}

extension MinAtarRules {
    /// The observation as a [C, 10, 10] tensor (allocates; for tests and debugging).
    public var observation: Tensor {
        let t = Tensor(shape: Shape(Self.channelNames.count, 10, 10))
        writeObservation(t.data)
        return t
    }
}

/// Marks cell (y, x) of channel c in a stack of 10×10 planes.
@inline(__always) func mark(_ planes: UnsafeMutablePointer<Float>, _ c: Int, _ y: Int, _ x: Int) {
    planes[c &* 100 &+ y &* 10 &+ x] = 1
}

/// A problem with an RL setting or input; `description` is one line.
public struct RLError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
