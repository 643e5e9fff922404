import Tensors

/// MinAtar Freeway (reference: `minatar/environments/freeway.py`, 1.0.15).
///
/// The chicken walks up column 4 from row 9 and may move only every 3 frames; reaching row 0
/// gives +1, sends it back to row 9 and re-draws every car's speed and direction. Eight cars,
/// one per row 1–8, wrap around the screen moving one cell every 1–5 frames; a car hitting
/// the chicken sends it back to row 9. The episode ends after 2500 frames (the frame after
/// the timer passes zero, so episodes last 2501 frames). No ramping. Channels: chicken, car,
/// speed1 … speed5 (the trail behind each car, in the channel of its speed). Minimal actions:
/// noop, up, down.
public struct Freeway: MinAtarRules {
    public static let game = MinAtarGame.freeway
    public static let channelNames = ["chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"]
    public static let minimalActions: [MinAtarAction] = [.noop, .up, .down]
    static let playerSpeed = 3
    static let timeLimit = 2500

    /// A car: column, row, frames until it moves, signed speed (frames per move; sign = direction).
    struct Car: Codable { var x: Int, y: Int, timer: Int, speed: Int }

    var cars: [Car] = []
    var position = 9, moveTimer = Freeway.playerSpeed, terminateTimer = Freeway.timeLimit
    public private(set) var isTerminal = false
    public var difficulty: Int? { nil }

    public init(ramping: Bool = true, rng: inout RandomGenerator) {
        cars.reserveCapacity(8)
        reset(rng: &rng)
    }

    /// `_randomize_cars`: speeds uniform in 1…5 for the 8 cars, then 8 directions ±1 with
    /// probability ½; `initialize` also puts every car at column 0.
    mutating func randomizeCars(initialize: Bool, rng: inout RandomGenerator) {
        var speeds = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &speeds) { raw in
            let s = raw.bindMemory(to: Int.self)
            for i in 0..<8 { s[i] = 1 + rng.below(5) }
            for i in 0..<8 where rng.uniform() < 0.5 { s[i] = -s[i] }
            if initialize {
                cars.removeAll(keepingCapacity: true)
                for i in 0..<8 { cars.append(Car(x: 0, y: i + 1, timer: abs(s[i]), speed: s[i])) }
            } else {
                for i in 0..<8 { cars[i].timer = abs(s[i]); cars[i].speed = s[i] }
            }
        }
    }

    public mutating func reset(rng: inout RandomGenerator) {
        randomizeCars(initialize: true, rng: &rng)
        position = 9
        moveTimer = Freeway.playerSpeed
        terminateTimer = Freeway.timeLimit
        isTerminal = false
    }

    public mutating func act(_ action: MinAtarAction, rng: inout RandomGenerator) -> Int {
        if isTerminal { return 0 }
        var reward = 0
        if action == .up && moveTimer == 0 {
            moveTimer = Freeway.playerSpeed
            position = max(0, position - 1)
        } else if action == .down && moveTimer == 0 {
            moveTimer = Freeway.playerSpeed
            position = min(9, position + 1)
        }
        if position == 0 {
            reward += 1
            randomizeCars(initialize: false, rng: &rng)
            position = 9
        }
        for i in 0..<cars.count {
            if cars[i].x == 4 && cars[i].y == position { position = 9 }
            if cars[i].timer == 0 {
                cars[i].timer = abs(cars[i].speed)
                cars[i].x += cars[i].speed > 0 ? 1 : -1
                if cars[i].x < 0 { cars[i].x = 9 } else if cars[i].x > 9 { cars[i].x = 0 }
                if cars[i].x == 4 && cars[i].y == position { position = 9 }
            } else {
                cars[i].timer -= 1
            }
        }
        if moveTimer > 0 { moveTimer -= 1 }
        terminateTimer -= 1
        if terminateTimer < 0 { isTerminal = true }
        return reward
    }

    public func writeObservation(_ planes: UnsafeMutablePointer<Float>) {
        mark(planes, 0, position, 4)
        for car in cars {
            mark(planes, 1, car.y, car.x)
            var back = car.speed > 0 ? car.x - 1 : car.x + 1
            if back < 0 { back = 9 } else if back > 9 { back = 0 }
            mark(planes, 1 + abs(car.speed), car.y, back)
        }
    }
}
