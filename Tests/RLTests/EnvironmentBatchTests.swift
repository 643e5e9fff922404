import Testing
import Tensors
@testable import RL

@Suite struct EnvironmentBatchTests {
    /// Steps a batch with random actions, returning every observation, reward and terminal.
    func trace(_ envs: any EnvironmentBatch, steps: Int, policySeed: UInt64) -> (obs: [Float], rewards: [Float], terminals: [Bool]) {
        var policy = RandomGenerator(seed: policySeed)
        var obs: [Float] = [], rewards: [Float] = [], terminals: [Bool] = []
        var actions = [Int](repeating: 0, count: envs.count)
        for _ in 0..<steps {
            for i in actions.indices { actions[i] = policy.below(envs.actionSet.count) }
            envs.step(actions)
            obs += envs.observations.values
            rewards += envs.rewards
            terminals += envs.terminals
        }
        return (obs, rewards, terminals)
    }

    @Test(arguments: MinAtarGame.allCases)
    func sameSeedSameEpisodesOtherSeedOtherEpisodes(game: MinAtarGame) throws {
        let a = trace(try MinAtar.batch(game, count: 3, seed: 11), steps: 400, policySeed: 1)
        let b = trace(try MinAtar.batch(game, count: 3, seed: 11), steps: 400, policySeed: 1)
        let c = trace(try MinAtar.batch(game, count: 3, seed: 12), steps: 400, policySeed: 1)
        #expect(a.obs == b.obs && a.rewards == b.rewards && a.terminals == b.terminals)
        #expect(a.obs != c.obs)
    }

    @Test func batchMatchesSingleEnvironmentsAndResetsFinishedEpisodes() throws {
        let envs = try MinAtar.batch(.breakout, count: 2, seed: 5)
        #expect(envs.observations.shape == Shape(2, 4, 10, 10))
        var singles = [MinAtarEnvironment<Breakout>(seed: 5, stream: 0), MinAtarEnvironment<Breakout>(seed: 5, stream: 1)]
        var policy = RandomGenerator(seed: 3)
        var returns = [0, 0], lengths = [0, 0], finished = 0
        for _ in 0..<300 {
            let actions = [policy.below(3), policy.below(3)]
            envs.step(actions)
            for i in 0..<2 {
                let (reward, done) = singles[i].act(Breakout.minimalActions[actions[i]])
                returns[i] += reward
                lengths[i] += 1
                #expect(envs.rewards[i] == Float(reward) && envs.terminals[i] == done)
                if done {
                    #expect(envs.episodeReturns[i] == Float(returns[i]) && envs.episodeLengths[i] == lengths[i])
                    singles[i].reset()
                    (returns[i], lengths[i], finished) = (0, 0, finished + 1)
                }
                let expected = singles[i].rules.observation.values
                #expect(Array(envs.observations.values[(i * 400)..<((i + 1) * 400)]) == expected)
            }
        }
        #expect(finished > 10)
    }

    @Test func paddedObservationsAndTheFullActionSet() throws {
        let envs = try MinAtar.batch(.spaceInvaders, count: 2, seed: 0, channelCount: 10, fullActionSet: true)
        #expect(envs.observations.shape == Shape(2, 10, 10, 10) && envs.actionSet == MinAtarAction.allCases)
        envs.step([5, 2])
        for i in 0..<2 {
            let planes = Array(envs.observations.values[(i * 1000)..<((i + 1) * 1000)])
            #expect(planes[0..<600].contains(1) && !planes[600...].contains(1))
        }
        #expect(throws: RLError.self) { try MinAtar.batch(.seaquest, count: 1, seed: 0, channelCount: 6) }
        #expect(throws: RLError.self) { try MinAtar.batch(.seaquest, count: 0, seed: 0) }
    }

    @Test func stickyActionsRepeatThePreviousAction() {
        // With p = 1 every frame repeats the first action ever applied (noop, the initial one).
        var env = MinAtarEnvironment<Breakout>(seed: 1, stickyActionProbability: 1)
        for _ in 0..<3 { _ = env.act(.left) }
        #expect(env.lastAction == .noop && env.rules.paddle == 4)
        var plain = MinAtarEnvironment<Breakout>(seed: 1, stickyActionProbability: 0)
        for _ in 0..<3 { _ = plain.act(.left) }
        #expect(plain.lastAction == .left && plain.rules.paddle == 1)
    }

    @Test func textRendering() {
        var rng = RandomGenerator(seed: 0)
        var game = Breakout(rng: &rng)
        (game.ballX, game.ballY, game.lastX, game.lastY) = (5, 5, 5, 5)
        let lines = MinAtarText.render(game.observation, channelNames: Breakout.channelNames).split(separator: "\n")
        #expect(lines[0] == ".........." && lines[1] == "3333333333" && lines[5] == ".....2...." && lines[9] == "....0.....")
        #expect(lines[10] == "0 paddle, 1 ball, 2 trail, 3 brick")
    }
}
