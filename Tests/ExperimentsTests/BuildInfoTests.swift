import Foundation
import Subprocesses
import Testing
@testable import Experiments

/// `plasticity --version` and summary.json name the version and the commit the binary was
/// built from, fixed at build time by `scripts/build-stamp.sh` (so a run never asks git).
@Suite struct BuildInfoTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let hasGit = FileManager.default.isExecutableFile(atPath: "/usr/bin/git")

    /// Runs git in `dir` with a fixed author; its trimmed standard output.
    static func git(_ arguments: [String], in dir: URL) throws -> String {
        let r = try Subprocess.run("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", "-C", dir.path] + arguments,
                                   timeout: 60)
        try #require(r.status == 0, "git \(arguments.joined(separator: " ")): \(r.tail())")
        return r.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs the stamp script for `package` into a fresh folder; the stamped commit and the file.
    static func stamp(_ package: URL, into out: URL) throws -> String {
        let r = try Subprocess.run("/bin/sh", [repository.appendingPathComponent("scripts/build-stamp.sh").path, package.path, out.path],
                                   timeout: 60)
        try #require(r.status == 0, "build-stamp.sh: \(r.tail())")
        let text = try String(contentsOf: out.appendingPathComponent("BuildStampValues.swift"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("let stampedCommit = \"") })
        return String(line.dropFirst("let stampedCommit = \"".count).dropLast())
    }

    @Test(.enabled(if: hasGit, "needs git"))
    func stampIsTheCheckedOutCommitPlusChangesUnderSourcesOrUnknown() throws {
        let repo = CLI.temporaryDirectory("build-stamp"), out = repo.appendingPathComponent(".build/stamp")
        try CLI.write("// swift-tools-version: 6.1\n", to: repo.appendingPathComponent("Package.swift"))
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("Sources"), withIntermediateDirectories: true)
        try CLI.write("let a = 1\n", to: repo.appendingPathComponent("Sources/a.swift"))
        try CLI.write(".build/\n", to: repo.appendingPathComponent(".gitignore"))
        #expect(try Self.stamp(repo, into: out) == "unknown", "not yet a git checkout")
        _ = try Self.git(["init", "-q"], in: repo)
        #expect(try Self.stamp(repo, into: out) == "unknown", "no commit yet")
        _ = try Self.git(["add", "."], in: repo)
        _ = try Self.git(["commit", "-q", "-m", "one"], in: repo)
        let head = try Self.git(["rev-parse", "HEAD"], in: repo)
        #expect(try Self.stamp(repo, into: out) == head)
        // Rewritten only when it changes, so an unchanged build recompiles nothing.
        let file = out.appendingPathComponent("BuildStampValues.swift")
        let written = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        usleep(20_000)
        #expect(try Self.stamp(repo, into: out) == head)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date == written)

        try CLI.write("let a = 2\n", to: repo.appendingPathComponent("Sources/a.swift"))
        #expect(try Self.stamp(repo, into: out) == head + "+changes", "a tracked source edited")
        _ = try Self.git(["checkout", "-q", "--", "Sources/a.swift"], in: repo)
        try CLI.write("let b = 1\n", to: repo.appendingPathComponent("Sources/b.swift"))
        #expect(try Self.stamp(repo, into: out) == head + "+changes", "an untracked source")
        try FileManager.default.removeItem(at: repo.appendingPathComponent("Sources/b.swift"))
        try CLI.write("notes\n", to: repo.appendingPathComponent("README.md"))
        #expect(try Self.stamp(repo, into: out) == head, "a file outside Sources/ is not a change to the build")
        try CLI.write("// swift-tools-version: 6.2\n", to: repo.appendingPathComponent("Package.swift"))
        #expect(try Self.stamp(repo, into: out) == head + "+changes", "the manifest edited")

        // A package folder inside someone else's checkout is not a PlasticityLab checkout.
        let nested = repo.appendingPathComponent("vendor/PlasticityLab")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        #expect(try Self.stamp(nested, into: nested.appendingPathComponent("out")) == "unknown")
    }

    /// The binary under test carries the commit of the checkout it was built from.
    @Test(.enabled(if: hasGit && FileManager.default.fileExists(atPath: repository.appendingPathComponent(".git").path),
                   "needs git and a git checkout"))
    func theBuildCarriesItsCheckoutsCommit() throws {
        let head = try Self.git(["rev-parse", "HEAD"], in: Self.repository)
        let changed = try !Self.git(["status", "--porcelain", "--untracked-files=all", "--", "Sources", "Package.swift"],
                                    in: Self.repository).isEmpty
        #expect(BuildInfo.commit == head + (changed ? "+changes" : ""))
    }

    @Test func versionFlagAndSummaryAgree() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout == "plasticity \(BuildInfo.version) (commit \(BuildInfo.commit))\n")
        #expect(r.stdout.range(of: #"^plasticity \d+\.\d+\.\d+ \(commit ([0-9a-f]{40}(\+changes)?|unknown)\)\n$"#, options: .regularExpression) != nil)
        let dir = CLI.temporaryDirectory("summary-version")
        let cfg = dir.appendingPathComponent("c.toml")
        try CLI.write("[data]\ndataset = \"gaussian-clusters\"\ncount = 64\n[stream]\ntasks = 1\nsteps_per_task = 3\n[model]\nwidths = [4]\n[train]\nbatch_size = 16\n", to: cfg)
        let run = try CLI.run(["run", cfg.path, "--out", dir.appendingPathComponent("run").path])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("run/summary.json"))) as! [String: Any]
        #expect(summary["version"] as? String == BuildInfo.version)
        #expect(summary["commit"] as? String == BuildInfo.commit)
    }
}

