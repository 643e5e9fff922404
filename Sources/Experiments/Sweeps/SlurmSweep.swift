import Foundation
import Subprocesses
import Tensors
import TOMLKit

/// The `[slurm]` table of a sweep file: `partition`, `time` (e.g. "02:00:00"),
/// `cpus_per_task` (default 1), `mem` (e.g. "4G"), `executable` (the `plasticity` path the
/// compute nodes run; default this process's) and `sbatch` (extra `#SBATCH` options).
public struct SlurmSettings: Sendable, Equatable {
    public var partition: String?
    public var time: String?
    public var cpusPerTask = 1
    public var memory: String?
    public var executable: String?
    public var extraOptions: [String] = []

    public init() {}

    init(_ value: TOMLValueConvertible?, file: String) throws {
        guard let value else { return }
        guard let t = value.table else { throw ConfigError(file: file, "[slurm] must be a table") }
        let known = ["partition", "time", "cpus_per_task", "mem", "executable", "sbatch"]
        if let extra = t.keys.first(where: { !known.contains($0) }) {
            throw ConfigError(file: file, "slurm.\(extra): unknown key (\(known.joined(separator: ", ")))")
        }
        func string(_ key: String) throws -> String? {
            guard let v = t[key] else { return nil }
            guard let s = v.string else { throw ConfigError(file: file, "slurm.\(key): expected a string") }
            return s
        }
        partition = try string("partition")
        time = try string("time")
        memory = try string("mem")
        executable = try string("executable")
        if let c = t["cpus_per_task"] {
            guard let n = c.int, n >= 1 else { throw ConfigError(file: file, "slurm.cpus_per_task: expected an integer ≥ 1") }
            cpusPerTask = n
        }
        if let s = t["sbatch"] {
            guard let a = s.array, a.allSatisfy({ $0.string != nil }) else {
                throw ConfigError(file: file, "slurm.sbatch: expected an array of strings such as [\"--qos=short\"]")
            }
            extraOptions = a.compactMap(\.string)
        }
    }
}

/// The Slurm backend: one `sbatch --array` job whose task `i` resumes run `i`
/// (`plasticity run --resume RUNDIR`, or `plasticity rl resume RUNDIR` for an RL run; each run
/// directory was prepared with its config, so a first attempt and a retry are the same
/// command), with the sweep or study directory on a file system that the compute nodes share.
public enum SlurmSweep {
    /// The batch script of a sweep for the runs numbered `indices` (at most `parallel` at a
    /// time, 0 = no limit).
    public static func script(name: String, directory: SweepDirectory, runs: [(index: Int, directory: RunDirectory)],
                              indices: [Int], parallel: Int, settings: SlurmSettings, executable: String) -> String {
        arrayScript(jobName: "plasticity-\(name)", origin: "`plasticity sweep --backend slurm`; array task i runs the sweep's run i.",
                    slurmDirectory: directory.slurmURL, logsDirectory: directory.logsURL,
                    runs: runs.map { ($0.directory, "run --resume") }, indices: indices, parallel: parallel,
                    settings: settings, executable: executable)
    }

    /// An array script whose task i runs `executable <runs[i].resume> <runs[i].directory>` (`resume`
    /// is `run --resume` or `rl resume`), logging to `logsDirectory/run-<i>.{started,log,exit}`.
    public static func arrayScript(jobName: String, origin: String, slurmDirectory: URL, logsDirectory: URL,
                                   runs: [(directory: RunDirectory, resume: String)], indices: [Int], parallel: Int,
                                   settings: SlurmSettings, executable: String) -> String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(jobName)",
                     "#SBATCH --array=\(indices.map(String.init).joined(separator: ","))\(parallel > 0 ? "%\(parallel)" : "")",
                     "#SBATCH --output=\(slurmDirectory.path)/slurm-%A_%a.out",
                     "#SBATCH --cpus-per-task=\(settings.cpusPerTask)"]
        if let p = settings.partition { lines.append("#SBATCH --partition=\(p)") }
        if let t = settings.time { lines.append("#SBATCH --time=\(t)") }
        if let m = settings.memory { lines.append("#SBATCH --mem=\(m)") }
        lines += settings.extraOptions.map { "#SBATCH \($0)" }
        lines += ["# Written by \(origin)", "set -u", "runs=("]
        lines += runs.map { "  \(shellQuote($0.directory.url.path))" }
        lines += [")", "resume=("]
        lines += runs.map { "  \(shellQuote($0.resume))" }
        lines += [
            ")",
            "i=$SLURM_ARRAY_TASK_ID",
            "log=\(shellQuote(logsDirectory.path))/$(printf 'run-%04d' \"$i\")",
            "rm -f \"$log.exit\"",
            "echo \"slurm ${SLURM_ARRAY_JOB_ID:-}_$i\" > \"$log.started\"",
            "\(shellQuote(executable)) ${resume[$i]} \"${runs[$i]}\" >> \"$log.log\" 2>&1",
            "status=$?",
            "echo \"$status\" > \"$log.exit\"",
            "exit \"$status\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the array script of runs `todo` of `plan` to `DIR/slurm/sweep-<unix time>.sbatch`
    /// (at most `parallel` tasks at once, 0: no cap) and returns its URL.
    public static func writeScript(_ plan: SweepPlan, in dir: SweepDirectory, runs todo: [Int], parallel: Int,
                                   defaultExecutable: String) throws -> URL {
        try FileSystem.createDirectory(dir.slurmURL)
        let text = script(name: plan.name, directory: dir, runs: try dir.runs(), indices: todo, parallel: parallel,
                          settings: plan.slurm, executable: plan.slurm.executable ?? defaultExecutable)
        let url = dir.slurmURL.appendingPathComponent("sweep-\(Int(Date().timeIntervalSince1970)).sbatch")
        try FileSystem.write(text, to: url)
        return url
    }

    /// Submits `script` with `sbatch` and appends the job id and script name to
    /// `DIR/slurm/jobs.txt`; returns the job id.
    public static func submit(_ script: URL, recordingIn dir: SweepDirectory) throws -> String {
        let job = try submit(script)
        let jobsFile = dir.slurmURL.appendingPathComponent("jobs.txt")
        let previous = (try? String(contentsOf: jobsFile, encoding: .utf8)) ?? ""
        try FileSystem.write(previous + "\(job)\t\(script.lastPathComponent)\n", to: jobsFile)
        return job
    }

    /// Submits `script` with `sbatch --parsable` and returns the job id.
    public static func submit(_ script: URL) throws -> String {
        let r: Subprocess.Completed
        do { r = try Subprocess.run("sbatch", ["--parsable", script.path], timeout: 300) } catch {
            throw ConfigError(file: script.path, "cannot start sbatch (is Slurm installed?): \(error)")
        }
        let stderr = r.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.status == 0, !r.timedOut else {
            let why = r.timedOut ? "did not answer in 300 s" : "failed (\(r.termination))"
            throw ConfigError(file: script.path, "sbatch \(why): \(stderr.isEmpty ? "is Slurm installed and running?" : stderr)")
        }
        return r.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
    }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
