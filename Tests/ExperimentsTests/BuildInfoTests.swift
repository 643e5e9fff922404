import Foundation
import Testing
@testable import Experiments

/// `plasticity --version` and summary.json name the version and the commit the binary was
/// built from, or say "unknown".
@Suite struct BuildInfoTests {
    /// Runs git in `dir` with fixed author and committer times (`time`, Unix seconds).
    static func git(_ arguments: [String], in dir: URL, time: Int = 1_700_000_000) throws -> String {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", dir.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_AUTHOR_DATE"] = "\(time) +0000"
        environment["GIT_COMMITTER_DATE"] = "\(time) +0000"
        p.environment = environment
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func touch(_ url: URL, at time: Int) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(time))], ofItemAtPath: url.path)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "needs git"))
    func commitIsTheOneHEADPointedAtWhenTheBinaryWasWritten() throws {
        let repo = CLI.temporaryDirectory("build-info")
        try CLI.write("// swift-tools-version: 6.1\nlet package = Package(name: \"PlasticityLab\")\n", to: repo.appendingPathComponent("Package.swift"))
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("Sources"), withIntermediateDirectories: true)
        try CLI.write("let a = 1\n", to: repo.appendingPathComponent("Sources/a.swift"))
        _ = try Self.git(["init", "-q"], in: repo)
        _ = try Self.git(["add", "."], in: repo)
        _ = try Self.git(["commit", "-q", "-m", "one"], in: repo, time: 1_700_000_000)
        let first = try Self.git(["rev-parse", "HEAD"], in: repo)
        try CLI.write("let a = 2\n", to: repo.appendingPathComponent("Sources/a.swift"))
        _ = try Self.git(["commit", "-q", "-am", "two"], in: repo, time: 1_700_000_100)
        let second = try Self.git(["rev-parse", "HEAD"], in: repo)
        let binary = repo.appendingPathComponent(".build/release/plasticity")
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try CLI.write("", to: binary)

        try Self.touch(binary, at: 1_700_000_150)
        #expect(BuildInfo.commit(executable: binary) == second)
        // Built before the second commit: the first, not HEAD.
        try Self.touch(binary, at: 1_700_000_050)
        #expect(BuildInfo.commit(executable: binary) == first + "+changes")
        // Older than every reflog entry: cannot tell.
        try Self.touch(binary, at: 1_600_000_000)
        #expect(BuildInfo.commit(executable: binary) == "unknown")
        // Sources edited since the commit.
        try Self.touch(binary, at: 1_700_000_150)
        try CLI.write("let a = 3\n", to: repo.appendingPathComponent("Sources/a.swift"))
        #expect(BuildInfo.commit(executable: binary) == second + "+changes")
        // Not inside a PlasticityLab checkout.
        let elsewhere = CLI.temporaryDirectory("no-repo").appendingPathComponent("plasticity")
        try CLI.write("", to: elsewhere)
        #expect(BuildInfo.commit(executable: elsewhere) == "unknown")
    }

    @Test func versionFlagAndSummaryAgree() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        let line = "plasticity \(BuildInfo.version) (commit \(BuildInfo.commit(executable: CLI.executable)))\n"
        #expect(r.stdout == line)
        #expect(r.stdout.range(of: #"^plasticity \d+\.\d+\.\d+ \(commit ([0-9a-f]{40}(\+changes)?|unknown)\)\n$"#, options: .regularExpression) != nil)
        let dir = CLI.temporaryDirectory("summary-version")
        let cfg = dir.appendingPathComponent("c.toml")
        try CLI.write("[data]\ndataset = \"gaussian-clusters\"\ncount = 64\n[stream]\ntasks = 1\nsteps_per_task = 3\n[model]\nwidths = [4]\n[train]\nbatch_size = 16\n", to: cfg)
        let run = try CLI.run(["run", cfg.path, "--out", dir.appendingPathComponent("run").path])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("run/summary.json"))) as! [String: Any]
        #expect(summary["version"] as? String == BuildInfo.version)
        #expect(summary["commit"] as? String == BuildInfo.commit(executable: CLI.executable))
    }
}
