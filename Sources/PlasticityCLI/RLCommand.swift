import ArgumentParser
import Experiments
import Foundation
import Interventions
import Networks
import RL
import Tensors
import Training

/// `plasticity rl`: DQN on MinAtar games, continual MinAtar, and the environment benchmark.
struct RLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rl",
        abstract: "Reinforcement learning: a DQN on MinAtar games, continual MinAtar, environment speed.",
        discussion: """
            Examples:
              plasticity rl breakout --steps 200000 --out runs/breakout
              plasticity rl continual --games space_invaders,asterix,seaquest --switch-every 100000 --steps 300000
              plasticity rl resume runs/breakout          # continue a killed or interrupted run
              plasticity rl run config.toml --out runs/x  # an RL run config (kind = "rl")
              plasticity rl bench --python /tmp/minatarvenv/bin/python
            See docs/rl.md.
            """,
        subcommands: [RLTrain.self, RLContinual.self, RLRunFile.self, RLResume.self, RLBench.self],
        defaultSubcommand: RLTrain.self)
}

/// Options shared by single-game and continual training.
struct DQNOptions: ParsableArguments {
    @Option(help: "Frames to play (environment steps over all parallel environments).") var steps = 200_000
    @Option(help: "Seed of environments, network and exploration.") var seed: UInt64 = 0
    @Option(help: "Normalisation in the W4 network: none or layernorm.") var norm = "none"
    @Option(help: "Run directory (config.toml, metrics.jsonl, checkpoints, model, summary); resumable with `plasticity rl resume`.") var out: String?
    @Option(help: "Frames between checkpoints in --out (0: none).") var checkpointEvery = 50_000
    @Option(help: "Directory for SVG frames of environment 0, one per metrics record.") var frames: String?
    @Option(help: "Parallel environments.") var envs = 1
    @Option(help: "Adam learning rate.") var lr: Float = 1e-4
    @Option(help: "Decoupled weight decay λ (AdamW).") var weightDecay: Float = 0
    @Option(help: "Loss: huber, two-hot or hl-gauss.") var loss = "huber"
    @Option(help: "Bins of a distributional loss.") var bins = 51
    @Option(help: "Support [−v, v] of a distributional loss.") var valueRange: Float = 50
    @Flag(inversion: .prefixedNo, help: "Double DQN.") var double = true
    @Option(help: "Replay buffer capacity (transitions).") var replay = 100_000
    @Option(help: "Minibatch size.") var batch = 32
    @Option(help: "Frames of random play before learning.") var learningStarts = 5000
    @Option(help: "Frames per gradient update.") var trainEvery = 1
    @Option(help: "Updates between target-network copies.") var targetUpdate = 1000
    @Option(help: "Frames over which ε falls from 1 to --epsilon-end.") var epsilonFrames = 100_000
    @Option(help: "Final ε.") var epsilonEnd: Float = 0.1
    @Option(help: "Discount γ.") var gamma: Float = 0.99
    @Option(help: "Frames between metrics records.") var logEvery = 5000
    @Option(help: "Frames between diagnostics (dormant ratio, srank, norms, eNTK, churn; 0: off).") var diagnosticsEvery = 0
    @Option(help: "OpenBLAS threads.") var threads = 1
    @Option(help: ArgumentHelp("A catalogue intervention, NAME or NAME:key=value,key=value (repeatable; see plasticity interventions).",
                               valueName: "spec")) var intervention: [String] = []

    func dqnSettings() throws -> DQNSettings {
        var s = DQNSettings()
        guard let n = Architecture.Norm(rawValue: norm) else { throw RLError("--norm '\(norm)' is not none or layernorm") }
        s.norm = n
        s.learningRate = lr
        s.weightDecay = weightDecay
        guard DQNSettings.lossNames.contains(loss) else { throw RLError("--loss '\(loss)' is not huber, two-hot or hl-gauss") }
        s.loss = try LossKind(name: loss, minimum: -valueRange, maximum: valueRange, bins: bins)
        s.doubleDQN = double
        s.replayCapacity = replay
        s.batchSize = batch
        s.learningStarts = learningStarts
        s.trainEvery = trainEvery
        s.targetUpdateEvery = targetUpdate
        s.epsilonFrames = epsilonFrames
        s.epsilonEnd = epsilonEnd
        s.gamma = gamma
        try s.validate()
        return s
    }

    func apply(to run: inout RLRunSettings) throws {
        run.interventions = try intervention.map(InterventionSpec.init(commandLine:))
        run.environments = envs
        run.seed = seed
        run.logEvery = logEvery
        run.diagnosticsEvery = diagnosticsEvery
        run.checkpointEvery = out == nil ? 0 : checkpointEvery
    }

