import Foundation
import Interventions
import Networks
import RL

/// The config of one DQN run on MinAtar (`plasticity rl run CONFIG`, the runs of the `rl`
/// study): `kind = "rl"`, `name`, `seed`, an `[rl]` table (what is played and measured), a
/// `[dqn]` table (the agent, `DQNSettings`) and `[[interventions]]` as in experiment configs.
/// Unknown keys are errors naming the file and line; `toml` writes every field back.
///
/// ```toml
/// kind = "rl"
/// seed = 0
/// [rl]
/// games = ["breakout"]
/// frames = 20000
/// [dqn]
/// norm = "layernorm"
/// weight_decay = 0.1
/// ```
public struct RLRunConfig: Sendable, Equatable {
    public var name = "rl"
    public var run: RLRunSettings
    public var dqn = DQNSettings()
    /// Checkpoints kept on disk (the newest ones).
    public var keepCheckpoints = 2
    /// OpenBLAS threads; results are bit-identical only for the same count.
    public var threads = 1

    public init(run: RLRunSettings) { self.run = run }

    /// Reads and validates a config file.
    public static func load(path: String) throws -> RLRunConfig {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, "no such file or not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses TOML text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> RLRunConfig {
        let root = try ConfigReader(text: text, file: file)
        _ = try root.choice("kind", "rl", ["rl"])
        let r = try root.table("rl")
        let names = try r.stringArray("games", ["breakout"])
        guard !names.isEmpty else { throw r.error("games", "needs at least one game") }
        let games = try names.map { name in
            do { return try MinAtarGame(name: name) } catch { throw r.error("games", "\(error)") }
        }
        let frames = try r.int("frames", 100_000, min: 1, max: ConfigLimits.steps)
        let switchEvery = try r.int("switch_every", 0, min: 0, max: ConfigLimits.steps)
        var c = RLRunConfig(run: RLRunSettings(games: games, frames: frames, switchEvery: switchEvery > 0 ? switchEvery : frames))
        c.name = try root.string("name", c.name)
        c.run.seed = UInt64(try root.int("seed", 0, min: 0))
        c.run.continual = try r.bool("continual", games.count > 1)
        if games.count > 1 && !c.run.continual { throw r.error("continual", "several games need continual = true") }
        c.run.environments = try r.int("environments", 1, min: 1, max: 4096)
        c.run.resetReplayOnSwitch = try r.bool("reset_replay", false)
        c.run.stickyActionProbability = Float(try r.double("sticky", 0.1))
        c.run.logEvery = try r.int("log_every", 5000, min: 1, max: ConfigLimits.steps)
        c.run.diagnosticsEvery = try r.int("diagnostics_every", 0, min: 0, max: ConfigLimits.steps)
        c.run.probeSize = try r.int("probe_size", 256, min: 1, max: 65_536)
        c.run.entkExamples = try r.int("entk_examples", 32, min: 1, max: 1024)
        c.run.checkpointEvery = try r.int("checkpoint_every", 0, min: 0, max: ConfigLimits.steps)
        c.keepCheckpoints = try r.int("keep_checkpoints", 2, min: 1, max: 1000)
        c.threads = try r.int("threads", 1, min: 1, max: 256)
        try r.finish()

        let d = try root.table("dqn")
        var s = DQNSettings()
        s.learningRate = Float(try d.double("lr", Double(s.learningRate)))
        s.adamEpsilon = Float(try d.double("adam_eps", Double(s.adamEpsilon)))
        s.weightDecay = Float(try d.double("weight_decay", 0))
        s.norm = Architecture.Norm(rawValue: try d.choice("norm", "none", ["none", "layernorm"]))!
        let loss = try d.choice("loss", "huber", DQNSettings.lossNames)
        let bins = try d.int("bins", 51, min: 2, max: 10_000)
        let range = Float(try d.double("value_range", 50))
        let delta = Float(try d.double("delta", 1))
        if range <= 0 { throw d.error("value_range", "must be > 0 (the support is [−value_range, value_range]), got \(range)") }
        if delta <= 0 { throw d.error("delta", "must be > 0, got \(delta)") }
        s.loss = try LossKind(name: loss, delta: delta, minimum: -range, maximum: range, bins: bins)
        s.doubleDQN = try d.bool("double", true)
        s.replayCapacity = try d.int("replay", s.replayCapacity, min: 1, max: 10_000_000)
        s.batchSize = try d.int("batch", s.batchSize, min: 1, max: 65_536)
        s.learningStarts = try d.int("learning_starts", s.learningStarts, min: 0, max: ConfigLimits.steps)
        s.trainEvery = try d.int("train_every", s.trainEvery, min: 1, max: ConfigLimits.steps)
        s.targetUpdateEvery = try d.int("target_update", s.targetUpdateEvery, min: 1, max: ConfigLimits.steps)
        s.epsilonStart = Float(try d.double("epsilon_start", 1))
        s.epsilonEnd = Float(try d.double("epsilon_end", Double(s.epsilonEnd)))
        s.epsilonFrames = try d.int("epsilon_frames", s.epsilonFrames, min: 0, max: ConfigLimits.steps)
        s.gamma = Float(try d.double("gamma", Double(s.gamma)))
        s.hiddenWidth = try d.int("hidden", s.hiddenWidth, min: 1, max: ConfigLimits.width)
        s.convolutionChannels = try d.int("conv_channels", s.convolutionChannels, min: 1, max: ConfigLimits.width)
        // DQNSettings.validate names the invalid setting by its [dqn] key, so the error names its line.
        do { try s.validate() } catch let e as DQNSettingError { throw d.error(e.key, e.problem) }
        try d.finish()
        c.dqn = s
        c.run.interventions = try root.interventionSpecs()
        if let bad = c.run.interventions.first(where: { $0.name == "plasticity-injection" }) {
            throw ConfigError(file: file, "intervention '\(bad.name)' is not available for the DQN")
        }
        try root.finish()
        do { try c.run.validate() } catch { throw ConfigError(file: file, "rl: \(error)") }
        return c
    }

