import Foundation
import Networks
import Training

/// The end-of-run digest written to `summary.json`: how the run ended (`status`), the number
/// of finished tasks (`tasks_finished`) and the last one's end metrics (`final`; every task's
/// are in `metrics.jsonl` and a study's `results.csv.gz`, so the digest stays small) and run
/// facts, with the `version` and `commit` of the binary that wrote it (`BuildInfo`) and the
/// `sittings` that made it (`RunSitting`: commit, CPU, BLAS kernel, threads, from). A
/// diverged run also records where (`diverged_at`: task, step, global step, what
/// became non-finite) and its `last_finite_loss`.
public struct RunSummary: Sendable {
    /// How a run ended.
    public enum Status: String, Sendable {
        /// Trained to the end of its stream.
        case finished
        /// Stopped because the loss or a parameter became NaN or infinite; resuming would
        /// diverge again, so a study counts it as done.
        case diverged
        /// Stopped by SIGINT or SIGTERM after writing a checkpoint; `--resume` continues it.
        case interrupted
    }

    public let status: Status
    /// One dictionary of final metrics per task, in task order.
    public let tasks: [[String: Double]]
    public let name: String
    public let protocolName: String
    public let parameters: Int
    public let seconds: Double
    /// Where a diverged run stopped.
    public let divergence: DivergenceError?
    /// The sittings whose work the run holds, oldest first.
    public let sittings: [RunSitting]

    init(status: Status, directory: RunDirectory, config: ExperimentConfig, parameters: Int, seconds: Double,
         sittings: [RunSitting], divergence: DivergenceError? = nil) throws {
        self.status = status
        tasks = try directory.metrics().filter { $0["event"] as? String == "task_end" }.map { record in
            record.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
        name = config.name
        protocolName = config.stream.protocolName.rawValue
        self.parameters = parameters
        self.seconds = seconds
        self.divergence = divergence
        self.sittings = sittings
    }

    /// A metric's value at the end of every task (nil where a task lacks it).
    public func series(_ metric: String) -> [Double?] { tasks.map { $0[metric] } }

    func write(to url: URL) throws {
        var payload: [String: Any] = [
            "status": status.rawValue, "name": name, "protocol": protocolName, "parameters": parameters,
            "seconds_this_session": seconds, "tasks_finished": tasks.count, "final": tasks.last ?? [:],
            "version": BuildInfo.version, "commit": BuildInfo.commit,
            "sittings": sittings.map(\.object),
        ]
        if let d = divergence {
            payload["diverged_at"] = ["task": d.task, "step": d.step, "global_step": d.globalStep, "quantity": d.quantity]
            payload["last_finite_loss"] = d.lastFiniteLoss.map { Double($0) } ?? NSNull()
        }
        let data = try JSONSerialization.data(withJSONObject: payload, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write([UInt8](data), to: url)
    }

    /// The `commit` of the binary that wrote `url`'s summary, nil if there is none or it is
    /// unreadable ("unknown" for summaries written before commits were recorded).
    public static func commit(at url: URL) -> String? {
        guard let object = fields(at: url) else { return nil }
        return object["commit"] as? String ?? "unknown"
    }

    /// The distinct machines of the sittings in `url`'s summary, each "CPU, OpenBLAS kernel,
    /// N thread(s)" (empty if there is no summary or it records no sittings).
    public static func machines(at url: URL) -> [String] {
        guard let sittings = fields(at: url)?["sittings"] as? [[String: Any]] else { return [] }
        return sittings.compactMap { RunSitting(object: $0)?.machine }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The `status` recorded in `url`'s summary, nil if there is none or it is unreadable;
    /// summaries written before statuses existed count as finished.
    public static func status(at url: URL) -> Status? {
        guard let object = fields(at: url) else { return nil }
        guard let text = object["status"] as? String else { return .finished }
        return Status(rawValue: text)
    }

    /// The status in `url`'s summary, nil when there is no summary; a summary that exists but
    /// is not a JSON object with a known status (truncated, edited) is an error naming it.
    public static func readStatus(at url: URL) throws -> Status? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let status = status(at: url) else {
            throw ConfigError(file: url.path, "unreadable run summary (not a JSON object with a known \"status\"); resume the run to rewrite it")
        }
        return status
    }

    /// The top-level fields of `url`'s summary, nil if there is none or it is unreadable.
    private static func fields(at url: URL) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }
}
