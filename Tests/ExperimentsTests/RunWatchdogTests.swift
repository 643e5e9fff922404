import Foundation
import Subprocesses
import Testing
@testable import Experiments

/// Issue 41: a run once hung forever at its first checkpoint, inside Foundation's `Process`,
/// asking git for the build's commit. A run must start no process at all; here 50 short runs
/// checkpoint every few steps, half of them stopped and resumed, each under a watchdog of a
/// few seconds, with a fake `git` first on PATH that records any call.
@Suite struct RunWatchdogTests {
    /// Seconds one tiny run may take (it takes well under one, debug build included).
    static let watchdog = 15.0

    @Test func fiftyCheckpointingRunsNeitherHangNorSpawnAnything() throws {
        let root = CLI.temporaryDirectory("watchdog"), bin = root.appendingPathComponent("bin")
        let calls = root.appendingPathComponent("git-calls")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let git = bin.appendingPathComponent("git")
        try CLI.write("#!/bin/sh\necho \"$*\" >> '\(calls.path)'\nexit 1\n", to: git)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: git.path)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")

        func watched(_ arguments: [String], _ label: String) throws {
            let child = try CLI.start(arguments, environment: environment)
            let r = child.finish(deadline: Date().addingTimeInterval(Self.watchdog))
            #expect(!r.timedOut, "\(label) hung: killed after \(Int(Self.watchdog)) s; \(r.tail())")
            #expect(r.timedOut || r.status == 0, "\(label): \(r.termination): \(r.tail())")
        }
        for i in 0..<50 {
            let cfg = root.appendingPathComponent("run-\(i).toml"), dir = root.appendingPathComponent("run-\(i)")
            try CLI.write(TinyRun.config(seed: i).replacingOccurrences(of: "checkpoint_every = 0", with: "checkpoint_every = 3"), to: cfg)
            if i.isMultiple(of: 2) {
                try watched(["run", cfg.path, "--out", dir.path], "run \(i)")
            } else {
                try watched(["run", cfg.path, "--out", dir.path, "--stop-after", "\(7 + i % 20)"], "run \(i) until its stop")
                try watched(["run", "--resume", dir.path], "run \(i) resumed")
            }
            #expect(RunSummary.status(at: RunDirectory(dir.path).summaryURL) == .finished, "run \(i) did not finish")
        }
        let started = (try? String(contentsOf: calls, encoding: .utf8)) ?? ""
        #expect(started.isEmpty, "a run started git: \(started)")
    }
}
