import Tensors

/// MinAtar Seaquest (reference: `minatar/environments/seaquest.py`, 1.0.15).
///
/// The player's submarine (front and back cell; rows 0–8) fires bullets forward (cool-down 5
/// frames). Enemy fish and submarines enter rows 1–8 from either edge (submarines with
/// probability 1/3; no spawn into a row already crossed in the opposite direction) and move
/// one cell per `move_speed + 1` frames; enemy submarines shoot every 11 frames. Shooting an
/// enemy gives +1. Divers (every 30 frames) are picked up by touching them, up to 6. Oxygen
/// (200) falls by one per frame below the surface. Surfacing (row 0) with divers refills the
/// oxygen, removes one diver (all six, and pays ⌊oxygen·10/200⌋, when six are aboard) and
/// ramps the difficulty (spawn interval −1 down to 1; move interval −1 every second surfacing,
/// down to 2). The episode ends when an enemy or enemy bullet touches the submarine, oxygen
/// runs out, or the submarine surfaces with no divers. No time limit.
///
/// Like the reference, surfacing with six divers leaves the diver count at −1 (it is zeroed and
/// then decremented), so the next surfacing does not end the episode. Lists keep the
/// reference's order and are walked in the same directions, so hits resolve identically.
/// Channels: sub_front, sub_back, friendly_bullet, trail, enemy_bullet, enemy_fish, enemy_sub,
/// oxygen_guage, diver_guage, diver. Minimal actions: all six.
public struct Seaquest: MinAtarRules {
    public static let game = MinAtarGame.seaquest
    public static let channelNames = ["sub_front", "sub_back", "friendly_bullet", "trail", "enemy_bullet",
                                      "enemy_fish", "enemy_sub", "oxygen_guage", "diver_guage", "diver"]
    public static let minimalActions: [MinAtarAction] = [.noop, .left, .up, .right, .down, .fire]
    static let maxOxygen = 200, initialSpawnSpeed = 20, diverSpawnSpeed = 30, initialMoveInterval = 5
    static let shotCoolDown = 5, enemyShotInterval = 10, diverMoveInterval = 5

    /// A bullet: cell and direction (true = moving right).
    struct Bullet: Codable { var x: Int, y: Int, movesRight: Bool }
    /// A fish, diver or enemy submarine: cell, direction, frames until it moves, and for
    /// submarines frames until it shoots.
    struct Mover: Codable { var x: Int, y: Int, movesRight: Bool, timer: Int, shotTimer = 0 }

    let ramping: Bool
    var oxygen = Seaquest.maxOxygen, diverCount = 0
    var subX = 5, subY = 0, facesRight = false
    var friendlyBullets: [Bullet] = [], enemyBullets: [Bullet] = []
    var fish: [Mover] = [], enemySubs: [Mover] = [], divers: [Mover] = []
    var enemySpawnSpeed = Seaquest.initialSpawnSpeed, enemySpawnTimer = Seaquest.initialSpawnSpeed
    var diverSpawnTimer = Seaquest.diverSpawnSpeed
    var moveSpeed = Seaquest.initialMoveInterval, rampIndex = 0, shotTimer = 0
    var surfaced = true
    public private(set) var isTerminal = false
    public var difficulty: Int? { rampIndex }

    public init(ramping: Bool = true, rng: inout RandomGenerator) {
        self.ramping = ramping
        friendlyBullets.reserveCapacity(16)
        enemyBullets.reserveCapacity(32)
        fish.reserveCapacity(32)
        enemySubs.reserveCapacity(32)
        divers.reserveCapacity(16)
        reset(rng: &rng)
    }

    public mutating func reset(rng: inout RandomGenerator) {
        oxygen = Seaquest.maxOxygen
        diverCount = 0
        subX = 5
        subY = 0
        facesRight = false
        friendlyBullets.removeAll(keepingCapacity: true)
        enemyBullets.removeAll(keepingCapacity: true)
        fish.removeAll(keepingCapacity: true)
        enemySubs.removeAll(keepingCapacity: true)
        divers.removeAll(keepingCapacity: true)
        enemySpawnSpeed = Seaquest.initialSpawnSpeed
        enemySpawnTimer = enemySpawnSpeed
        diverSpawnTimer = Seaquest.diverSpawnSpeed
        moveSpeed = Seaquest.initialMoveInterval
        rampIndex = 0
        shotTimer = 0
        surfaced = true
        isTerminal = false
    }