/// Standard and full studies are refused to a binary built from uncommitted or unknown
/// sources unless `--allow-dirty`; quick studies never are.
@Suite struct StudyProvenanceTests {
    static let clean = String(repeating: "ab", count: 20)

    @Test func referenceScalesNeedCommittedCode() throws {
        for scale in ["standard", "full"] {
            #expect(throws: Never.self) { try StudyProvenance.check(scale: scale, commit: Self.clean, allowDirty: false) }
            #expect(throws: StudyProvenance.Refusal(description: "--scale \(scale): this binary was built from uncommitted sources "
                + "(commit \(Self.clean)+changes), and reference results must come from committed code; commit and rebuild, "
                + "or pass --allow-dirty")) {
                try StudyProvenance.check(scale: scale, commit: Self.clean + "+changes", allowDirty: false)
            }
            #expect(throws: StudyProvenance.Refusal.self) { try StudyProvenance.check(scale: scale, commit: "unknown", allowDirty: false) }
            #expect(throws: Never.self) { try StudyProvenance.check(scale: scale, commit: Self.clean + "+changes", allowDirty: true) }
            #expect(throws: Never.self) { try StudyProvenance.check(scale: scale, commit: "unknown", allowDirty: true) }
        }
        #expect(throws: Never.self) { try StudyProvenance.check(scale: "quick", commit: Self.clean + "+changes", allowDirty: false) }
        #expect(throws: Never.self) { try StudyProvenance.check(scale: "quick", commit: "unknown", allowDirty: false) }
    }

    /// The CLI refuses before writing anything (only checked where this build is dirty, as
    /// in a working checkout; a clean build would start the study).
    @Test(.enabled(if: BuildInfo.commit.hasSuffix("+changes"), "needs a build from uncommitted sources"))
    func theStudyCommandRefusesADirtyBinaryBeforeWritingAnything() throws {
        let out = CLI.temporaryDirectory("dirty-study").appendingPathComponent("s")
        let r = try CLI.run(["study", "swiss-cheese", "--scale", "standard", "--out", out.path])
        #expect(r.status == 1 && r.stderr == "error: --scale standard: this binary was built from uncommitted sources "
            + "(commit \(BuildInfo.commit)), and reference results must come from committed code; commit and rebuild, "
            + "or pass --allow-dirty\n", "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
