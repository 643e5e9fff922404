import Foundation
import Testing
@testable import Experiments

/// Study files with `include`: merge order, nesting, errors, the built-in fallback, and the
/// bundled built-in studies themselves.
@Suite struct StudyFileTests {
    static let header = """
        name = "s"
        title = "t"
        claim = "c"
        source = "p"

        """

    /// A temporary folder holding `files` (relative path → text).
    static func folder(_ files: [String: String]) throws -> URL {
        let dir = CLI.temporaryDirectory("study-file")
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try CLI.write(text, to: url)
        }
        return dir
    }

    static func problem(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func includesMergeInOrderUnderTheFilesOwnKeys() throws {
        let dir = try Self.folder([
            "common/a.toml": "[base.model]\nwidths = [8]\n[base.train]\nbatch_size = 16\nlog_every = 5\n",
            "common/b.toml": "include = [\"a.toml\"]\n[base.train]\nbatch_size = 32\n",
            "common/c.toml": "[base.train]\nlog_every = 7\n",
            "study.toml": Self.header + "include = [\"common/b.toml\", \"common/c.toml\"]\n[base.model]\nwidths = [4, 4]\n[scales.quick.stream]\ntasks = 2\n",
        ])
        let file = try StudyFile(contentsOf: dir.appendingPathComponent("study.toml"), builtins: nil)
        #expect(file.text.contains("include = ") && !file.resolvedText.contains("include"))
        let run = try #require(try StudyPlan(text: file.resolvedText, file: "study.toml", scale: "quick").runs.first?.experiment)
        // Own keys win (widths), b wins over the a it includes (batch size), the later c over a (log_every).
        #expect(run.model.widths == [4, 4] && run.train.batchSize == 32 && run.train.logEvery == 7)
    }

    @Test func aFileWithoutIncludesIsItsOwnResolution() throws {
        let text = Self.header + "# a comment\n[base.train]\nbatch_size = 8\n"
        #expect(try StudyFile(text: text, url: URL(fileURLWithPath: "/nowhere/s.toml"), builtins: nil).resolvedText == text)
    }

    @Test func cyclesAndMissingFilesAreOneLineErrorsNamingTheFile() throws {
        let dir = try Self.folder([
            "common/x.toml": "include = [\"y.toml\"]\n",
            "common/y.toml": "include = [\"x.toml\"]\n",
            "cycle.toml": Self.header + "include = [\"common/x.toml\"]\n",
            "self.toml": Self.header + "include = [\"self.toml\"]\n",
            "missing.toml": Self.header + "include = [\"common/nope.toml\"]\n",
            "string.toml": Self.header + "include = \"common/x.toml\"\n",
        ])
        func load(_ name: String, builtins: URL? = nil) -> String {
            Self.problem { _ = try StudyFile(contentsOf: dir.appendingPathComponent(name), builtins: builtins) }
        }
        let d = dir.path
        #expect(load("cycle.toml") == "\(d)/common/y.toml: include cycle: common/x.toml → y.toml → x.toml")
        #expect(load("self.toml") == "\(d)/self.toml: include cycle: self.toml → self.toml")
        #expect(load("missing.toml") == "\(d)/missing.toml: include 'common/nope.toml': no such file (looked for \(d)/common/nope.toml)")
        #expect(load("missing.toml", builtins: StudyPresets.directory)
            == "\(d)/missing.toml: include 'common/nope.toml': no such file (looked for \(d)/common/nope.toml or among the built-in studies)")
        #expect(load("string.toml").hasPrefix("\(d)/string.toml: include must be an array of file paths"))
        for name in ["cycle.toml", "self.toml", "missing.toml", "string.toml"] { #expect(!load(name).contains("\n")) }
    }

    /// `--print-config` prints the file as written; saved elsewhere, its includes resolve from
    /// the built-in studies, to the same study.
    @Test func aPrintedBuiltInStudyRunsFromAnywhere() throws {
        let bundled = try #require(try StudyPresets.file(named: "swiss-cheese"))
        let r = try CLI.run(["study", "swiss-cheese", "--print-config"])
        #expect(r.status == 0 && r.stdout == bundled.text && bundled.text.contains("include = [\"common/mlp-adam.toml\"]"))
        let copy = CLI.temporaryDirectory("printed").appendingPathComponent("my-study.toml")
        try CLI.write(r.stdout, to: copy)
        #expect(try StudyFile(contentsOf: copy).resolvedText == StudyPresets.named("swiss-cheese"))
        #expect(Self.problem { _ = try StudyFile(contentsOf: copy, builtins: nil) }.contains("include 'common/mlp-adam.toml': no such file"))
    }

    /// `studies/` at the repository root holds exactly the built-in studies, and the bundle
    /// is a copy of it.
    @Test func theRepositoryStudiesFolderIsTheBundle() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let studies = root.appendingPathComponent("studies")
        let files = try FileManager.default.contentsOfDirectory(atPath: studies.path).filter { $0.hasSuffix(".toml") }
        #expect(files.sorted() == StudyPresets.names.map { $0 + ".toml" }.sorted())
        for name in StudyPresets.names {
            let source = try String(contentsOf: studies.appendingPathComponent(name + ".toml"), encoding: .utf8)
            #expect(try StudyPresets.file(named: name)?.text == source)
        }
        #expect(StudyPresets.named("no-such-study") == nil)
    }
}
