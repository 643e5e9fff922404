import Tensors

/// MinAtar Space Invaders (reference: `minatar/environments/space_invaders.py`, 1.0.15).
///
/// The cannon (row 9) moves left and right and fires bullets upward (cool-down 5 frames). A
/// 4×6 block of aliens (rows 0–3, columns 2–7) marches sideways, stepping down and turning when
/// one reaches an edge; it moves every min(aliens left, interval) frames, so it speeds up as
/// aliens die. Every 10 frames the alien nearest the cannon's column (the lowest alien of the
/// nearest non-empty column, ties to the left) drops a bullet that falls one row per frame.
/// Shooting an alien gives +1. A cleared wave is replaced, and with ramping the move interval
/// (initially 12) drops by one, down to 6. The episode ends when an alien bullet or an alien
/// reaches the cannon, or the aliens turn while on row 9. No time limit. Channels: cannon,
/// alien, alien_left, alien_right, friendly_bullet, enemy_bullet. Minimal actions: noop, left,
/// right, fire.
public struct SpaceInvaders: MinAtarRules {
    public static let game = MinAtarGame.spaceInvaders
    public static let channelNames = ["cannon", "alien", "alien_left", "alien_right", "friendly_bullet", "enemy_bullet"]
    public static let minimalActions: [MinAtarAction] = [.noop, .left, .right, .fire]
    static let shotCoolDown = 5, initialMoveInterval = 12, enemyShotInterval = 10
    private static let wave = Grid.block(rows: 0..<4, columns: 2..<8)
    private static let leftColumn = Grid.column(0), rightColumn = Grid.column(9)
    private static let topRow = Grid.row(0), bottomRow = Grid.row(9)

    let ramping: Bool
    var position = 5
    var friendlyBullets = Grid.empty, enemyBullets = Grid.empty, aliens = SpaceInvaders.wave
    var alienDirection = -1
    var moveInterval = SpaceInvaders.initialMoveInterval, alienMoveTimer = SpaceInvaders.initialMoveInterval
    var alienShotTimer = SpaceInvaders.enemyShotInterval, rampIndex = 0, shotTimer = 0
    public private(set) var isTerminal = false
    public var difficulty: Int? { rampIndex }

    public init(ramping: Bool = true, rng: inout RandomGenerator) {
        self.ramping = ramping
        reset(rng: &rng)
    }

    public mutating func reset(rng: inout RandomGenerator) {
        position = 5
        friendlyBullets = .empty
        enemyBullets = .empty
        aliens = SpaceInvaders.wave
        alienDirection = -1
        moveInterval = SpaceInvaders.initialMoveInterval
        alienMoveTimer = moveInterval
        alienShotTimer = SpaceInvaders.enemyShotInterval
        rampIndex = 0
        shotTimer = 0
        isTerminal = false
    }

    /// `_nearest_alien`: the lowest alien of the non-empty column nearest `position`
    /// (columns by |x − position|, the left one first on ties).
    func nearestAlien() -> (y: Int, x: Int)? {
        func lowest(_ x: Int) -> Int? {
            var y = 9
            while y >= 0 && !aliens[y, x] { y -= 1 }
            return y >= 0 ? y : nil
        }
        for distance in 0..<10 {
            let left = position - distance, right = position + distance
            if left >= 0, let y = lowest(left) { return (y, left) }
            if distance > 0, right <= 9, let y = lowest(right) { return (y, right) }
        }
        return nil
    }

    public mutating func act(_ action: MinAtarAction, rng: inout RandomGenerator) -> Int {
        if isTerminal { return 0 }
        switch action {
        case .fire where shotTimer == 0:
            friendlyBullets[9, position] = true
            shotTimer = SpaceInvaders.shotCoolDown
        case .left: position = max(0, position - 1)
        case .right: position = min(9, position + 1)
        default: break
        }
        friendlyBullets = friendlyBullets.rolledUp
        friendlyBullets.bits &= ~SpaceInvaders.bottomRow.bits
        enemyBullets = enemyBullets.rolledDown
        enemyBullets.bits &= ~SpaceInvaders.topRow.bits
        if enemyBullets[9, position] { isTerminal = true }

        if aliens[9, position] { isTerminal = true }
        if alienMoveTimer == 0 {
            alienMoveTimer = min(aliens.count, moveInterval)
            if (aliens.intersects(SpaceInvaders.leftColumn) && alienDirection < 0)
                || (aliens.intersects(SpaceInvaders.rightColumn) && alienDirection > 0) {
                alienDirection = -alienDirection
                if aliens.intersects(SpaceInvaders.bottomRow) { isTerminal = true }
                aliens = aliens.rolledDown
            } else {
                aliens = alienDirection > 0 ? aliens.rolledRight : aliens.rolledLeft
            }
            if aliens[9, position] { isTerminal = true }
        }
        if alienShotTimer == 0 {
            alienShotTimer = SpaceInvaders.enemyShotInterval
            if let (y, x) = nearestAlien() { enemyBullets[y, x] = true }
        }
        let kills = aliens.bits & friendlyBullets.bits
        let reward = kills.nonzeroBitCount
        aliens.bits &= ~kills
        friendlyBullets.bits &= ~kills

        if shotTimer > 0 { shotTimer -= 1 }
        alienMoveTimer -= 1
        alienShotTimer -= 1
        if aliens.isEmpty {
            if moveInterval > 6 && ramping {
                moveInterval -= 1
                rampIndex += 1
            }
            aliens = SpaceInvaders.wave
        }
        return reward
    }

    public func writeObservation(_ planes: UnsafeMutablePointer<Float>) {
        mark(planes, 0, 9, position)
        aliens.write(planes + 100)
        aliens.write(planes + (alienDirection < 0 ? 200 : 300))
        friendlyBullets.write(planes + 400)
        enemyBullets.write(planes + 500)
    }
}
