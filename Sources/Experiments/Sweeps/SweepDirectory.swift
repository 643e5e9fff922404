import Foundation
import Tensors

/// The files of a sweep: `runs.tsv` (index, run path — the manifest every backend and
/// `sweep status` read), `runs/…/` (normal run directories, each prepared with its
/// `config.toml` so every run starts as `plasticity run --resume DIR`), and `logs/run-NNNN.*`
/// (`.log` output, `.started` — who runs it — and `.exit` written around each attempt), plus `slurm/` for the
/// Slurm backend.
public struct SweepDirectory: Sendable {
    /// Where a run stands.
    public enum State: String, Sendable, CaseIterable {
        /// Trained to the end (`summary.json` with status finished).
        case done
        /// Stopped by a NaN/Inf loss or parameter (`summary.json` with status diverged); like
        /// a study, a sweep does not retry it, since it would diverge again.
        case diverged
        /// Started and not yet exited (a local run whose process is gone counts as pending; a
        /// Slurm task killed without a chance to record its exit shows here).
        case running
        /// Exited with a non-zero status.
        case failed
        /// Not started, or to be started again.
        case pending
    }

    /// One run's state; `detail` is a failed run's last error line or where a run diverged.
    public struct RunState: Sendable {
        public let index: Int
        public let directory: RunDirectory
        public let state: State
        public let detail: String?
    }

    public let url: URL

    public init(_ path: String) { url = URL(fileURLWithPath: path).standardizedFileURL }

    public var manifestURL: URL { url.appendingPathComponent("runs.tsv") }
    public var logsURL: URL { url.appendingPathComponent("logs") }
    public var slurmURL: URL { url.appendingPathComponent("slurm") }

    /// The log files of run `index` without extension (`logs/run-0003`).
    public func logBase(_ index: Int) -> URL { logsURL.appendingPathComponent(String(format: "run-%04d", index)) }

    /// Creates the directory and takes its lock (`DIR/lock`) for as long as the returned object
    /// lives, so that two `sweep start` on one `--out` never run the same runs twice; a second
    /// one is refused in one line naming the directory and the owner's pid.
    public func lock() throws -> RunLock {
        try FileSystem.createDirectory(url)
        return try RunLock(RunDirectory(url.path), studyWait: 0)
    }

    /// Creates the directory, the manifest and every run directory with its resolved
    /// `config.toml`. An existing sweep directory is accepted only if it holds the same runs.
    public func prepare(_ plan: SweepPlan) throws {
        try FileSystem.createDirectory(logsURL)
        let manifest = plan.runs.map { "\($0.index)\t\($0.relativePath)\n" }.joined()
        if let old = try? String(contentsOf: manifestURL, encoding: .utf8), old != manifest {
            throw ConfigError(file: manifestURL.path, "this directory holds a different sweep; choose another --out")
        }
        for run in plan.runs {
            let dir = RunDirectory(url.appendingPathComponent(run.relativePath).path)
            try ConfigFingerprint.checkPlanned(run.config.toml, in: dir, by: "the sweep's run \(run.index)")
            if FileManager.default.fileExists(atPath: dir.configURL.path) { continue }
            try FileSystem.createDirectory(dir.url)
            try FileSystem.write(run.config.toml, to: dir.configURL)
        }
        try FileSystem.write(manifest, to: manifestURL)
    }

    /// The runs listed in the manifest, in index order.
    public func runs() throws -> [(index: Int, directory: RunDirectory)] {
        guard let text = try? String(contentsOf: manifestURL, encoding: .utf8) else {
            throw ConfigError(file: manifestURL.path, "no such file: not a sweep directory")
        }
        return try text.split(separator: "\n").enumerated().map { n, line in
            let f = line.split(separator: "\t", maxSplits: 1)
            guard f.count == 2, let i = Int(f[0]) else { throw ConfigError(file: manifestURL.path, line: n + 1, "expected INDEX<tab>PATH") }
            return (i, RunDirectory(url.appendingPathComponent(String(f[1])).path))
        }
    }

    /// Every run's state, from its summary and its attempt markers.
    public func states() throws -> [RunState] {
        return try runs().map { index, dir in
            let base = logBase(index)
            switch RunSummary.status(at: dir.summaryURL) {
            case .finished: return RunState(index: index, directory: dir, state: .done, detail: nil)
            case .diverged: return RunState(index: index, directory: dir, state: .diverged, detail: Self.divergence(dir))
            case .interrupted: return RunState(index: index, directory: dir, state: .pending, detail: nil)
            case nil: break
            }
            if let exit = try? String(contentsOf: base.appendingPathExtension("exit"), encoding: .utf8) {
                let code = exit.trimmingCharacters(in: .whitespacesAndNewlines)
                if code != "0" {
                    let log = (try? String(contentsOf: base.appendingPathExtension("log"), encoding: .utf8)) ?? ""
                    let line = log.split(separator: "\n").last { $0.hasPrefix("error:") }.map(String.init) ?? "exited with status \(code)"
                    return RunState(index: index, directory: dir, state: .failed, detail: line)
                }
            } else if let started = try? String(contentsOf: base.appendingPathExtension("started"), encoding: .utf8),
                      !Self.isDeadLocalProcess(started) {
                return RunState(index: index, directory: dir, state: .running, detail: nil)
            }
            return RunState(index: index, directory: dir, state: .pending, detail: nil)
        }
    }

    /// "at global step N" from a diverged run's summary.
    static func divergence(_ dir: RunDirectory) -> String? {
        guard let data = FileManager.default.contents(atPath: dir.summaryURL.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let at = object["diverged_at"] as? [String: Any], let step = at["global_step"] as? Int else { return nil }
        return "\(at["quantity"] as? String ?? "loss") became non-finite at global step \(step)"
    }

    /// Whether a `.started` marker (`<host> <pid>` from the local backend, `slurm <job>` from
    /// an array task) names a process on this host that no longer exists: an interrupted run.
    static func isDeadLocalProcess(_ marker: String) -> Bool {
        let f = marker.split(whereSeparator: \.isWhitespace)
        guard f.count == 2, f[0] == ProcessInfo.processInfo.hostName, let pid = Int32(f[1]) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Indices of the runs to (re)start: pending and failed ones.
    public func unfinished() throws -> [Int] {
        try states().filter { $0.state == .pending || $0.state == .failed }.map(\.index)
    }
}
