import Experiments
import Foundation
import Interventions
import Networks
import Testing
import Tensors
import Training
@testable import RL

/// Checkpoint/resume of DQN runs, environment state, SVG frames and eNTK/churn diagnostics.
@Suite struct CheckpointTests {
    init() { BLAS.setThreads(1) }

    /// A small continual run (two games, three segments) with ReDo, diagnostics and
    /// checkpoints every 300 frames.
    func settings() -> (RLRunSettings, DQNSettings) {
        var run = RLRunSettings(games: [.spaceInvaders, .breakout], frames: 900, switchEvery: 400)
        (run.logEvery, run.diagnosticsEvery, run.probeSize, run.entkExamples, run.seed, run.environments) = (100, 300, 16, 8, 3, 2)
        run.checkpointEvery = 300
        run.interventions = [InterventionSpec("redo", ["tau": 0.1, "every": 50])]
        var dqn = DQNSettings()
        (dqn.learningStarts, dqn.batchSize, dqn.replayCapacity, dqn.targetUpdateEvery, dqn.epsilonFrames) = (200, 8, 500, 40, 600)
        (dqn.hiddenWidth, dqn.convolutionChannels, dqn.norm) = (32, 4, .layernorm)
        return (run, dqn)
    }

    func timeless(_ records: [MetricsRecord]) -> [MetricsRecord] {
        records.map { r in
            var copy = r
            copy["frames_per_s"] = nil
            copy["elapsed_s"] = nil
            return copy
        }
    }

    @Test func resumedRunIsBitIdenticalToAnUninterruptedOne() throws {
        let (settings, dqn) = settings()
        let whole = try DQNRun(settings: settings, dqn: dqn)
        var wholeRecords: [MetricsRecord] = []
        var saved: [(frame: Int, bytes: [UInt8], records: Int)] = []
        try whole.run(checkpoint: { saved.append((whole.frame, try whole.checkpoint().encoded(), wholeRecords.count)) }) {
            wholeRecords.append($0)
        }
        // Frames 300 (300 transitions stored) and 600 (the 500-transition buffer has wrapped; a game switch at 400).
        #expect(saved.map(\.frame) == [300, 600])
        for point in saved {
            let file = try SafetensorsFile.decode(Data(point.bytes), source: "checkpoint")
            let resumed = try DQNRun(settings: settings, dqn: dqn)
            try resumed.restore(from: file)
            #expect(resumed.frame == point.frame && resumed.agent.replay.count == min(point.frame, 500))
            var records = Array(wholeRecords.prefix(point.records))
            try resumed.run { records.append($0) }
            #expect(timeless(records) == timeless(wholeRecords))
            #expect(resumed.agent.online.parameterVector() == whole.agent.online.parameterVector())
            #expect(resumed.agent.target.parameterVector() == whole.agent.target.parameterVector())
            #expect(resumed.agent.optimizer.stateVectors().map(\.values) == whole.agent.optimizer.stateVectors().map(\.values))
            #expect(resumed.episodeReturns == whole.episodeReturns && resumed.agent.rng == whole.agent.rng)
        }
        // A stop request checkpoints at the next record and ends the session unfinished.
        let stopped = try DQNRun(settings: settings, dqn: dqn)
        var calls = 0
        let finished = try stopped.run(stop: { stopped.frame >= 500 }, checkpoint: { calls += 1 }) { _ in }
        #expect(!finished && stopped.frame == 500 && calls == 2)
    }