    /// Runs the DQN (into a run directory with --out), printing a progress line per record.
    func train(_ settings: RLRunSettings) throws {
        do {
            var config = RLRunConfig(run: settings)
            config.name = settings.games.map(\.rawValue).joined(separator: "+")
            config.dqn = try dqnSettings()
            config.threads = threads
            let budget = try RLRunner.budget()
            if let out {
                let experiment = try RLExperimentRun(config: config, directory: RunDirectory(out), resume: false,
                                                     budget: budget, source: "rl run flags")
                try RLRunner.execute(experiment, resume: false, frames: frames)
            } else {
                try budget.check(bytes: config.dqn.estimatedBytes(channels: settings.channelCount, actions: settings.actionCount),
                                 for: "rl run flags: dqn", what: "Q-networks, batch and replay buffer")
                BLAS.setThreads(threads)
                let run = try DQNRun(settings: settings, dqn: config.dqn)
                try run.run { record in try RLRunner.report(record, run: run, total: settings.frames, frames: frames) }
            }
        } catch let e as ExitCode {
            throw e
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }

    static func progress(_ r: MetricsRecord, total: Int) -> String {
        func number(_ key: String) -> Double? { r[key]?.number }
        let frame = number("frame") ?? 0
        switch r["event"] {
        case .string("switch")?:
            return "frame \(Int(frame)): switching to \(r["game"].map { $0.json } ?? "?")"
        case .string("task_end")?:
            return String(format: "frame %d: %@ segment ended, mean return (its last 100 episodes) %.2f", Int(frame),
                          r["game"].map { $0.json } ?? "?", number("return_mean_100") ?? .nan)
        case .string("end")?:
            return String(format: "done: %d frames, %d episodes, mean return (last 100) %.2f, %.1f s",
                          Int(frame), Int(number("episodes") ?? 0), number("return_mean_100") ?? .nan, number("elapsed_s") ?? 0)
        default:
            let rate = number("frames_per_s") ?? 0
            let eta = rate > 0 ? (Double(total) - frame) / rate : 0
            func shown(_ key: String, _ format: String) -> String { number(key).map { String(format: format, $0) } ?? "-" }
            var text = "frame \(Int(frame))/\(total) \(r["game"].map { $0.json } ?? "") return \(shown("return_mean", "%.2f"))"
                + " (last 100 \(shown("return_mean_100", "%.2f"))) loss \(shown("loss", "%.4f")) ε \(shown("epsilon", "%.2f"))"
                + String(format: " | %.0f frames/s ETA ", rate) + ProgressLine.duration(eta)
            if let d = number("dormant.tau0.1"), let s = number("srank.delta0.01") {
                text += String(format: " | dormant %.3f srank %.0f", d, s)
            }
            return text
        }
    }
}

/// `plasticity rl GAME`: a DQN on one MinAtar game.
struct RLTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a DQN on one MinAtar game (the default subcommand: plasticity rl GAME …).")

    @Argument(help: "asterix, breakout, freeway, seaquest or space_invaders.") var game: String
    @OptionGroup var options: DQNOptions

    func run() throws {
        let parsed: MinAtarGame
        do { parsed = try MinAtarGame(name: game) } catch { throw ValidationError("\(error)") }
        var settings = RLRunSettings(games: [parsed], frames: options.steps)
        do { try options.apply(to: &settings) } catch { throw ValidationError("\(error)") }
        try options.train(settings)
    }
}

/// `plasticity rl continual`: continual MinAtar.
struct RLContinual: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "continual",
        abstract: "Train one DQN on a sequence of MinAtar games (10 padded channels, 6 actions).")

    @Option(help: "Comma-separated games in play order (cycled).") var games = "space_invaders,asterix,seaquest"
    @Option(help: "Frames per game before switching.") var switchEvery = 100_000
    @Flag(help: "Empty the replay buffer at each switch.") var resetReplay = false
    @OptionGroup var options: DQNOptions

    func run() throws {
        let list: [MinAtarGame]
        do { list = try games.split(separator: ",").map { try MinAtarGame(name: String($0)) } } catch { throw ValidationError("\(error)") }
        var settings = RLRunSettings(games: list, frames: options.steps, switchEvery: switchEvery)
        settings.continual = true
        settings.resetReplayOnSwitch = resetReplay
        do { try options.apply(to: &settings) } catch { throw ValidationError("\(error)") }
        try options.train(settings)
    }
}

