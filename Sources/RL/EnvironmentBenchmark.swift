import Tensors

/// Environment throughput: frames per second of one `EnvironmentBatch` under uniformly random
/// actions, with the observation tensor written every frame (as the reference benchmark calls
/// `state()` after each `act`), on the calling thread.
public enum EnvironmentBenchmark {
    /// The median frames/s over `repeats` windows of `seconds`, after a short warm-up.
    public static func framesPerSecond(_ game: MinAtarGame, environments: Int = 1, seconds: Double = 0.5,
                                       repeats: Int = 3, seed: UInt64 = 0) throws -> Double {
        let envs = try MinAtar.batch(game, count: environments, seed: seed)
        var policy = RandomGenerator(seed: seed, stream: 77)
        var actions = [Int](repeating: 0, count: environments)
        let choices = envs.actionSet.count
        func run(_ steps: Int) {
            for _ in 0..<steps {
                for i in 0..<environments { actions[i] = policy.below(choices) }
                envs.step(actions)
            }
        }
        run(1000)
        let rates = Throughput.sortedRates(repeats: repeats, seconds: seconds) { run(1000) }
        return rates[rates.count / 2] * Double(1000 * environments)
    }
}
