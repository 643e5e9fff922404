import ArgumentParser
import Experiments
import Foundation
import Tensors
import ResultsIndex

/// `plasticity sweep`: expand a grid into runs and execute them locally or on Slurm.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a grid of configs (seeds × interventions × protocols × any key) locally or on Slurm.",
        discussion: "See docs/sweeps.md for the sweep file format.",
        subcommands: [SweepStart.self, SweepStatus.self],
        defaultSubcommand: SweepStart.self)
}

/// `plasticity sweep SWEEP.toml --out DIR`.
struct SweepStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Prepare a sweep's run directories and run (or submit) every unfinished one.",
        discussion: """
            Every run is a normal run directory under DIR/runs/, prepared with its config.toml and
            executed as `plasticity run --resume RUNDIR`, so rerunning the same command continues
            an interrupted sweep (finished runs are skipped, failed ones retried).
            --backend local runs --jobs processes at a time here, then indexes DIR/index.sqlite.
            --backend slurm writes DIR/slurm/sweep-*.sbatch (one array task per run; DIR must be
            on a file system the compute nodes share) and submits it with sbatch; --jobs then
            caps the array tasks running at once (default: no cap). Follow it with
            `plasticity sweep status DIR`.
            Examples:
              plasticity sweep configs/sweep-example.toml --out runs/sweep --jobs 2
              plasticity sweep configs/sweep-example.toml --out /shared/sweep --backend slurm --jobs 16
            """)

    @Argument(help: "The sweep file (TOML).") var sweep: String
    @Option(help: "Sweep directory.") var out: String
    @Option(help: "local or slurm.") var backend = "local"
    @Option(help: "Runs at once (local: processes, default 2; slurm: array tasks, default 0 = no cap).") var jobs: Int?
    @Flag(help: "slurm: write the batch script but do not submit it.") var noSubmit = false

    func validate() throws {
        guard ["local", "slurm"].contains(backend) else { throw ValidationError("--backend must be local or slurm") }
        try JobsFlag.check(jobs, backend: backend)
    }

    func run() throws {
        do {
            guard let text = try? String(contentsOfFile: sweep, encoding: .utf8) else { throw ConfigError(file: sweep, "no such file") }
            let plan = try SweepPlan(text: text, file: sweep)
            let dir = SweepDirectory(out)
            let lock = try dir.lock()
            defer { withExtendedLifetime(lock) {} }
            try dir.prepare(plan)
            let todo = try dir.unfinished()
            Console.line("sweep \(plan.name): \(plan.runs.count) runs = " + plan.axes.map { "\($0.values.count) \($0.key)" }.joined(separator: " × ")
                + "; \(plan.runs.count - todo.count) already done, \(todo.count) to run")
            if todo.isEmpty { return try SweepStatus.report(dir) }
            if backend == "slurm" { return try submit(plan, dir, todo) }
            let start = Date()
            let runs = Dictionary(uniqueKeysWithValues: plan.runs.map { ($0.index, $0) })
            let failed = try LocalSweepRunner(directory: dir, jobs: jobs ?? 2, executable: Study.runBinary).run(todo) { done, total, index, outcome in
                let eta = Double(total - done) * Date().timeIntervalSince(start) / Double(max(done, 1))
                let label = runs[index].map { $0.assignments.map { "\($0.key)=\($0.value)" }.joined(separator: " ") } ?? "\(index)"
                Console.line("[\(done)/\(total)] \(label): \(outcome) | ETA \(ProgressLine.duration(eta))")
            }
            try SweepStatus.report(dir)
            if !failed.isEmpty {
                Console.error("error: \(failed.count) run(s) failed; logs in \(dir.logsURL.path)")
                throw ExitCode.failure
            }
        } catch let e as ExitCode {
            throw e
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }

    private func submit(_ plan: SweepPlan, _ dir: SweepDirectory, _ todo: [Int]) throws {
        let url = try SlurmSweep.writeScript(plan, in: dir, runs: todo, parallel: jobs ?? 0, defaultExecutable: Study.executable.path)
        if noSubmit { Console.line("batch script: \(url.path) (not submitted)"); return }
        let job = try SlurmSweep.submit(url, recordingIn: dir)
        Console.line("submitted Slurm array job \(job) (\(todo.count) tasks): \(url.path)")
        Console.line("follow it with: plasticity sweep status \(dir.url.path)")
    }
}

/// `plasticity sweep status DIR`.
struct SweepStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Report a sweep's progress (done/running/pending/failed) and index its results.",
        discussion: "Updates DIR/index.sqlite (see `plasticity query`).")

    @Argument(help: "A sweep directory.") var directory: String

    func run() throws {
        do { try Self.report(SweepDirectory(directory)) } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// Prints the counts, the failed and running runs, and indexes the finished results.
    static func report(_ dir: SweepDirectory) throws {
        let states = try dir.states()
        let counts = SweepDirectory.State.allCases.map { s in "\(states.filter { $0.state == s }.count) \(s.rawValue)" }
        Console.line("\(states.count) runs: " + counts.joined(separator: ", "))
        for s in states where [.failed, .running, .diverged].contains(s.state) {
            let path = s.directory.url.path.replacingOccurrences(of: dir.url.path + "/", with: "")
            Console.line("  \(s.state.rawValue) \(path)\(s.detail.map { ": \($0)" } ?? "")")
        }
        let db = dir.url.appendingPathComponent("index.sqlite").path
        let report = try ResultsDatabase(path: db).index([dir.url.appendingPathComponent("runs")])
        Console.line("index \(db): \(report.added) added, \(report.updated) updated, \(report.unchanged) unchanged")
    }
}