    /// `_spawn_enemy`: side, kind and row (1…8) are drawn, then the spawn is skipped if a
    /// fish or submarine already crosses that row the other way.
    mutating func spawnEnemy(rng: inout RandomGenerator) {
        let movesRight = rng.uniform() < 0.5
        let isSub = rng.uniform() < 1.0 / 3.0
        let y = 1 + rng.below(8)
        for m in enemySubs where m.y == y && m.movesRight != movesRight { return }
        for m in fish where m.y == y && m.movesRight != movesRight { return }
        let mover = Mover(x: movesRight ? 0 : 9, y: y, movesRight: movesRight, timer: moveSpeed,
                          shotTimer: Seaquest.enemyShotInterval)
        if isSub { enemySubs.append(mover) } else { fish.append(mover) }
    }

    /// `_spawn_diver`: side and row (1…8).
    mutating func spawnDiver(rng: inout RandomGenerator) {
        let movesRight = rng.uniform() < 0.5
        let y = 1 + rng.below(8)
        divers.append(Mover(x: movesRight ? 0 : 9, y: y, movesRight: movesRight, timer: Seaquest.diverMoveInterval))
    }

    @inline(__always) private func touchesSub(_ x: Int, _ y: Int) -> Bool { x == subX && y == subY }

    /// Removes the first friendly bullet on (x, y), as the reference's forward scan does.
    private mutating func removeFriendlyBullet(at x: Int, _ y: Int) -> Bool {
        guard let j = friendlyBullets.firstIndex(where: { $0.x == x && $0.y == y }) else { return false }
        friendlyBullets.remove(at: j)
        return true
    }

    /// One frame of the enemies of one list (fish, or submarines when `shoots`), walked from
    /// the last to the first as the reference's `reversed(...)`.
    private mutating func moveEnemies(_ list: inout [Mover], shoots: Bool, reward: inout Int) {
        var i = list.count - 1
        while i >= 0 && i < list.count {
            var m = list[i]
            var removed = false
            if touchesSub(m.x, m.y) { isTerminal = true }
            if m.timer == 0 {
                m.timer = moveSpeed
                m.x += m.movesRight ? 1 : -1
                if m.x < 0 || m.x > 9 {
                    removed = true
                } else if touchesSub(m.x, m.y) {
                    isTerminal = true
                } else if removeFriendlyBullet(at: m.x, m.y) {
                    removed = true
                    reward += 1
                }
            } else {
                m.timer -= 1
            }
            // A submarine removed this frame still fires if its timer is up (as the reference).
            if shoots {
                if m.shotTimer == 0 {
                    m.shotTimer = Seaquest.enemyShotInterval
                    enemyBullets.append(Bullet(x: m.x, y: m.y, movesRight: m.movesRight))
                } else {
                    m.shotTimer -= 1
                }
            }
            if removed { list.remove(at: i) } else { list[i] = m }
            i -= 1
        }
    }

