import ArgumentParser
import Experiments
import Foundation
import Reports
import Tensors

/// `plasticity study`: run a built-in (or edited) study and write its report.
struct Study: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reproduce a paper's finding: run a study's runs in parallel and write its report.",
        discussion: """
            NAME is a built-in study (see `plasticity study list`) or a study TOML file, such as
            one saved from `plasticity study NAME --print-config` and edited; its
            `include = [...]` files are found beside it or among the built-in studies. Runs execute as
            separate processes, --jobs at a time, each a normal run directory under
            DIR/runs/; rerunning the same command continues an interrupted study. The report
            is DIR/report.html (self-contained), DIR/report.md and DIR/results.csv.gz.
            Examples:
              plasticity study list
              plasticity study swiss-cheese --scale quick --jobs 2 --out runs/swiss
              plasticity study swiss-cheese --print-config > my-study.toml
            """)

    @Argument(help: "A study name, a study TOML file, or `list`.") var name: String
    @Option(help: "quick (minutes on a laptop), standard (the reference scale: at most 1 hour on 2 cores, 2 for swiss-cheese; results/ holds its committed runs), full (the papers' scale, for a cluster) or another scale the study file declares (swiss-cheese: pilot).") var scale = "quick"
    @Option(help: "Seeds per configuration (default: the study's).") var seeds: Int?
    @Option(help: "Runs executed in parallel (local: default 2; slurm: array tasks at once, default no cap).") var jobs: Int?
    @Option(help: "local (processes on this machine) or slurm (one sbatch --array job).") var backend = "local"
    @Option(help: "slurm: an extra #SBATCH option, such as --sbatch=--partition=cpu (repeatable).") var sbatch: [String] = []
    @Flag(help: "slurm: write the batch script but do not submit it.") var noSubmit = false
    @Option(help: "Study directory.") var out: String?
    @Option(help: MemoryLimitFlag.help) var memoryLimit: String?
    @Flag(help: "Print the study's TOML file as written (includes unresolved) and exit.") var printConfig = false
    @Flag(help: "Run a standard or full study with a binary built from uncommitted sources (its runs record the +changes commit).") var allowDirty = false

    func run() throws {
        do {
            if name == "list" {
                for (preset, text) in StudyPresets.all {
                    let plan = try StudyPlan(text: text, file: preset, scale: "quick")
                    Console.line("\(preset.padding(toLength: 18, withPad: " ", startingAt: 0)) \(plan.title)\n\(String(repeating: " ", count: 19))source: \(plan.source)")
                }
                return
            }
            if let memoryLimit {  // checked here; the runs read it from their environment
                _ = try MemoryBudget.standard(flag: memoryLimit)
                setenv(MemoryBudget.environmentVariable, memoryLimit, 1)
            }
            let (study, file) = try studyFile()
            if printConfig { Console.write(study.text); return }
            guard let out else { throw ValidationError("give --out DIR") }
            try JobsFlag.check(jobs, backend: backend)
            try StudyProvenance.check(scale: scale, allowDirty: allowDirty)
            let plan = try StudyPlan(text: study.resolvedText, file: file, scale: scale, seeds: seeds)
            let dir = URL(fileURLWithPath: out)
            try FileSystem.createDirectory(dir)
            try StudyRecord(text: study.resolvedText, scale: scale, seeds: plan.seeds).write(to: dir)
            Console.line("study \(plan.name) (\(scale)): \(plan.runs.count) runs = \(plan.groups.count) groups × \(plan.variants.count) variants × \(plan.seeds) seeds, \(backend == "slurm" ? "on Slurm" : "\(jobs ?? 2) at a time")")
            let runner = StudyRunner(plan: plan, directory: dir, jobs: jobs ?? 2, executable: Self.runBinary)
            if backend == "slurm" { return try submit(runner, dir) }
            guard backend == "local" else { throw ValidationError("--backend must be local or slurm") }
            let start = Date()
            let signals = InterruptSignals()
            var ranHere = 0  // runs executed in this sitting: committed finished runs take no time
            let outcomes = try runner.run(interrupted: { signals.isSet }) { done, total, o in
                if o.seconds > 0 { ranHere += 1 }
                let elapsed = Date().timeIntervalSince(start)
                let eta = Double(total - done) * elapsed / Double(max(ranHere, 1))
                var status = o.failure.map { "FAILED: \($0)" } ?? String(format: "%.1f s", o.seconds)
                if o.status == .diverged { status = "DIVERGED (" + status + ")" }
                if o.status == .interrupted { status = "interrupted (checkpointed)" }
                Console.line("[\(done)/\(total)] \(o.run.group) / \(o.run.variant) / seed \(o.run.seed): \(status) | study ETA \(ProgressLine.duration(eta))")
            }
            let ran = outcomes.filter { $0.seconds > 0 }.count
            let finished = outcomes.filter { $0.status == .finished || $0.status == .diverged }.count
            let failedCount = outcomes.filter { $0.failure != nil }.count
            let ending = signals.isSet ? "interrupted" : failedCount > 0 ? "\(failedCount) failed" : "finished"
            try StudySittings.append(.init(started: start, jobs: jobs ?? 2, ran: ran, finished: finished, planned: plan.runs.count,
                                           wallSeconds: Date().timeIntervalSince(start), ending: ending),
                                     name: plan.name, scale: scale, command: command(out), directory: dir, shownPath: out,
                                     runCommits: outcomes.compactMap { RunSummary.commit(at: $0.directory.summaryURL) }
                                        .reduce(into: [:]) { $0[$1, default: 0] += 1 },
                                     runMachines: outcomes.flatMap { RunSummary.machines(at: $0.directory.summaryURL) }
                                        .reduce(into: [:]) { $0[$1, default: 0] += 1 })
            if signals.isSet {
                Console.line("study interrupted; rerun the same command to continue it")
                throw ExitCode(signals.exitCode)
            }
            let report = try Report.write(plan, in: dir)
            Console.line("")
            Console.line(report.summaryText())
            Console.line(String(format: "\nstudy finished in %.0f s; report: %@", Date().timeIntervalSince(start),
                                dir.appendingPathComponent("report.html").path))
            let failed = outcomes.filter { $0.failure != nil }
            if !failed.isEmpty {
                Console.error("error: \(failed.count) run(s) failed; see \(dir.appendingPathComponent("configs").path)/*.log")
                throw ExitCode.failure
            }
        } catch let e as ExitCode {
            throw e
        } catch let e as ValidationError {
            throw e
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// The command line that continues this study.
    private func command(_ out: String) -> String {
        "plasticity study \(name) --scale \(scale)" + (seeds.map { " --seeds \($0)" } ?? "") + " --jobs \(jobs ?? 2) --out \(out)"
    }

    /// Writes the Slurm array script for the unfinished runs and submits it (unless --no-submit).
    private func submit(_ runner: StudyRunner, _ dir: URL) throws {
        let todo = try runner.prepareUnfinished()
        Console.line("\(runner.plan.runs.count - todo.count) runs already done, \(todo.count) to run")
        guard !todo.isEmpty else { return }
        let slurm = dir.appendingPathComponent("slurm"), logs = dir.appendingPathComponent("slurm/logs")
        try FileSystem.createDirectory(logs)
        var settings = SlurmSettings()
        settings.extraOptions = sbatch
        let runs = runner.plan.runs.map { (directory: runner.runDirectory($0), resume: $0.resumeSubcommand.joined(separator: " ")) }
        let script = SlurmSweep.arrayScript(
            jobName: "plasticity-\(runner.plan.name)", origin: "`plasticity study --backend slurm`; array task i runs the study's run i.",
            slurmDirectory: slurm, logsDirectory: logs, runs: runs, indices: todo, parallel: max(jobs ?? 0, 0),
            settings: settings, executable: Self.executable.path)
        let url = slurm.appendingPathComponent("study-\(Int(Date().timeIntervalSince1970)).sbatch")
        try FileSystem.write(script, to: url)
        if noSubmit { Console.line("batch script: \(url.path) (not submitted)"); return }
        let job = try SlurmSweep.submit(url)
        Console.line("submitted Slurm array job \(job) (\(todo.count) tasks): \(url.path)")
        Console.line("once it has finished: plasticity report \(dir.path)")
    }

    /// The built-in study or study file NAME, with its includes resolved.
    private func studyFile() throws -> (StudyFile, String) {
        if let preset = try StudyPresets.file(named: name) { return (preset, name) }
        guard FileManager.default.fileExists(atPath: name) else {
            throw ConfigError(file: name, "no such study or file (built-in: \(StudyPresets.names.joined(separator: ", ")))")
        }
        return (try StudyFile(contentsOf: URL(fileURLWithPath: name)), name)
    }

    /// This process's executable's path, written into batch scripts.
    static var executable: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

    /// The binary a local study or sweep launches for each run: this process's own file
    /// (`/proc/self/exe`, which stays the file this process started from even after the path
    /// is rebuilt), so every run of a sitting is made by the study's own binary. A rebuild
    /// during a study once made half of a study's seed pairs with other code (issue 42).
    static var runBinary: URL {
        FileManager.default.fileExists(atPath: "/proc/self/exe") ? URL(fileURLWithPath: "/proc/self/exe") : executable
    }
}

/// `plasticity report`: rebuild a study's report from its run directories.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild DIR/report.html, report.md and results.csv.gz from a study directory (gzipping finished runs' metrics).")

    @Argument(help: "A study directory written by `plasticity study`.") var directory: String

    /// Gzips the finished runs' metrics, then writes the report of `plan`'s runs in `dir`.
    static func write(_ plan: StudyPlan, in dir: URL) throws -> StudyReport {
        try plan.packFinishedRuns(in: dir)
        let report = StudyReport(results: try StudyResults(plan: plan, directory: dir))
        try report.write(to: dir)
        return report
    }

    func run() throws {
        do {
            let dir = URL(fileURLWithPath: directory)
            let record = try StudyRecord.read(from: dir)
            let plan = try StudyPlan(text: record.text, file: dir.appendingPathComponent(StudyRecord.fileName).path,
                                     scale: record.scale, seeds: record.seeds)
            let report = try Self.write(plan, in: dir)
            Console.line(report.summaryText())
            Console.line("report: \(dir.appendingPathComponent("report.html").path)")
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}
