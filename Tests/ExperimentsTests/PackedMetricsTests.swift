import Datasets
import Foundation
import Subprocesses
import Testing
@testable import Experiments

/// A finished study run's metrics are stored as `metrics.jsonl.gz`: standard gzip, read
/// back as the plain file was, restored if the run continues, and never overwritten.
@Suite struct PackedMetricsTests {
    @Test func gzipIsStandardAndDeterministic() throws {
        let text = Array((0..<5_000).map { "{\"step\": \($0), \"loss\": \(1.0 / Double($0 + 1))}\n" }.joined().utf8)
        let packed = CompressedFile.gzip(text)
        #expect(packed == CompressedFile.gzip(text), "the same bytes give the same file")
        #expect(packed.count < text.count / 4)
        let file = CLI.temporaryDirectory("gzip").appendingPathComponent("m.jsonl.gz")
        try Data(packed).write(to: file)
        let r = try Subprocess.run("/bin/gzip", ["-dc", file.path], timeout: 60)
        #expect(r.status == 0 && Array(r.standardOutput.utf8) == text, "gzip -d reads it: \(r.standardError)")
        #expect(try CompressedFile.read(file.path) == text)
        try Data(CompressedFile.gzip([])).write(to: file)
        #expect(try CompressedFile.read(file.path).isEmpty, "an empty file packs and unpacks")
    }

    @Test func packedMetricsReadBackRefuseOverwriteAndUnpackToContinue() throws {
        let root = CLI.temporaryDirectory("packed")
        let cfg = root.appendingPathComponent("c.toml"), dir = RunDirectory(root.appendingPathComponent("run").path)
        try CLI.write(TinyRun.config(seed: 1).replacingOccurrences(of: "checkpoint_every = 0", with: "checkpoint_every = 10"), to: cfg)
        let first = try CLI.run(["run", cfg.path, "--out", dir.url.path, "--stop-after", "30"])
        #expect(first.status == 0, "\(first.stderr)")
        let plain = try Data(contentsOf: dir.metricsURL), records = try dir.metrics()
        try dir.packMetrics()
        #expect(!FileManager.default.fileExists(atPath: dir.metricsURL.path))
        #expect(try CompressedFile.read(dir.packedMetricsURL.path) == [UInt8](plain))
        #expect(try dir.metrics().count == records.count)
        let again = try CLI.run(["run", cfg.path, "--out", dir.url.path])
        #expect(again.status != 0 && again.stderr.contains("already holds a run; use --resume"), "\(again.stderr)")
        // A run that continues gets its plain metrics back and appends to them.
        let resumed = try CLI.run(["run", "--resume", dir.url.path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.packedMetricsURL.path))
        let continued = try String(contentsOf: dir.metricsURL, encoding: .utf8)
        #expect(continued.hasPrefix(String(decoding: plain, as: UTF8.self).split(separator: "\n").prefix(2).joined(separator: "\n")))
        #expect(try dir.metrics().filter { $0["event"] as? String == "task_end" }.count == 2)
    }

    @Test func aDamagedPackedFileIsAnErrorNamingIt() throws {
        let dir = RunDirectory(CLI.temporaryDirectory("packed-bad").path)
        try Data([0x1f, 0x8b, 8, 0, 0, 0]).write(to: dir.packedMetricsURL)
        #expect(throws: ConfigError(file: dir.packedMetricsURL.path, "truncated gzip stream")) { try dir.metrics() }
    }
}