/// Runs RL run directories with interrupt handling and progress lines.
enum RLRunner {
    /// Plays `experiment` to the end; SIGINT/SIGTERM checkpoint and exit with 128 + signal.
    /// The memory budget of `rl` commands, which have no `--memory-limit` flag: the
    /// environment's `PLASTICITY_MEMORY_LIMIT_GB` or 8 GiB.
    static func budget() throws -> MemoryBudget {
        MemoryBudget(limitBytes: try MemoryBudget.standard().limitBytes)
    }

    static func execute(_ experiment: RLExperimentRun, resume: Bool, frames: String? = nil) throws {
        let signals = InterruptSignals()
        let summary = try experiment.execute(resume: resume, interrupted: { signals.isSet }) { record in
            try? report(record, run: experiment.run, total: experiment.config.run.frames, frames: frames)
        }
        for skipped in experiment.skippedCheckpoints { Console.error("warning: skipped \(skipped)") }
        for change in experiment.configChanges { Console.error("warning: resumed under a changed config: \(change)") }
        switch summary.status {
        case .finished: Console.line("run finished: \(experiment.directory.url.path)")
        case .diverged:
            Console.error("error: the TD loss became NaN or infinite; the run stopped (see \(experiment.directory.summaryURL.path))")
            throw ExitCode.failure
        case .interrupted:
            Console.line("interrupted at frame \(experiment.run.frame); checkpoint written; continue with: plasticity rl resume \(experiment.directory.url.path)")
            throw ExitCode(signals.exitCode)
        }
    }

    /// Prints a record's progress line and, with `frames`, writes environment 0's frame.
    static func report(_ record: MetricsRecord, run: DQNRun, total: Int, frames: String?) throws {
        Console.line(DQNOptions.progress(record, total: total))
        guard let frames, record["event"] == .string("log") else { return }
        try run.writeFrame(into: URL(fileURLWithPath: frames))
    }
}

/// `plasticity rl run CONFIG --out DIR`: an RL run config (`kind = "rl"`, docs/rl.md).
struct RLRunFile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Train a DQN from an RL run config (TOML, kind = \"rl\") into a run directory.")

    @Argument(help: "The config file.") var config: String
    @Option(help: "Run directory (created).") var out: String
    @Option(help: "Directory for SVG frames of environment 0, one per metrics record.") var frames: String?

    func run() throws {
        do {
            let experiment = try RLExperimentRun(config: try RLRunConfig.load(path: config), directory: RunDirectory(out), resume: false,
                                                 budget: try RLRunner.budget(), source: config)
            try RLRunner.execute(experiment, resume: false, frames: frames)
        } catch let e as ExitCode {
            throw e
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// `plasticity rl resume DIR`: continue a killed or interrupted RL run from its newest checkpoint.
struct RLResume: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Continue an RL run directory from its newest checkpoint (bit-identical to an uninterrupted run).")

    @Argument(help: "The run directory.") var directory: String
    @Option(help: "Directory for SVG frames of environment 0, one per metrics record.") var frames: String?
    @Flag(help: "Continue although config.toml was edited since the checkpoint (the changed keys are recorded in metrics.jsonl).")
    var allowConfigChange = false

    func run() throws {
        do {
            try RLRunner.execute(try RLExperimentRun.resuming(RunDirectory(directory), allowConfigChange: allowConfigChange,
                                                              budget: try RLRunner.budget()),
                                 resume: true, frames: frames)
        } catch let e as ExitCode {
            throw e
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// `plasticity rl bench`: MinAtar environment frames/s, optionally beside the reference.
struct RLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Environment frames/s per game (observation written every frame), one core.",
        discussion: """
            With --python PATH (a Python with minatar==1.0.15, see scripts/minatar-reference.py) the
            reference is measured in the same run and the ratio printed.
            """)

    @Option(help: "Seconds per timed window.") var seconds = 0.5
    @Option(help: "Python interpreter with minatar installed, to measure the reference too.") var python: String?
    @Option(help: "Episodes per game for the reference measurement.") var referenceEpisodes = 300

    func run() throws {
        var reference: [String: Double] = [:]
        if let python {
            do { reference = try MinAtarReference.framesPerSecond(python: python, episodes: referenceEpisodes) } catch {
                Console.error("error: \(error)")
                throw ExitCode.failure
            }
        }
        for game in MinAtarGame.allCases {
            let ours = try EnvironmentBenchmark.framesPerSecond(game, seconds: seconds)
            var line = game.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0) + String(format: "%12.0f frames/s", ours)
            if let r = reference[game.rawValue] {
                line += String(format: "   reference %9.0f   ratio %6.1f×", r, ours / r)
            }
            Console.line(line)
        }
    }
}
