import Tensors

/// MinAtar Asterix (reference: `minatar/environments/asterix.py`, 1.0.15).
///
/// The player moves in four directions (rows 1–8). Enemies and gold enter from the left or
/// right edge of a random free row (8 slots, rows 1–8; gold with probability 1/3) and cross
/// it one cell per move interval; touching gold gives +1 and removes it, touching an enemy ends
/// the episode. Spawns happen every `spawn_speed + 1` frames (initially 10) and moves every
/// `move_speed + 1` frames (initially 5). With ramping, every 100 frames (101 after the first)
/// the spawn interval drops by one and, every second ramp, the move interval too, down to 1.
/// No time limit. Channels: player, enemy, trail, gold. Minimal actions: noop, left, up,
/// right, down.
public struct Asterix: MinAtarRules {
    public static let game = MinAtarGame.asterix
    public static let channelNames = ["player", "enemy", "trail", "gold"]
    public static let minimalActions: [MinAtarAction] = [.noop, .left, .up, .right, .down]
    static let rampInterval = 100, initialSpawnSpeed = 10, initialMoveInterval = 5

    /// An entity in slot s (row s + 1): column, direction (true = moving right), gold or enemy.
    struct Entity: Codable { var x: Int, movesRight: Bool, isGold: Bool, isActive: Bool }

    let ramping: Bool
    var playerX = 5, playerY = 5
    var entities = [Entity](repeating: Entity(x: 0, movesRight: false, isGold: false, isActive: false), count: 8)
    var spawnSpeed = Asterix.initialSpawnSpeed, spawnTimer = Asterix.initialSpawnSpeed
    var moveSpeed = Asterix.initialMoveInterval, moveTimer = Asterix.initialMoveInterval
    var rampTimer = Asterix.rampInterval, rampIndex = 0
    public private(set) var isTerminal = false
    public var difficulty: Int? { rampIndex }

    public init(ramping: Bool = true, rng: inout RandomGenerator) {
        self.ramping = ramping
        reset(rng: &rng)
    }

    public mutating func reset(rng: inout RandomGenerator) {
        playerX = 5
        playerY = 5
        for i in 0..<8 { entities[i].isActive = false }
        spawnSpeed = Asterix.initialSpawnSpeed
        spawnTimer = spawnSpeed
        moveSpeed = Asterix.initialMoveInterval
        moveTimer = moveSpeed
        rampTimer = Asterix.rampInterval
        rampIndex = 0
        isTerminal = false
    }

    /// `_spawn_entity`: side and kind are drawn first; then a uniformly chosen free slot, if any.
    mutating func spawnEntity(rng: inout RandomGenerator) {
        let movesRight = rng.uniform() < 0.5
        let isGold = rng.uniform() < 1.0 / 3.0
        var free = 0
        for e in entities where !e.isActive { free += 1 }
        if free == 0 { return }
        var choice = rng.below(free)
        for i in 0..<8 where !entities[i].isActive {
            if choice == 0 {
                entities[i] = Entity(x: movesRight ? 0 : 9, movesRight: movesRight, isGold: isGold, isActive: true)
                return
            }
            choice -= 1
        }
    }

    /// Resolves contact of slot i with the player: gold is collected, an enemy ends the episode.
    private mutating func touch(_ i: Int, reward: inout Int) {
        guard entities[i].isActive, entities[i].x == playerX, i + 1 == playerY else { return }
        if entities[i].isGold {
            entities[i].isActive = false
            reward += 1
        } else {
            isTerminal = true
        }
    }

    public mutating func act(_ action: MinAtarAction, rng: inout RandomGenerator) -> Int {
        if isTerminal { return 0 }
        var reward = 0
        if spawnTimer == 0 {
            spawnEntity(rng: &rng)
            spawnTimer = spawnSpeed
        }
        switch action {
        case .left: playerX = max(0, playerX - 1)
        case .right: playerX = min(9, playerX + 1)
        case .up: playerY = max(1, playerY - 1)
        case .down: playerY = min(8, playerY + 1)
        default: break
        }
        for i in 0..<8 { touch(i, reward: &reward) }
        if moveTimer == 0 {
            moveTimer = moveSpeed
            for i in 0..<8 where entities[i].isActive {
                entities[i].x += entities[i].movesRight ? 1 : -1
                if entities[i].x < 0 || entities[i].x > 9 {
                    entities[i].isActive = false
                } else {
                    touch(i, reward: &reward)
                }
            }
        }
        spawnTimer -= 1
        moveTimer -= 1
        if ramping && (spawnSpeed > 1 || moveSpeed > 1) {
            if rampTimer >= 0 {
                rampTimer -= 1
            } else {
                if moveSpeed > 1 && rampIndex % 2 == 1 { moveSpeed -= 1 }
                if spawnSpeed > 1 { spawnSpeed -= 1 }
                rampIndex += 1
                rampTimer = Asterix.rampInterval
            }
        }
        return reward
    }

    public func writeObservation(_ planes: UnsafeMutablePointer<Float>) {
        mark(planes, 0, playerY, playerX)
        for i in 0..<8 where entities[i].isActive {
            let e = entities[i]
            mark(planes, e.isGold ? 3 : 1, i + 1, e.x)
            let back = e.movesRight ? e.x - 1 : e.x + 1
            if back >= 0 && back <= 9 { mark(planes, 2, i + 1, back) }
        }
    }
}
