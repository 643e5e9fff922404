import Foundation
import Tensors

/// `RUN.md` of a study directory: how its runs were made, one table row per sitting (one
/// invocation of `plasticity study`), so a study finished over several sittings on different
/// machines says which commit, CPU and BLAS kernel made which runs. Rows are appended; the
/// header (the study, the command that continues it and the one that rebuilds the report) is
/// rewritten each time.
public struct StudySittings {
    public static let fileName = "RUN.md"

    /// One sitting.
    public struct Sitting: Sendable {
        public var started: Date
        public var commit: String
        public var cpu: String
        public var cores: Int
        public var jobs: Int
        /// Runs executed in this sitting (not those found already done).
        public var ran: Int
        public var finished: Int
        public var planned: Int
        public var wallSeconds: Double
        /// How it ended: "finished", "interrupted", or "N failed".
        public var ending: String

        public init(started: Date, commit: String = BuildInfo.commit, cpu: String = StudySittings.cpuName(),
                    cores: Int = ProcessInfo.processInfo.activeProcessorCount, jobs: Int, ran: Int, finished: Int,
                    planned: Int, wallSeconds: Double, ending: String) {
            self.started = started
            self.commit = commit
            self.cpu = cpu
            self.cores = cores
            self.jobs = jobs
            self.ran = ran
            self.finished = finished
            self.planned = planned
            self.wallSeconds = wallSeconds
            self.ending = ending
        }

        var row: String {
            let when = ISO8601DateFormatter().string(from: started)
            let wall = String(format: "%.0f s", wallSeconds)
            return "| \(when) | `\(commit)` | \(cpu) (\(cores) cores), OpenBLAS \(BLAS.coreName) | \(jobs) | \(ran) | \(finished) / \(planned) | \(wall) | \(ending) |"
        }
    }

    /// Appends `sitting` to `directory/RUN.md` for study `name` at `scale`, continued with
    /// `command`; `shownPath` is the directory as the command names it.
    /// `runCommits` counts the study's run summaries by the commit of the binary that wrote them,
    /// `runMachines` by the CPU, BLAS kernel and thread count of their sittings.
    public static func append(_ sitting: Sitting, name: String, scale: String, command: String, directory: URL,
                              shownPath: String, runCommits: [String: Int],
                              runMachines: [String: Int]) throws {
        let url = directory.appendingPathComponent(fileName)
        let tableHead = "| started (UTC) | commit | CPU, BLAS kernel | jobs | runs this sitting | finished / planned | wall | ended |"
        let rule = "|---|---|---|---|---|---|---|---|"
        var rows: [String] = []
        if let old = try? String(contentsOf: url, encoding: .utf8), let head = old.range(of: tableHead + "\n" + rule + "\n") {
            rows = old[head.upperBound...].split(separator: "\n").map(String.init).filter { $0.hasPrefix("| ") }
        }
        rows.append(sitting.row)
        let text = """
            # \(name), \(scale) scale

            Made (and continued, as often as needed) with

            ```bash
            \(command)
            ```

            which skips every run already finished here. The report rebuilds from the committed files with
            `plasticity report \(shownPath)`. Each row is one sitting; wall times are for the runs of that
            sitting on that machine (other work may have shared its cores).

            Runs by the commit of the binary that made them (each run's `summary.json` records it):
            \(runCommits.sorted { $0.key < $1.key }.map { "`\($0.key)` \($0.value)" }.joined(separator: ", ")).

            Runs by the CPU, BLAS kernel and threads that made them (`summary.json`'s `sittings`; a run made
            over sittings on different machines counts under each; results are bit-identical only within one):
            \(runMachines.isEmpty ? "none recorded." : runMachines.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ") + ".")

            \(tableHead)
            \(rule)
            \(rows.joined(separator: "\n"))

            """
        try FileSystem.write(text, to: url)
    }

    /// The CPU's model name from /proc/cpuinfo ("unknown CPU" elsewhere).
    public static func cpuName() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown CPU" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
