import Foundation
import Testing
import Tensors
@testable import RL

/// Mean, and standard error of the mean (sample standard deviation / √n).
func meanAndStandardError(_ xs: [Double]) -> (mean: Double, se: Double) {
    let n = Double(xs.count), mean = xs.reduce(0, +) / n
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return (mean, (variance / n).squareRoot())
}

/// Episodes of a uniform random policy over the minimal action set (policy randomness from its
/// own generator, as the reference script's separate RandomState).
func randomEpisodes(_ game: MinAtarGame, episodes: Int, seed: UInt64) throws -> (returns: [Double], lengths: [Double]) {
    let envs = try MinAtar.batch(game, count: 1, seed: seed)
    var policy = RandomGenerator(seed: seed, stream: 1000)
    var returns: [Double] = [], lengths: [Double] = []
    var actions = [0]
    let choices = envs.actionSet.count
    while returns.count < episodes {
        actions[0] = policy.below(choices)
        envs.step(actions)
        if envs.terminals[0] {
            returns.append(Double(envs.episodeReturns[0]))
            lengths.append(Double(envs.episodeLengths[0]))
        }
    }
    return (returns, lengths)
}

@Suite struct FidelityTests {
    /// Each game's mean random-policy return and episode length agree with the reference
    /// package's within 3 combined standard errors, √(SE_ours² + SE_ref²).
    @Test(arguments: MinAtarGame.allCases)
    func randomPolicyMatchesReference(game: MinAtarGame) throws {
        let reference = try #require(referenceFigures[game.rawValue])
        let (returns, lengths) = try randomEpisodes(game, episodes: game == .freeway ? 300 : 1000, seed: 7)
        let r = meanAndStandardError(returns), l = meanAndStandardError(lengths)
        let returnBound = 3 * (r.se * r.se + reference.returnSE * reference.returnSE).squareRoot()
        let lengthBound = 3 * (l.se * l.se + reference.lengthSE * reference.lengthSE).squareRoot()
        print("\(game.rawValue): return \(r.mean) ± \(r.se) (reference \(reference.returnMean) ± \(reference.returnSE)); length \(l.mean) ± \(l.se) (reference \(reference.lengthMean) ± \(reference.lengthSE))")
        #expect(abs(r.mean - reference.returnMean) <= returnBound, "\(game.rawValue) return \(r.mean) vs \(reference.returnMean)")
        #expect(abs(l.mean - reference.lengthMean) <= lengthBound, "\(game.rawValue) length \(l.mean) vs \(reference.lengthMean)")
    }
}
