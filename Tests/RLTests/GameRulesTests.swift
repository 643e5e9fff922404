import Testing
import Tensors
@testable import RL

/// The set cells of channel `c` of an observation, as (row, column) pairs.
func cells(_ observation: Tensor, channel c: Int) -> [[Int]] {
    (0..<100).filter { observation.data[c * 100 + $0] != 0 }.map { [$0 / 10, $0 % 10] }
}

/// Applies `actions` to `rules` and returns the rewards.
func play<R: MinAtarRules>(_ rules: inout R, _ actions: [MinAtarAction]) -> [Int] {
    var rng = RandomGenerator(seed: 99)
    return actions.map { rules.act($0, rng: &rng) }
}

@Suite struct GameRulesTests {
    @Test func channelsAndActionSetsFollowTheReference() throws {
        #expect(MinAtarGame.breakout.channelNames == ["paddle", "ball", "trail", "brick"])
        #expect(MinAtarGame.freeway.channelNames == ["chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"])
        #expect(MinAtarGame.asterix.channelNames == ["player", "enemy", "trail", "gold"])
        #expect(MinAtarGame.seaquest.channelNames == ["sub_front", "sub_back", "friendly_bullet", "trail", "enemy_bullet",
                                                      "enemy_fish", "enemy_sub", "oxygen_guage", "diver_guage", "diver"])
        #expect(MinAtarGame.spaceInvaders.channelNames == ["cannon", "alien", "alien_left", "alien_right",
                                                           "friendly_bullet", "enemy_bullet"])
        #expect(MinAtarGame.breakout.minimalActions.map(\.rawValue) == [0, 1, 3])
        #expect(MinAtarGame.freeway.minimalActions.map(\.rawValue) == [0, 2, 4])
        #expect(MinAtarGame.asterix.minimalActions.map(\.rawValue) == [0, 1, 2, 3, 4])
        #expect(MinAtarGame.seaquest.minimalActions.map(\.rawValue) == [0, 1, 2, 3, 4, 5])
        #expect(MinAtarGame.spaceInvaders.minimalActions.map(\.rawValue) == [0, 1, 3, 5])
        #expect(try MinAtarGame(name: "Space-Invaders") == .spaceInvaders)
        #expect(throws: RLError.self) { try MinAtarGame(name: "pong") }
    }

    @Test func breakoutStartStateAndChannels() {
        var rng = RandomGenerator(seed: 3)
        let game = Breakout(rng: &rng)
        let o = game.observation
        #expect(o.shape == Shape(4, 10, 10))
        #expect(cells(o, channel: 0) == [[9, 4]])
        #expect(cells(o, channel: 1) == [[3, game.ballX]] && [0, 9].contains(game.ballX))
        #expect(cells(o, channel: 2) == cells(o, channel: 1))
        #expect(cells(o, channel: 3).count == 30 && cells(o, channel: 3).allSatisfy { (1...3).contains($0[0]) })
    }

    @Test func breakoutBrickHitAndMiss() {
        var rng = RandomGenerator(seed: 0)
        var game = Breakout(rng: &rng)
        // Ball at (y 5, x 5) going up-left: (4, 4), then the brick at (3, 3) is hit: +1, the
        // brick goes, the ball stays on row 4 and turns down-left.
        (game.ballX, game.ballY, game.ballDirection) = (5, 5, 0)
        #expect(play(&game, [.noop, .noop]) == [0, 1])
        #expect(!game.bricks[3, 3] && game.bricks.count == 29)
        #expect(game.ballX == 3 && game.ballY == 4 && game.ballDirection == 3)
        // Down-left from (y 4, x 3): (5, 2), (6, 1), (7, 0); next x would be −1, so it clamps
        // to 0 and the ball turns down-right: (8, 0); then (9, 1) misses the paddle at
        // column 4 and the episode ends with no reward.
        #expect(play(&game, [.noop, .noop, .noop, .noop, .noop]) == [0, 0, 0, 0, 0])
        #expect(game.isTerminal)
        #expect(play(&game, [.noop]) == [0])
    }

    @Test func breakoutPaddleReturnsTheBall() {
        var rng = RandomGenerator(seed: 0)
        var game = Breakout(rng: &rng)
        // Ball at (8, 3) going down-right lands on the paddle at column 4 (diagonal hit):
        // it goes back up-left [2, 3, 0, 1][2] = 0 and stays on row 8.
        (game.ballX, game.ballY, game.ballDirection, game.paddle) = (3, 8, 2, 4)
        #expect(play(&game, [.noop]) == [0])
        #expect(!game.isTerminal && game.ballY == 8 && game.ballX == 4 && game.ballDirection == 0)
    }

    @Test func freewayCrossingScoresAfter28FramesAndTheEpisodeLasts2501() {
        var rng = RandomGenerator(seed: 1)
        var game = Freeway(rng: &rng)
        for i in game.cars.indices { game.cars[i].timer = 1000 }  // parked at column 0 until the crossing
        // The chicken may move when the move timer (3 at the start) is 0: frames 4, 7, …, 28
        // take it from row 9 to row 0, which scores and sends it back to row 9.
        let rewards = play(&game, Array(repeating: .up, count: 28))
        #expect(rewards == Array(repeating: 0, count: 27) + [1])
        #expect(game.position == 9)
        _ = play(&game, Array(repeating: .noop, count: 2501 - 28 - 1))
        #expect(!game.isTerminal)
        _ = play(&game, [.noop])
        #expect(game.isTerminal)
    }

    @Test func freewayCarsAndTrailsUseTheSpeedChannels() {
        var rng = RandomGenerator(seed: 5)
        let game = Freeway(rng: &rng)
        let o = game.observation
        #expect(o.shape == Shape(7, 10, 10))
        #expect(cells(o, channel: 0) == [[9, 4]])
        #expect(cells(o, channel: 1) == (1...8).map { [$0, 0] })
        for car in game.cars {
            let back = car.speed > 0 ? 9 : 1
            #expect(o[1 + abs(car.speed), car.y, back] == 1)
        }
    }

    @Test func asterixGoldPaysAndEnemiesKill() {
        var rng = RandomGenerator(seed: 2)
        var game = Asterix(rng: &rng)
        // Slot 4 is row 5, the player's row; the player steps right onto the gold at column 6.
        game.entities[4] = .init(x: 6, movesRight: false, isGold: true, isActive: true)
        #expect(play(&game, [.right]) == [1])
        #expect(!game.entities[4].isActive && !game.isTerminal)
        game.entities[3] = .init(x: 6, movesRight: false, isGold: false, isActive: true)
        #expect(play(&game, [.up]) == [0])
        #expect(game.isTerminal)
        let o = game.observation
        #expect(cells(o, channel: 0) == [[4, 6]] && cells(o, channel: 1) == [[4, 6]] && cells(o, channel: 2) == [[4, 7]])
    }

    @Test func seaquestSurfacingWithoutDiversEnds() {
        var rng = RandomGenerator(seed: 4)
        var game = Seaquest(rng: &rng)
        #expect(play(&game, [.down]) == [0])
        #expect(!game.isTerminal && game.oxygen == 199)
        #expect(play(&game, [.up]) == [0])
        #expect(game.isTerminal)
    }

    @Test func seaquestShootingAFishAndAFullLoad() {
        var rng = RandomGenerator(seed: 4)
        var game = Seaquest(rng: &rng)
        (game.subX, game.subY, game.facesRight) = (5, 1, false)
        game.fish = [.init(x: 3, y: 1, movesRight: true, timer: 10)]
        // The bullet appears at the sub and moves one cell per frame: (1, 4), then (1, 3).
        #expect(play(&game, [.fire, .noop]) == [0, 1])
        #expect(game.fish.isEmpty && game.friendlyBullets.isEmpty)
        // Surfacing with six divers pays ⌊oxygen·10/200⌋ and leaves the count at −1.
        game.diverCount = 6
        game.oxygen = 150
        #expect(play(&game, [.up]) == [7])
        #expect(game.diverCount == -1 && game.oxygen == 200 && game.rampIndex == 1 && !game.isTerminal)
        let o = game.observation
        #expect(cells(o, channel: 7).count == 10 && cells(o, channel: 8).isEmpty)
        #expect(cells(o, channel: 0) == [[0, 5]] && cells(o, channel: 1) == [[0, 6]])
    }

    @Test func spaceInvadersShotKillsOnTheSixthFrame() {
        var rng = RandomGenerator(seed: 6)
        var game = SpaceInvaders(rng: &rng)
        let start = game.observation
        #expect(cells(start, channel: 1).count == 24 && cells(start, channel: 2) == cells(start, channel: 1))
        #expect(cells(start, channel: 3).isEmpty && cells(start, channel: 0) == [[9, 5]])
        // Fired from row 9, the bullet is on row 8 after the first frame and reaches the
        // lowest alien row (3) on the sixth; the aliens first move on frame 13.
        #expect(play(&game, [.fire, .noop, .noop, .noop, .noop, .noop]) == [0, 0, 0, 0, 0, 1])
        #expect(!game.aliens[3, 5] && game.aliens.count == 23)
    }

    @Test func spaceInvadersAliensMarchAndShootTheNearestColumn() {
        var rng = RandomGenerator(seed: 6)
        var game = SpaceInvaders(rng: &rng)
        game.position = 0
        // Frame 11: the nearest column to 0 with aliens is 2; its lowest alien is on row 3.
        _ = play(&game, Array(repeating: .noop, count: 11))
        #expect(game.enemyBullets[3, 2] && game.enemyBullets.count == 1)
        // Frame 13: the block steps left (columns 1–6).
        _ = play(&game, [.noop, .noop])
        #expect(game.aliens == Grid.block(rows: 0..<4, columns: 1..<7))
        #expect(game.alienMoveTimer == 11)
    }
}
