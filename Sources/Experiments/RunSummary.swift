import Foundation

/// The end-of-run digest written to `summary.json`: per-task end metrics (read back from
/// `metrics.jsonl`, so it is complete across resumes) and run facts.
public struct RunSummary: Sendable {
    /// One dictionary of final metrics per task, in task order.
    public let tasks: [[String: Double]]
    public let name: String
    public let protocolName: String
    public let parameters: Int
    public let seconds: Double

    init(directory: RunDirectory, config: ExperimentConfig, parameters: Int, seconds: Double) throws {
        tasks = try directory.metrics().filter { $0["event"] as? String == "task_end" }.map { record in
            record.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
        name = config.name
        protocolName = config.stream.protocolName.rawValue
        self.parameters = parameters
        self.seconds = seconds
    }

    /// A metric's value at the end of every task (nil where a task lacks it).
    public func series(_ metric: String) -> [Double?] { tasks.map { $0[metric] } }

    func write(to url: URL) throws {
        let payload: [String: Any] = [
            "name": name, "protocol": protocolName, "parameters": parameters, "seconds_this_session": seconds,
            "tasks": tasks,
        ]
        let data = try JSONSerialization.data(withJSONObject: payload, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: url, options: .atomic)
    }
}