    public mutating func act(_ action: MinAtarAction, rng: inout RandomGenerator) -> Int {
        if isTerminal { return 0 }
        var reward = 0
        if enemySpawnTimer == 0 {
            spawnEnemy(rng: &rng)
            enemySpawnTimer = enemySpawnSpeed
        }
        if diverSpawnTimer == 0 {
            spawnDiver(rng: &rng)
            diverSpawnTimer = Seaquest.diverSpawnSpeed
        }
        switch action {
        case .fire where shotTimer == 0:
            friendlyBullets.append(Bullet(x: subX, y: subY, movesRight: facesRight))
            shotTimer = Seaquest.shotCoolDown
        case .left: subX = max(0, subX - 1); facesRight = false
        case .right: subX = min(9, subX + 1); facesRight = true
        case .up: subY = max(0, subY - 1)
        case .down: subY = min(8, subY + 1)
        default: break
        }

        // Friendly bullets: move; a bullet leaving the screen is removed; one meeting a fish
        // (checked first) or an enemy submarine removes both.
        var i = friendlyBullets.count - 1
        while i >= 0 && i < friendlyBullets.count {
            friendlyBullets[i].x += friendlyBullets[i].movesRight ? 1 : -1
            let b = friendlyBullets[i]
            if b.x < 0 || b.x > 9 {
                friendlyBullets.remove(at: i)
            } else if let j = fish.firstIndex(where: { $0.x == b.x && $0.y == b.y }) {
                fish.remove(at: j)
                friendlyBullets.remove(at: i)
                reward += 1
            } else if let j = enemySubs.firstIndex(where: { $0.x == b.x && $0.y == b.y }) {
                enemySubs.remove(at: j)
                friendlyBullets.remove(at: i)
                reward += 1
            }
            i -= 1
        }

        // Divers: picked up on contact (fewer than 6 aboard), otherwise they move.
        i = divers.count - 1
        while i >= 0 && i < divers.count {
            if touchesSub(divers[i].x, divers[i].y) && diverCount < 6 {
                divers.remove(at: i)
                diverCount += 1
            } else if divers[i].timer == 0 {
                divers[i].timer = Seaquest.diverMoveInterval
                divers[i].x += divers[i].movesRight ? 1 : -1
                if divers[i].x < 0 || divers[i].x > 9 {
                    divers.remove(at: i)
                } else if touchesSub(divers[i].x, divers[i].y) && diverCount < 6 {
                    divers.remove(at: i)
                    diverCount += 1
                }
            } else {
                divers[i].timer -= 1
            }
            i -= 1
        }

        var subs = enemySubs
        enemySubs = []  // moved out and back so the walk can also edit the other lists
        moveEnemies(&subs, shoots: true, reward: &reward)
        enemySubs = subs

        i = enemyBullets.count - 1
        while i >= 0 && i < enemyBullets.count {
            if touchesSub(enemyBullets[i].x, enemyBullets[i].y) { isTerminal = true }
            enemyBullets[i].x += enemyBullets[i].movesRight ? 1 : -1
            if enemyBullets[i].x < 0 || enemyBullets[i].x > 9 {
                enemyBullets.remove(at: i)
            } else if touchesSub(enemyBullets[i].x, enemyBullets[i].y) {
                isTerminal = true
            }
            i -= 1
        }

        var school = fish
        fish = []
        moveEnemies(&school, shoots: false, reward: &reward)
        fish = school

        if enemySpawnTimer > 0 { enemySpawnTimer -= 1 }
        if diverSpawnTimer > 0 { diverSpawnTimer -= 1 }
        if shotTimer > 0 { shotTimer -= 1 }
        if oxygen <= 0 { isTerminal = true }
        if subY > 0 {
            oxygen -= 1
            surfaced = false
        } else if !surfaced {
            if diverCount == 0 { isTerminal = true } else { reward += surface() }
        }
        return reward
    }

    /// `_surface`: refill oxygen, drop divers (paying for a full load) and ramp the difficulty.
    mutating func surface() -> Int {
        surfaced = true
        var reward = 0
        if diverCount == 6 {
            diverCount = 0
            reward = oxygen * 10 / Seaquest.maxOxygen
        }
        oxygen = Seaquest.maxOxygen
        diverCount -= 1
        if ramping && (enemySpawnSpeed > 1 || moveSpeed > 2) {
            if moveSpeed > 2 && rampIndex % 2 == 1 { moveSpeed -= 1 }
            if enemySpawnSpeed > 1 { enemySpawnSpeed -= 1 }
            rampIndex += 1
        }
        return reward
    }

    public func writeObservation(_ planes: UnsafeMutablePointer<Float>) {
        mark(planes, 0, subY, subX)
        // numpy wraps index −1 to 9; the sub never faces right at column 0, so this is moot.
        mark(planes, 1, subY, ((facesRight ? subX - 1 : subX + 1) + 10) % 10)
        let oxygenCells = max(0, oxygen) * 10 / Seaquest.maxOxygen
        for x in 0..<oxygenCells { mark(planes, 7, 9, x) }
        if diverCount > 0 { for x in (9 - diverCount)..<9 { mark(planes, 8, 9, x) } }
        for b in friendlyBullets { mark(planes, 2, b.y, b.x) }
        for b in enemyBullets { mark(planes, 4, b.y, b.x) }
        func markWithTrail(_ list: [Mover], _ channel: Int) {
            for m in list {
                mark(planes, channel, m.y, m.x)
                let back = m.movesRight ? m.x - 1 : m.x + 1
                if back >= 0 && back <= 9 { mark(planes, 3, m.y, back) }
            }
        }
        markWithTrail(fish, 5)
        markWithTrail(enemySubs, 6)
        markWithTrail(divers, 9)
    }
}
