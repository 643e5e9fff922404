import Foundation
import Subprocesses
import Tensors

/// Executes a study's runs as separate `plasticity run` (or, for RL runs, `plasticity rl run`) processes, `jobs` at a time, each in
/// its own run directory under the study directory. A run whose `summary.json` says finished
/// or diverged is done and skipped (a diverged run would diverge again); one with a
/// `config.toml` and no such summary (killed or interrupted) is resumed from its newest
/// checkpoint; the rest start fresh. So an interrupted study continues where it stopped, and
/// one diverging run does not stop the others. A run directory that already holds a
/// `config.toml` (an earlier sitting's, or one committed under `results/` from another
/// machine) must hold exactly the planned config: otherwise the study stops before running
/// anything, naming the run, rather than mixing runs of two designs. The study holds a lock on
/// its directory (a second study there is refused), and its runs stop, checkpointed, when it
/// dies (even by SIGKILL), so a rerun resumes every one of them.
public struct StudyRunner {
    /// What happened to one run.
    public struct Outcome: Sendable {
        public let run: StudyPlan.PlannedRun
        public let directory: RunDirectory
        public let seconds: Double
        /// The error line of a failed run, nil if it succeeded.
        public let failure: String?
        /// How the run ended, from its `summary.json` (nil if it wrote none).
        public let status: RunSummary.Status?
    }

    /// The environment variable that gives a run the study's pid: a run whose parent is no
    /// longer that process (the study was killed) checkpoints and stops as if interrupted.
    public static let parentVariable = "PLASTICITY_STUDY_PID"

    public let plan: StudyPlan
    public let directory: URL
    public let jobs: Int
    /// The `plasticity` executable to launch.
    public let executable: URL

    public init(plan: StudyPlan, directory: URL, jobs: Int, executable: URL) {
        self.plan = plan
        self.directory = directory
        self.jobs = Swift.max(jobs, 1)
        self.executable = executable
    }

    /// Runs everything not yet finished; `progress` is called after every run with
    /// (finished so far, total, the outcome). Once `interrupted` returns true no further run
    /// starts and the running ones get SIGTERM (so each checkpoints and exits).
    public func run(interrupted: () -> Bool = { false }, progress: (Int, Int, Outcome) -> Void) throws -> [Outcome] {
        try FileSystem.createDirectory(directory.appendingPathComponent("configs"))
        let lock = try RunLock(RunDirectory(directory.path), studyWait: 0)
        defer { withExtendedLifetime(lock) {} }
        var pending: [StudyPlan.PlannedRun] = []
        var outcomes: [Outcome] = []
        for run in plan.runs {
            let (dir, status) = try existing(run)
            if Self.isDone(status) {
                outcomes.append(Outcome(run: run, directory: dir, seconds: 0, failure: nil, status: status))
            } else {
                pending.append(run)
            }
        }
        let total = plan.runs.count
        var active: [(run: StudyPlan.PlannedRun, process: Subprocess, started: Date, log: URL)] = []
        var stopping = false
        while !pending.isEmpty || !active.isEmpty {
            if !stopping && interrupted() {
                stopping = true
                pending.removeAll()
                active.forEach { $0.process.send(SIGTERM) }
            }
            while active.count < jobs, !pending.isEmpty {
                let run = pending.removeFirst()
                active.append(try launch(run))
            }
            usleep(20_000)
            for (i, a) in active.enumerated().reversed() {
                guard let termination = a.process.termination() else { continue }
                active.remove(at: i)
                let dir = runDirectory(a.run)
                var failure: String?
                let status = RunSummary.status(at: dir.summaryURL)
                if termination.status != 0 && status != .diverged && status != .interrupted {
                    let log = (try? String(contentsOf: a.log, encoding: .utf8)) ?? ""
                    failure = log.split(separator: "\n").last { $0.hasPrefix("error:") }.map(String.init)
                        ?? "ended with \(termination)"
                }
                let outcome = Outcome(run: a.run, directory: dir, seconds: Date().timeIntervalSince(a.started), failure: failure,
                                      status: status)
                outcomes.append(outcome)
                progress(outcomes.count, total, outcome)
            }
        }
        return outcomes
    }

    /// For a batch system: checks every existing run's config, writes `config.toml` into the
    /// directory of every run not yet finished or diverged, and returns those runs' indices in
    /// the plan (each is continued by `plasticity <resumeSubcommand> DIR`).
    public func prepareUnfinished() throws -> [Int] {
        var out: [Int] = []
        for (index, run) in plan.runs.enumerated() {
            let (dir, status) = try existing(run)
            if Self.isDone(status) { continue }
            if !FileManager.default.fileExists(atPath: dir.configURL.path) {
                try FileSystem.createDirectory(dir.url)
                try FileSystem.write(run.config.toml, to: dir.configURL)
            }
            out.append(index)
        }
        return out
    }

    /// The directory of `run` inside the study directory.
    public func runDirectory(_ run: StudyPlan.PlannedRun) -> RunDirectory {
        RunDirectory(directory.appendingPathComponent(run.relativePath).path)
    }

    /// `run`'s directory, after checking any config it holds, and the status its summary records.
    private func existing(_ run: StudyPlan.PlannedRun) throws -> (RunDirectory, RunSummary.Status?) {
        let dir = runDirectory(run)
        try ConfigFingerprint.checkPlanned(run.config.toml, in: dir, by: "the study")
        return (dir, RunSummary.status(at: dir.summaryURL))
    }

    /// Finished and diverged runs are done (a diverged run would diverge again).
    private static func isDone(_ status: RunSummary.Status?) -> Bool { status == .finished || status == .diverged }

    private func launch(_ run: StudyPlan.PlannedRun) throws -> (run: StudyPlan.PlannedRun, process: Subprocess, started: Date, log: URL) {
        let dir = runDirectory(run)
        let arguments: [String]
        let rl = run.experiment == nil
        if FileManager.default.fileExists(atPath: dir.configURL.path) {
            arguments = run.resumeSubcommand + [dir.url.path]
        } else {
            let config = directory.appendingPathComponent("configs")
                .appendingPathComponent(run.relativePath.replacingOccurrences(of: "/", with: "_") + ".toml")
            try FileSystem.write(run.config.toml, to: config)
            try FileSystem.createDirectory(dir.url.deletingLastPathComponent())
            arguments = (rl ? ["rl", "run"] : ["run"]) + [config.path, "--out", dir.url.path]
        }
        let log = directory.appendingPathComponent("configs")
            .appendingPathComponent(run.relativePath.replacingOccurrences(of: "/", with: "_") + ".log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let environment = ProcessInfo.processInfo.environment.merging([Self.parentVariable: String(getpid())]) { _, own in own }
        let p = try Subprocess(executable.path, arguments, environment: environment, standardOutput: .file(log.path),
                               standardError: .file(log.path))
        return (run, p, Date(), log)
    }
}