    @Test func checkpointOfAnotherRunIsRejectedWithTheFileNamed() throws {
        let (settings, dqn) = settings()
        var file = try DQNRun(settings: settings, dqn: dqn).checkpoint()
        file.source = "x.safetensors"
        file.metadata["frame"] = "5000"
        let other = try DQNRun(settings: settings, dqn: dqn)
        #expect(throws: RLError.self) { try other.restore(from: file) }
        do { try other.restore(from: file) } catch { #expect("\(error)".hasPrefix("x.safetensors: position (frame 5000")) }
    }

    @Test(arguments: MinAtarGame.allCases)
    func environmentStateRoundTrips(game: MinAtarGame) throws {
        let a = try MinAtar.batch(game, count: 3, seed: 7)
        var rng = RandomGenerator(seed: 1)
        func actions() -> [Int] { (0..<3).map { _ in rng.below(a.actionSet.count) } }
        for _ in 0..<150 { a.step(actions()) }
        let b = try MinAtar.batch(game, count: 3, seed: 99)
        try b.restore(encodedState: try a.encodedState())
        #expect(b.observations.values == a.observations.values)
        for _ in 0..<300 {
            let act = actions()
            a.step(act)
            b.step(act)
            #expect(b.observations.values == a.observations.values && b.rewards == a.rewards && b.terminals == a.terminals)
        }
        let wrong = try MinAtar.batch(game, count: 2, seed: 7)
        #expect(throws: RLError.self) { try wrong.restore(encodedState: try a.encodedState()) }
    }

    @Test func svgFrameHasOneCellPerOccupiedSquareAndOneSwatchPerChannel() throws {
        // Breakout's start: bricks fill rows 1–3 (30 cells), the ball and its trail sit on a
        // row-3 brick (column 0 or 9), the paddle at (9, 4): 31 occupied squares, the brick
        // channel (3) topmost on 30 of them, the paddle (0) on one.
        let envs = try MinAtar.batch(.breakout, count: 1, seed: 0)
        let svg = MinAtarSVG.render(envs.frame(0), channelNames: Breakout.channelNames, title: "breakout <start>")
        func count(_ s: String) -> Int { svg.components(separatedBy: s).count - 1 }
        #expect(count("class=\"cell\"") == 31)
        #expect(count("data-channel=\"3\"") == 30 && count("data-channel=\"0\"") == 1)
        #expect(count("class=\"swatch\"") == 4 && svg.contains("3 brick") && svg.contains("breakout &lt;start&gt;"))
        #expect(svg.contains("x=\"97\" y=\"245\"")) // the paddle cell: x = 4·24 + 1, y = 28 + 9·24 + 1
    }

    @Test func diagnosticsIncludeENTKConditionNumberAndChurn() throws {
        var (settings, dqn) = settings()
        settings.interventions = []
        settings.frames = 400
        let run = try DQNRun(settings: settings, dqn: dqn)
        var records: [MetricsRecord] = []
        try run.run { records.append($0) }
        let measured = records.filter { $0["event"] == .string("log") && $0["srank.delta0.01"] != nil }
        #expect(measured.map { $0["frame"] } == [.int(300)])
        let m = measured[0]
        #expect(m["entk.examples"] == .double(8) || m["entk.examples"] == .int(8))
        #expect((m["entk.summed.condition_number"]?.number ?? 0) >= 1)
        let churn = m["churn"]?.number ?? -1
        #expect(churn > 0 && churn < 1)
    }

    @Test func rlRunConfigRoundTripsAndRejectsUnknownKeys() throws {
        let text = """
            kind = "rl"
            seed = 4
            [rl]
            games = ["space-invaders", "asterix"]
            frames = 3000
            switch_every = 1000
            [dqn]
            norm = "layernorm"
            weight_decay = 0.1
            loss = "hl-gauss"
            bins = 21
            [[interventions]]
            name = "redo"
            tau = 0.05
            """
        let c = try RLRunConfig.parse(text, file: "a.toml")
        #expect(c.run.games == [.spaceInvaders, .asterix] && c.run.continual && c.run.segmentCount == 3 && c.run.seed == 4)
        #expect(c.dqn.norm == .layernorm && c.dqn.weightDecay == 0.1 && c.dqn.loss == .distributional(.hlGauss(sigma: nil), minimum: -50, maximum: 50, bins: 21))
        #expect(try RLRunConfig.parse(c.toml, file: "b.toml") == c)
        do {
            _ = try RLRunConfig.parse(text.replacingOccurrences(of: "bins = 21", with: "binz = 21"), file: "a.toml")
            Issue.record("an unknown key was accepted")
        } catch {
            #expect("\(error)".hasPrefix("a.toml:11: dqn.binz: unknown key"))
        }
    }

    /// Issue 45: every DQN setting out of range is blamed on its own key and line (they were
    /// all reported as `dqn.lr`, without a line).
    @Test func rlConfigErrorsNameTheirKeyAndLine() {
        func error(_ line: String) -> String {
            do { _ = try RLRunConfig.parse("kind = \"rl\"\n[rl]\ngames = [\"breakout\"]\n[dqn]\n" + line + "\n", file: "r.toml") } catch {
                return "\(error)"
            }
            return "accepted"
        }
        #expect(error("gamma = 1.5") == "r.toml:5: dqn.gamma: must be in [0, 1], got 1.5")
        #expect(error("epsilon_start = -0.1") == "r.toml:5: dqn.epsilon_start: must be in [0, 1], got -0.1")
        #expect(error("epsilon_end = 2") == "r.toml:5: dqn.epsilon_end: must be in [0, 1], got 2.0")
        #expect(error("value_range = -3") == "r.toml:5: dqn.value_range: must be > 0 (the support is [−value_range, value_range]), got -3.0")
        #expect(error("replay = 10") == "r.toml:5: dqn.replay: must hold at least one batch (32), got 10")
        #expect(error("lr = 0") == "r.toml:5: dqn.lr: must be > 0, got 0.0")
        #expect(error("weight_decay = -1") == "r.toml:5: dqn.weight_decay: must be ≥ 0, got -1.0")
    }

    @Test func killedRunDirectoryResumesFromItsNewestCheckpoint() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rl-resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var (settings, dqn) = settings()
        settings.interventions = []
        var config = RLRunConfig(run: settings)
        config.dqn = dqn
        let whole = RunDirectory(dir.appendingPathComponent("whole").path)
        try RLExperimentRun(config: config, directory: whole, resume: false).execute(resume: false)
        // "Killed" after frame 600: the directory as it was then (checkpoint 600 newest,
        // metrics written beyond it, no summary).
        let killed = RunDirectory(dir.appendingPathComponent("killed").path)
        do {  // the first session (and its run lock) ends with this scope
            let stopped = try RLExperimentRun(config: config, directory: killed, resume: false)
            var lines = 0
            let summary = try stopped.execute(resume: false, interrupted: { lines >= 9 }) { _ in lines += 1 }
            #expect(summary.status == .interrupted && stopped.run.frame == 700)
        }
        try FileManager.default.removeItem(at: killed.summaryURL)
        try FileManager.default.removeItem(at: killed.checkpointURL(step: 700))
        let resumed = try RLExperimentRun.resuming(killed)
        #expect(try resumed.execute(resume: true).status == .finished)
        let a = try Data(contentsOf: whole.modelURL), b = try Data(contentsOf: killed.modelURL)
        #expect(a == b)
        func records(_ d: RunDirectory) throws -> [[String: Double]] {
            try d.metrics().map { $0.compactMapValues { ($0 as? NSNumber)?.doubleValue }.filter { !["frames_per_s", "elapsed_s"].contains($0.key) } }
        }
        #expect(try records(whole) == records(killed))
        #expect(try String(contentsOf: whole.url.appendingPathComponent("frame.svg"), encoding: .utf8).contains("class=\"cell\""))
        #expect(RunSummary.status(at: killed.summaryURL) == .finished)
    }
}
