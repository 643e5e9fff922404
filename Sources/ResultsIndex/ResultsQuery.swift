import Foundation
import GRDB

extension ResultsDatabase {
    /// Runs matching `filter`, one row each: identity, status, and for every metric its value
    /// at the last finished task and its mean over finished tasks. With no `metrics`, the
    /// accuracies that the index holds are shown.
    public func table(_ filter: RunFilter, metrics: [String] = []) throws -> ResultsTable {
        try read { db in
            let known = try String.fetchAll(db, sql: "SELECT DISTINCT metric FROM task_metrics ORDER BY metric")
            if let unknown = metrics.first(where: { !known.contains($0) }) {
                throw IndexError("\(path): no run has metric '\(unknown)' (indexed: \(known.joined(separator: ", ")))")
            }
            let shown = metrics.isEmpty ? ["train_accuracy", "test_accuracy"].filter(known.contains) : metrics
            var clauses: [String] = [], arguments: [(any DatabaseValueConvertible)?] = []
            if let s = filter.study { clauses.append("study = ?"); arguments.append(s) }
            if let p = filter.protocolName { clauses.append("protocol = ?"); arguments.append(p) }
            if let i = filter.intervention {
                if i == "none" {
                    clauses.append("interventions = ''")
                } else {
                    clauses.append("EXISTS (SELECT 1 FROM run_interventions ri WHERE ri.run_id = runs.id AND ri.name = ?)")
                    arguments.append(i)
                }
            }
            let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, study, name, protocol, interventions, seed, status, tasks_finished, global_step, seconds, dir
                FROM runs \(whereSQL) ORDER BY study, name, seed, dir
                """, arguments: StatementArguments(arguments))
            var columns = ["study", "name", "protocol", "interventions", "seed", "status", "tasks", "steps", "seconds"]
            for m in shown { columns += ["\(m) last", "\(m) mean"] }
            columns.append("dir")
            let out: [[String]] = try rows.map { row in
                let id: Int64 = row["id"]
                var cells: [String] = [row["study"], row["name"], row["protocol"], row["interventions"],
                                       String(row["seed"] as Int), row["status"], String(row["tasks_finished"] as Int),
                                       String(row["global_step"] as Int),
                                       (row["seconds"] as Double?).map { String(format: "%.1f", $0) } ?? "-"]
                for m in shown {
                    let last = try Double.fetchOne(db, sql: "SELECT value FROM final_metrics WHERE run_id = ? AND metric = ?",
                                                   arguments: [id, m])
                    let mean = try Double.fetchOne(db, sql: "SELECT AVG(value) FROM task_metrics WHERE run_id = ? AND metric = ?",
                                                   arguments: [id, m])
                    cells += [last, mean].map { $0.map { String(format: "%.4f", $0) } ?? "-" }
                }
                cells.append(row["dir"])
                return cells
            }
            return ResultsTable(columns: columns, rows: out)
        }
    }
}

/// Which runs a query keeps; nil fields do not filter. `intervention` "none" keeps runs
/// without interventions.
public struct RunFilter: Sendable {
    public var study: String?
    public var protocolName: String?
    public var intervention: String?

    public init(study: String? = nil, protocolName: String? = nil, intervention: String? = nil) {
        self.study = study
        self.protocolName = protocolName
        self.intervention = intervention
    }
}
