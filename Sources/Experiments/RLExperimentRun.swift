import Foundation
import Networks
import RL
import Tensors
import Training

/// One DQN run (`RLRunConfig`) in a run directory, with the files of any run:
/// `config.toml`, `metrics.jsonl`, `checkpoints/step-<frame>.safetensors` (`DQNRun`'s
/// checkpoint: networks, Adam, replay buffer, environments, generators, counters),
/// `model.safetensors` (the online network at the end), `frame.svg` (environment 0's last
/// observation, `MinAtarSVG`), `summary.json` and `lock`. A killed or interrupted run
/// continues from its newest readable checkpoint, bit-identically (timings aside).
public final class RLExperimentRun {
    public let config: RLRunConfig
    public let directory: RunDirectory
    public let run: DQNRun
    private let lock: RunLock
    /// Checkpoints skipped on resume because they could not be read (newest first), with why.
    public private(set) var skippedCheckpoints: [String] = []

    /// Whether a resume may continue under a config that differs from its checkpoint's.
    private let allowConfigChange: Bool
    /// The changed keys a resume continued under (with `allowConfigChange`), recorded in the metrics.
    public private(set) var configChanges: [String] = []
    /// The sittings whose work this run holds (restored from the checkpoint, then this one).
    public private(set) var sittings: [RunSitting] = []

    /// Prepares a run; with `resume` the directory must hold the run's `config.toml`, and a
    /// config.toml edited since the checkpoint is refused (naming the changed keys) unless
    /// `allowConfigChange`.
    /// The agent's estimate (`DQNSettings.estimatedBytes`) must fit `budget`; `source` names
    /// the config in that error (default: the run's config.toml).
    public init(config: RLRunConfig, directory: RunDirectory, resume: Bool, allowConfigChange: Bool = false,
                budget: MemoryBudget = .builtIn, source: String? = nil) throws {
        self.allowConfigChange = allowConfigChange
        self.config = config
        self.directory = directory
        let d = config.dqn
        try budget.check(bytes: d.estimatedBytes(channels: config.run.channelCount, actions: config.run.actionCount),
                         for: "\(source ?? directory.configURL.path): dqn",
                         what: "Q-networks conv \(d.convolutionChannels), hidden \(d.hiddenWidth), replay \(d.replayCapacity), batch \(d.batchSize)")
        try FileSystem.createDirectory(directory.url)
        lock = try RunLock(directory)
        BLAS.setThreads(config.threads)
        do { run = try DQNRun(settings: config.run, dqn: config.dqn) } catch {
            throw ConfigError(file: directory.configURL.path, "\(error)")
        }
        try directory.prepare(resuming: resume)
        if !resume { try FileSystem.write(config.toml, to: directory.configURL) }
    }

    /// Opens a run directory for resuming: reads its `config.toml`.
    public static func resuming(_ directory: RunDirectory, allowConfigChange: Bool = false,
                                budget: MemoryBudget = .builtIn) throws -> RLExperimentRun {
        try RLExperimentRun(config: try RLRunConfig.load(path: try directory.existingConfigPath()), directory: directory, resume: true,
                            allowConfigChange: allowConfigChange, budget: budget)
    }

    /// Restores the newest readable checkpoint and returns the metrics length to keep (0:
    /// none, start over). Unreadable checkpoints are skipped for older ones and noted.
    private func restoreNewest() throws -> UInt64 {
        try directory.restoreNewestCheckpoint(skipped: &skippedCheckpoints, read: { url in
            let file = try SafetensorsFile.read(contentsOf: url)
            guard file.metadata["format"] == DQNRun.checkpointFormat else { throw RLError("\(url.path): not an RL checkpoint") }
            return file
        }) { file, url in
            configChanges = try ConfigFingerprint.checkResume(file.metadata, config: config.toml, configFile: directory.configURL.path,
                                                              checkpoint: url.lastPathComponent, allowed: allowConfigChange)
            do { try run.restore(from: file) } catch { throw ConfigError(file: url.path, "\(error)") }
            sittings = RunSitting.decode(file.metadata)
            guard let keep = file.metadata["metrics_bytes"].flatMap(UInt64.init) else {
                throw ConfigError(file: url.path, "checkpoint metadata 'metrics_bytes' is missing or malformed")
            }
            return keep
        }
    }

    /// Plays to the end (or until `interrupted` returns true at a metrics record, after
    /// writing a checkpoint), passing every record to `progress`. Returns the summary.
    @discardableResult
    public func execute(resume: Bool, interrupted: @escaping () -> Bool = { false },
                        progress: (MetricsRecord) -> Void = { _ in }) throws -> RunSummary {
        let keep = resume ? try restoreNewest() : 0
        if resume { try? FileManager.default.removeItem(at: directory.summaryURL) }
        sittings.append(.current(from: run.frame))
        let metrics = try MetricsWriter(url: directory.metricsURL, truncatingTo: keep)
        if !configChanges.isEmpty {
            try metrics.write(MetricsRecord([("event", .string("config_change")), ("frame", .int(run.frame)),
                                             ("changes", .string(configChanges.joined(separator: "; "))),
                                             ("code_version", .string(BuildInfo.commit))]).jsonLine)
        }
        let start = Date()
        let finished: Bool
        do {
            finished = try run.run(stop: interrupted, checkpoint: { try self.checkpoint(bytes: metrics.bytes) }) { record in
                try metrics.write(record.jsonLine)
                progress(record)
            }
        } catch let e as ConfigError {
            throw e
        } catch is DQNDivergence {
            return try summarize(.diverged, since: start)
        } catch {
            throw ConfigError(file: directory.url.path, "\(error)")
        }
        guard finished else { return try summarize(.interrupted, since: start) }
        try run.agent.online.saveSafetensors(to: directory.modelURL, metadata: ["format": "pt", "config": config.name])
        if let svg = run.frameSVG { try AtomicFile.write(Array(svg.utf8), to: directory.url.appendingPathComponent("frame.svg")) }
        return try summarize(.finished, since: start)
    }

    private func checkpoint(bytes: UInt64) throws {
        let file = try run.checkpoint(metadata: ConfigFingerprint.metadata(config.toml).merging(["metrics_bytes": String(bytes), "config": config.name,
                                                                                            RunSitting.metadataKey: RunSitting.encode(sittings)]) { _, own in own })
        try file.write(to: directory.checkpointURL(step: run.frame))
        for old in directory.checkpoints().dropLast(config.keepCheckpoints) { try? FileManager.default.removeItem(at: old.url) }
    }

    private func summarize(_ status: RunSummary.Status, since start: Date) throws -> RunSummary {
        let summary = try RunSummary(status: status, directory: directory, name: config.name,
                                     protocolName: config.run.continual ? "continual-minatar" : "minatar",
                                     parameters: run.agent.online.parameterCount, seconds: Date().timeIntervalSince(start),
                                     sittings: sittings)
        try summary.write(to: directory.summaryURL)
        return summary
    }
}

extension RunSummary {
    /// The summary of a run that has no `ExperimentConfig` (an RL run).
    init(status: Status, directory: RunDirectory, name: String, protocolName: String, parameters: Int, seconds: Double,
         sittings: [RunSitting]) throws {
        self.status = status
        tasks = try directory.metrics().filter { $0["event"] as? String == "task_end" }.map { record in
            record.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
        self.name = name
        self.protocolName = protocolName
        self.parameters = parameters
        self.seconds = seconds
        divergence = nil
        self.sittings = sittings
    }
}
