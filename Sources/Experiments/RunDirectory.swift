import Datasets
import Foundation
import Tensors
import Networks

/// The files of one run: `config.toml` (resolved), `metrics.jsonl` (one JSON object per
/// record; `metrics.jsonl.gz` once a study has packed the finished run), `checkpoints/step-XXXXXXXX.safetensors`, `events.out.tfevents.*` (the metrics as
/// TensorBoard scalars, one file per session), `model.safetensors` (the final network,
/// loadable as a PyTorch state dict), `summary.json`, and `lock` (held by the process
/// training into the directory).
public struct RunDirectory: Sendable {
    public let url: URL

    public init(_ path: String) { url = URL(fileURLWithPath: path) }

    public var configURL: URL { url.appendingPathComponent("config.toml") }
    public var metricsURL: URL { url.appendingPathComponent("metrics.jsonl") }
    /// `metrics.jsonl` gzipped, as a study stores a finished run's metrics (`packMetrics`).
    public var packedMetricsURL: URL { url.appendingPathComponent("metrics.jsonl.gz") }
    public var checkpointsURL: URL { url.appendingPathComponent("checkpoints") }
    public var modelURL: URL { url.appendingPathComponent("model.safetensors") }
    public var summaryURL: URL { url.appendingPathComponent("summary.json") }
    public var lockURL: URL { url.appendingPathComponent("lock") }

    /// The checkpoint file for a global step.
    public func checkpointURL(step: Int) -> URL {
        checkpointsURL.appendingPathComponent(String(format: "step-%08d.safetensors", step))
    }

    /// Existing checkpoints, oldest first.
    public func checkpoints() -> [(step: Int, url: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkpointsURL.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix("step-"), name.hasSuffix(".safetensors"),
                  let step = Int(name.dropFirst(5).dropLast(12)) else { return nil }
            return (step, checkpointsURL.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }

    /// The path of `config.toml`, or an error saying the directory is not a run directory.
    public func existingConfigPath() throws -> String {
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw ConfigError(file: configURL.path, "no such file: not a run directory")
        }
        return configURL.path
    }

    /// Restores the newest readable checkpoint and returns the metrics length to keep (0:
    /// no checkpoint, start over). `read` opens and checks a file; a file it rejects is
    /// damaged, noted in `skipped`, and the next older one is tried. `restore` loads the
    /// file into the run and returns the metrics length the checkpoint recorded, which must
    /// not exceed `metrics.jsonl`'s.
    func restoreNewestCheckpoint(skipped: inout [String], read: (URL) throws -> SafetensorsFile,
                                 restore: (SafetensorsFile, URL) throws -> UInt64) throws -> UInt64 {
        let candidates = checkpoints().reversed()
        for checkpoint in candidates {
            let file: SafetensorsFile
            do { file = try read(checkpoint.url) } catch {
                skipped.append("\(error)")
                continue
            }
            let keep = try restore(file, checkpoint.url)
            let attributes = try? FileManager.default.attributesOfItem(atPath: metricsURL.path)
            let length = (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
            guard keep <= length else {
                throw ConfigError(file: metricsURL.path, "holds \(length) bytes, fewer than the \(keep) that checkpoint \(checkpoint.url.lastPathComponent) recorded")
            }
            return keep
        }
        if let newest = candidates.first {
            throw ConfigError(file: newest.url.path, "no readable checkpoint to resume from (\(skipped.count) damaged)")
        }
        return 0
    }

    /// Creates the directory tree (refusing to overwrite an existing run unless `resuming`).
    public func prepare(resuming: Bool) throws {
        let fm = FileManager.default
        if !resuming && (fm.fileExists(atPath: metricsURL.path) || fm.fileExists(atPath: packedMetricsURL.path)) {
            throw ConfigError(file: url.path, "already holds a run; use --resume to continue it or choose another --out")
        }
        try FileSystem.createDirectory(checkpointsURL)
        if resuming { try unpackMetrics() }
        // Temporary files of writes interrupted by a kill (the lock guarantees no live writer).
        for folder in [url, checkpointsURL] {
            for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where AtomicFile.isTemporary(name) {
                try? fm.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }

    /// The file the metrics are in: `metrics.jsonl`, or `metrics.jsonl.gz` once packed.
    public var currentMetricsURL: URL {
        let fm = FileManager.default
        return fm.fileExists(atPath: metricsURL.path) || !fm.fileExists(atPath: packedMetricsURL.path) ? metricsURL : packedMetricsURL
    }

    /// The bytes of the metrics written so far (inflated when packed); empty when none.
    public func metricsBytes() throws -> [UInt8] {
        let source = currentMetricsURL
        guard FileManager.default.fileExists(atPath: source.path) else { return [] }
        do { return try CompressedFile.read(source.path) } catch let e as DataError { throw ConfigError(file: source.path, e.problem) }
    }

    /// The metrics records written so far, parsed (from `metrics.jsonl`, else from
    /// `metrics.jsonl.gz`).
    public func metrics() throws -> [[String: Any]] {
        let source = currentMetricsURL
        return try String(decoding: try metricsBytes(), as: UTF8.self).split(separator: "\n").enumerated().map { i, line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ConfigError(file: source.path, line: i + 1, "not a JSON object")
            }
            return object
        }
    }

    /// Stores `metrics.jsonl` gzipped as `metrics.jsonl.gz` (written atomically, then the
    /// plain file removed): for a finished run, whose metrics no longer grow. Returns false,
    /// doing nothing, when there is no plain file.
    @discardableResult
    public func packMetrics() throws -> Bool {
        guard let data = FileManager.default.contents(atPath: metricsURL.path) else { return false }
        try AtomicFile.write(CompressedFile.gzip([UInt8](data)), to: packedMetricsURL)
        try FileManager.default.removeItem(at: metricsURL)
        return true
    }

    /// Restores `metrics.jsonl` from `metrics.jsonl.gz` for a run that continues.
    func unpackMetrics() throws {
        guard currentMetricsURL == packedMetricsURL else { return }
        try AtomicFile.write(try metricsBytes(), to: metricsURL)
        try FileManager.default.removeItem(at: packedMetricsURL)
    }
}

/// Appends lines to `metrics.jsonl` with one write per line, so a killed run leaves at most
/// one partial line (which a resume truncates away).
final class MetricsWriter {
    private let handle: FileHandle
    private let url: URL
    private(set) var bytes: UInt64

    /// Opens `url`, truncating it to `length` bytes (0 for a fresh run).
    init(url: URL, truncatingTo length: UInt64) throws {
        self.url = url
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileSystem.attempt("open for writing", url.path) { try FileHandle(forWritingTo: url) }
        try FileSystem.attempt("truncate", url.path) {
            try handle.truncate(atOffset: length)
            try handle.seekToEnd()
        }
        self.handle = handle
        bytes = length
    }

    deinit { try? handle.close() }

    func write(_ line: String) throws {
        let data = Data((line + "\n").utf8)
        try FileSystem.attempt("write", url.path) { try handle.write(contentsOf: data) }
        bytes += UInt64(data.count)
    }
}
