import Experiments
import Foundation

/// What the results index stores about one run directory: identity (name, study, protocol,
/// interventions, seed), progress and timings, the resolved `config.toml`, and the metrics of
/// every `task_end` record in `metrics.jsonl` (so an unfinished run is indexed as far as it got).
public struct IndexedRun: Sendable {
    /// Absolute path of the run directory.
    public let directory: String
    public let name: String
    /// The first `/`-separated part of the run's name (`swiss-cheese` for
    /// `swiss-cheese/random-labels/redo`, the sweep for a sweep run); "" for a lone run.
    public let study: String
    public let protocolName: String
    /// Intervention names in application order.
    public let interventions: [String]
    public let seed: Int
    /// The `status` of summary.json (`finished`, `diverged`, `interrupted`), or `incomplete`
    /// when there is none yet.
    public let status: String
    /// For a diverged run: the global step at which the loss or a parameter became non-finite,
    /// and the last finite training loss before it.
    public let divergedAtStep: Int?
    public let lastFiniteLoss: Double?
    public let configTOML: String
    /// Global steps logged so far (the last record's `global_step`).
    public let globalStep: Int
    /// Trainable parameter count and training seconds of the last session (finished runs only).
    public let parameters: Int?
    public let seconds: Double?
    /// Modification times of config.toml (≈ start) and metrics.jsonl (last write).
    public let startedAt: Date
    public let updatedAt: Date
    /// One dictionary of numeric metrics per finished task, in task order.
    public let taskMetrics: [[String: Double]]
    /// Changes whenever the run's files change; an unchanged run is not re-read.
    public let stamp: String

    /// Reads `directory`; throws an `IndexError` naming the file when it is not a readable run.
    public init(directory: RunDirectory) throws {
        let fm = FileManager.default
        let run = directory.url.standardizedFileURL
        self.directory = run.path
        let config: ExperimentConfig
        do { config = try ExperimentConfig.load(path: directory.configURL.path) } catch {
            throw IndexError("\(error)")
        }
        configTOML = try String(contentsOf: directory.configURL, encoding: .utf8)
        name = config.name
        study = name.contains("/") ? String(name.split(separator: "/")[0]) : ""
        protocolName = config.stream.protocolName.rawValue
        interventions = config.interventions.map(\.name)
        seed = Int(config.seed)
        let records = try Self.records(directory)
        globalStep = records.last.flatMap { ($0["global_step"] as? NSNumber)?.intValue } ?? 0
        taskMetrics = records.filter { $0["event"] as? String == "task_end" }.map { record in
            record.filter { !["task", "step", "global_step"].contains($0.key) }.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
        let summary = fm.contents(atPath: directory.summaryURL.path)
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        status = summary.map { $0["status"] as? String ?? "finished" } ?? "incomplete"
        divergedAtStep = ((summary?["diverged_at"] as? [String: Any])?["global_step"] as? NSNumber)?.intValue
        lastFiniteLoss = (summary?["last_finite_loss"] as? NSNumber)?.doubleValue
        parameters = (summary?["parameters"] as? NSNumber)?.intValue
        seconds = (summary?["seconds_this_session"] as? NSNumber)?.doubleValue
        func modified(_ url: URL) -> Date {
            ((try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        }
        startedAt = modified(directory.configURL)
        updatedAt = modified(directory.currentMetricsURL)
        let size = ((try? fm.attributesOfItem(atPath: directory.currentMetricsURL.path))?[.size] as? NSNumber)?.intValue ?? 0
        stamp = "\(size):\(updatedAt.timeIntervalSince1970):\(status)"
    }

    /// The JSON objects of `metrics.jsonl` (or `metrics.jsonl.gz`); a torn last line (a run
    /// killed mid-write) is left out.
    private static func records(_ directory: RunDirectory) throws -> [[String: Any]] {
        let url = directory.currentMetricsURL
        let data: [UInt8]
        do { data = try directory.metricsBytes() } catch { throw IndexError("\(error)") }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return try lines.enumerated().compactMap { i, line in
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { return object }
            if i == lines.count - 1 && !data.isEmpty && data.last != UInt8(ascii: "\n") { return nil }
            throw IndexError("\(url.path):\(i + 1): not a JSON object")
        }
    }
}

/// A problem building or querying the results index; `description` is one line.
public struct IndexError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