    /// The resolved config as TOML, every field written, in a fixed order.
    public var toml: String {
        let q = tomlString
        func num(_ f: Float) -> String { f == f.rounded() && abs(f) < 1e7 ? String(format: "%.1f", f) : "\(f)" }
        let r = run, d = dqn
        var out = "# Resolved PlasticityLab RL run config.\nkind = \"rl\"\nname = \(q(name))\nseed = \(r.seed)\n"
        out += "\n[rl]\ngames = [\(r.games.map { q($0.rawValue) }.joined(separator: ", "))]\nframes = \(r.frames)\n"
        out += "switch_every = \(r.switchEvery)\ncontinual = \(r.continual)\nenvironments = \(r.environments)\n"
        out += "reset_replay = \(r.resetReplayOnSwitch)\nsticky = \(num(r.stickyActionProbability))\nlog_every = \(r.logEvery)\n"
        out += "diagnostics_every = \(r.diagnosticsEvery)\nprobe_size = \(r.probeSize)\nentk_examples = \(r.entkExamples)\n"
        out += "checkpoint_every = \(r.checkpointEvery)\nkeep_checkpoints = \(keepCheckpoints)\nthreads = \(threads)\n"
        out += "\n[dqn]\nlr = \(num(d.learningRate))\nadam_eps = \(num(d.adamEpsilon))\nweight_decay = \(num(d.weightDecay))\n"
        out += "norm = \(q(d.norm.rawValue))\n"
        switch d.loss {
        case .huber(let delta): out += "loss = \"huber\"\ndelta = \(num(delta))\n"
        case .distributional(_, _, let hi, let bins):
            out += "loss = \(q(d.loss.name))\nbins = \(bins)\nvalue_range = \(num(hi))\n"
        case .crossEntropy, .mse: out += "loss = \(q(d.loss.name))\n"  // DQNSettings.validate rejects these
        }
        out += "double = \(d.doubleDQN)\nreplay = \(d.replayCapacity)\nbatch = \(d.batchSize)\nlearning_starts = \(d.learningStarts)\n"
        out += "train_every = \(d.trainEvery)\ntarget_update = \(d.targetUpdateEvery)\nepsilon_start = \(num(d.epsilonStart))\n"
        out += "epsilon_end = \(num(d.epsilonEnd))\nepsilon_frames = \(d.epsilonFrames)\ngamma = \(num(d.gamma))\n"
        out += "hidden = \(d.hiddenWidth)\nconv_channels = \(d.convolutionChannels)\n"
        for spec in r.interventions { out += spec.toml }
        return out
    }
}
