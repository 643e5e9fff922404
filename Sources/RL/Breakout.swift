import Tensors

/// MinAtar Breakout (reference: `minatar/environments/breakout.py`, 1.0.15).
///
/// The paddle (row 9) bounces a ball that moves one cell diagonally per frame and breaks three
/// rows of bricks (rows 1–3); +1 per brick. A wall or brick reflects the ball; the paddle
/// reflects it straight back when the ball comes down onto the paddle's column from directly
/// above, or sideways when the ball lands on it diagonally. When the ball reaches row 9 with
/// no bricks left, the three rows are restored. The episode ends when the ball reaches row 9
/// off the paddle. No time limit, no ramping. Channels: paddle, ball, trail (the ball's last
/// cell), brick. Minimal actions: noop, left, right.
public struct Breakout: MinAtarRules {
    public static let game = MinAtarGame.breakout
    public static let channelNames = ["paddle", "ball", "trail", "brick"]
    public static let minimalActions: [MinAtarAction] = [.noop, .left, .right]

    var ballX = 0, ballY = 3, ballDirection = 0, lastX = 0, lastY = 3, paddle = 4
    var bricks = Grid.empty
    var strike = false
    public private(set) var isTerminal = false
    public var difficulty: Int? { nil }

    private static let startBricks = Grid.block(rows: 1..<4, columns: 0..<10)

    public init(ramping: Bool = true, rng: inout RandomGenerator) { reset(rng: &rng) }

    public mutating func reset(rng: inout RandomGenerator) {
        ballY = 3
        // Directions: 0 up-left, 1 up-right, 2 down-right, 3 down-left.
        (ballX, ballDirection) = rng.below(2) == 0 ? (0, 2) : (9, 3)
        paddle = 4
        bricks = Breakout.startBricks
        strike = false
        lastX = ballX
        lastY = ballY
        isTerminal = false
    }

    public mutating func act(_ action: MinAtarAction, rng: inout RandomGenerator) -> Int {
        if isTerminal { return 0 }
        var reward = 0
        if action == .left { paddle = max(0, paddle - 1) } else if action == .right { paddle = min(9, paddle + 1) }

        lastX = ballX
        lastY = ballY
        var newX = ballX + (ballDirection == 1 || ballDirection == 2 ? 1 : -1)
        var newY = ballY + (ballDirection >= 2 ? 1 : -1)
        var strikeToggle = false
        if newX < 0 || newX > 9 {
            newX = min(max(newX, 0), 9)
            ballDirection ^= 1  // [1, 0, 3, 2][dir]: flip horizontally
        }
        if newY < 0 {
            newY = 0
            ballDirection = 3 - ballDirection  // [3, 2, 1, 0][dir]: flip vertically
        } else if bricks[newY, newX] {
            strikeToggle = true
            if !strike {
                reward += 1
                strike = true
                bricks[newY, newX] = false
                newY = lastY
                ballDirection = 3 - ballDirection
            }
        } else if newY == 9 {
            if bricks.isEmpty { bricks = Breakout.startBricks }
            if ballX == paddle {
                ballDirection = 3 - ballDirection
                newY = lastY
            } else if newX == paddle {
                ballDirection ^= 2  // [2, 3, 0, 1][dir]: flip both ways
                newY = lastY
            } else {
                isTerminal = true
            }
        }
        if !strikeToggle { strike = false }
        ballX = newX
        ballY = newY
        return reward
    }

    public func writeObservation(_ planes: UnsafeMutablePointer<Float>) {
        mark(planes, 1, ballY, ballX)
        mark(planes, 0, 9, paddle)
        mark(planes, 2, lastY, lastX)
        bricks.write(planes + 300)
    }
}
