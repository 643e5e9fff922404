import Foundation
import Tensors
import Subprocesses

/// Runs a prepared sweep's runs on this machine as `plasticity run --resume RUNDIR`
/// processes, `jobs` at a time, recording each attempt in `logs/run-NNNN.{log,started,exit}`
/// exactly as a Slurm array task does.
public struct LocalSweepRunner {
    public let directory: SweepDirectory
    public let jobs: Int
    /// The `plasticity` executable to launch.
    public let executable: URL

    public init(directory: SweepDirectory, jobs: Int, executable: URL) {
        self.directory = directory
        self.jobs = Swift.max(jobs, 1)
        self.executable = executable
    }

    /// Runs the runs numbered `indices`; `progress` gets (finished so far, total, run index,
    /// outcome: "done", "DIVERGED: where" or "FAILED: error line") after each. Returns the
    /// indices that failed (a diverged run has not failed: it ran as far as it can).
    public func run(_ indices: [Int], progress: (Int, Int, Int, String) -> Void) throws -> [Int] {
        let paths = Dictionary(uniqueKeysWithValues: try directory.runs().map { ($0.index, $0.directory) })
        var pending = indices, active: [(index: Int, process: Subprocess)] = [], failed: [Int] = [], finished = 0
        while !pending.isEmpty || !active.isEmpty {
            while active.count < jobs, let index = pending.first {
                pending.removeFirst()
                guard let run = paths[index] else { throw ConfigError(file: directory.manifestURL.path, "no run \(index)") }
                active.append((index, try launch(index, run)))
            }
            usleep(20_000)
            for (i, a) in active.enumerated().reversed() {
                guard let termination = a.process.termination() else { continue }
                active.remove(at: i)
                let base = directory.logBase(a.index)
                try FileSystem.write("\(termination.status)\n", to: base.appendingPathExtension("exit"))
                var outcome = "done"
                if termination.status != 0 {
                    let state = try directory.states().first { $0.index == a.index }
                    if state?.state == .diverged {
                        outcome = "DIVERGED" + (state?.detail.map { ": \($0)" } ?? "")
                    } else {
                        failed.append(a.index)
                        outcome = "FAILED: " + (state?.detail ?? "ended with \(termination)")
                    }
                }
                finished += 1
                progress(finished, indices.count, a.index, outcome)
            }
        }
        return failed.sorted()
    }

    private func launch(_ index: Int, _ run: RunDirectory) throws -> Subprocess {
        let base = directory.logBase(index)
        try? FileManager.default.removeItem(at: base.appendingPathExtension("exit"))
        let log = base.appendingPathExtension("log").path
        let p = try Subprocess(executable.path, ["run", "--resume", run.url.path], standardOutput: .file(log), standardError: .file(log))
        let marker = "\(ProcessInfo.processInfo.hostName) \(p.processIdentifier)\n"
        try FileSystem.write(marker, to: base.appendingPathExtension("started"))
        return p
    }
}
