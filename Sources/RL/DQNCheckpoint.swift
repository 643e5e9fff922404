import Diagnostics
import Foundation
import Networks
import Tensors
import Training

/// A `DQNRun`'s whole state in one safetensors file, so that a run stopped at a metrics
/// record continues bit-identically: the online network under its own names
/// (`layers.0.weight`, …, loadable as a PyTorch state dict), the target network as
/// `target.<name>`, Adam's moments as `optimizer.<name>`, intervention state as
/// `hook.<hook>.<key>` (the diagnostic reference points and pending resets under
/// `hook.diagnostics.`), every finished
/// episode's return as `episode_returns`, and the replay buffer (`ReplayBuffer` entries, all
/// transitions held: a resumed agent samples the batches the uninterrupted one would).
/// Metadata: counters (frame, segment, updates, next record/diagnostic/checkpoint frames),
/// every generator (exploration and replay sampling, probe sampling, interventions), the
/// environments as JSON (`EnvironmentBatch.encodedState`: rules, generators, sticky action,
/// episode counters), the BLAS thread count, and whatever the caller adds.
extension DQNRun {
    public static let checkpointFormat = "plasticitylab-rl-checkpoint-2"

    /// The checkpoint of the run as it is now (call it from `run`'s `checkpoint` closure).
    public func checkpoint(metadata extra: [String: String] = [:]) throws -> SafetensorsFile {
        var entries = agent.online.stateDict()
        entries += agent.target.stateDict().map { StateEntry(name: "target." + $0.name, tensor: $0.tensor, storedType: $0.storedType) }
        func vector(_ name: String, _ values: [Float]) -> StateEntry {
            StateEntry(name: name, tensor: Tensor(shape: Shape(values.count), values: values))
        }
        for (name, values) in agent.optimizer.stateVectors() { entries.append(vector("optimizer." + name, values)) }
        for hook in hooks.hooks {
            for (key, values) in hook.checkpointState().sorted(by: { $0.key < $1.key }) { entries.append(vector("hook.\(hook.name).\(key)", values)) }
        }
        entries.append(vector("episode_returns", episodeReturns))
        var metadata = extra
        metadata["format"] = Self.checkpointFormat
        let numbers: [(String, Int)] = [
            ("frame", frame), ("segment", segment), ("segment_first_episode", segmentFirstEpisode), ("next_log", nextLog),
            ("next_diagnostics", nextDiagnostics), ("next_checkpoint", nextCheckpoint), ("updates", agent.updates),
            ("optimizer_steps", agent.optimizer.stepCount), ("blas_threads", BLAS.threads),
        ]
        for (key, value) in numbers { metadata[key] = String(value) }
        metadata["elapsed_s"] = "\(elapsedSeconds)"
        func save(_ key: String, _ rng: RandomGenerator) {
            metadata[key + "_state"] = String(rng.state)
            metadata[key + "_increment"] = String(rng.increment)
        }
        save("agent_rng", agent.rng)
        save("probe_rng", probeRNG)
        save("hook_rng", hooks.rng)
        let p = hooks.position
        metadata["hook_position"] = "\(p.task),\(p.step),\(p.globalStep)"
        if let environments { metadata["environments"] = String(decoding: try environments.encodedState(), as: UTF8.self) }
        for (key, value) in agent.replay.checkpointMetadata { metadata[key] = value }
        var file = try SafetensorsFile(stateDict: entries, metadata: metadata)
        file.entries += agent.replay.checkpointEntries()
        return file
    }

    /// Restores a fresh run (same settings) from `file`, written by `checkpoint`; throws an
    /// `RLError` naming the file and the problem if it does not fit.
    public func restore(from file: SafetensorsFile) throws {
        let source = file.source
        guard file.metadata["format"] == Self.checkpointFormat else {
            throw RLError("\(source): not a PlasticityLab RL checkpoint (format \(file.metadata["format"] ?? "missing"))")
        }
        func meta<T: LosslessStringConvertible>(_ key: String) throws -> T {
            guard let s = file.metadata[key], let v = T(s) else { throw RLError("\(source): metadata '\(key)' is missing or malformed") }
            return v
        }
        func rng(_ key: String) throws -> RandomGenerator {
            RandomGenerator(state: try meta(key + "_state"), increment: try meta(key + "_increment"))
        }
        let threads: Int = try meta("blas_threads")
        guard threads == BLAS.threads else {
            throw RLError("\(source): written with \(threads) BLAS thread(s), resuming with \(BLAS.threads): results would differ")
        }
        func floats(_ name: String) throws -> [Float] {
            do { return try file.floats(name) } catch { throw RLError("\(error)") }
        }
        func entries(prefix: String) throws -> [StateEntry] {
            try file.entries.filter { $0.dtype == .F32 && $0.name.hasPrefix(prefix) }
                .map { StateEntry(name: String($0.name.dropFirst(prefix.count)), tensor: Tensor(shape: Shape($0.shape), values: try floats($0.name))) }
        }
        let reserved = ["target.", "optimizer.", "hook.", "replay.", "episode_returns"]
        let all = try entries(prefix: "")
        do {
            try agent.online.load(all.filter { e in !reserved.contains { e.name.hasPrefix($0) } }, strict: true)
            try agent.target.load(try entries(prefix: "target."), strict: true)
            let moments = try entries(prefix: "optimizer.").map { (name: $0.name, values: $0.tensor.values) }
            try agent.optimizer.loadStateVectors(moments, stepCount: try meta("optimizer_steps"))
        } catch let e as RLError {
            throw e
        } catch {
            throw RLError("\(source): \(error)")
        }
        for hook in hooks.hooks {
            var state: [String: [Float]] = [:]
            for e in try entries(prefix: "hook.\(hook.name).") { state[e.name] = e.tensor.values }
            do { try hook.restore(state) } catch { throw RLError("\(source): \(error)") }
        }
        episodeReturns = try floats("episode_returns")
        try agent.replay.restore(from: file)
        agent.updates = try meta("updates")
        agent.rng = try rng("agent_rng")
        probeRNG = try rng("probe_rng")
        frame = try meta("frame")
        segment = try meta("segment")
        segmentFirstEpisode = try meta("segment_first_episode")
        nextLog = try meta("next_log")
        nextDiagnostics = try meta("next_diagnostics")
        nextCheckpoint = try meta("next_checkpoint")
        elapsedBefore = try meta("elapsed_s")
        guard frame >= 0, frame <= settings.frames, segment >= -1, segment < settings.segmentCount,
              segmentFirstEpisode <= episodeReturns.count else {
            throw RLError("\(source): position (frame \(frame), segment \(segment)) does not fit this run of \(settings.frames) frames")
        }
        hooks.rng = try rng("hook_rng")
        let parts = (file.metadata["hook_position"] ?? "").split(separator: ",").compactMap { Int($0) }
        guard parts.count == 3 else { throw RLError("\(source): metadata 'hook_position' is missing or malformed") }
        hooks.restore(position: StreamPosition(task: parts[0], step: parts[1], globalStep: parts[2]))
        if segment >= 0 {
            guard let json = file.metadata["environments"] else { throw RLError("\(source): metadata 'environments' is missing") }
            let envs = try makeEnvironments(segment: segment)
            do { try envs.restore(encodedState: Data(json.utf8)) } catch let e as RLError { throw RLError("\(source): \(e.description)") }
            environments = envs
        }
    }
}
