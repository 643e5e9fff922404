import Foundation
import Tensors

/// One sitting of a run (a `run` or `run --resume` invocation) whose work the run's results
/// hold: the binary's commit, the CPU model, the OpenBLAS kernel and the thread count, and
/// the global step (supervised) or frame (RL) it started from. Bit-identity holds within one
/// commit, CPU kernel and thread count, so this is what a reviewer needs to audit a result.
/// The list travels in every checkpoint (metadata `sittings`), so a resume continues it, and
/// ends in `summary.json` (`sittings`); a sitting whose work was lost (killed after its last
/// checkpoint) is dropped with that work.
public struct RunSitting: Equatable, Sendable {
    public var commit: String
    public var cpu: String
    public var blasCore: String
    public var threads: Int
    /// The global step (or frame) the sitting started from.
    public var from: Int

    public init(commit: String, cpu: String, blasCore: String, threads: Int, from: Int) {
        self.commit = commit
        self.cpu = cpu
        self.blasCore = blasCore
        self.threads = threads
        self.from = from
    }

    /// This process's sitting, starting at `from`.
    public static func current(from: Int) -> RunSitting {
        RunSitting(commit: BuildInfo.commit, cpu: StudySittings.cpuName(), blasCore: BLAS.coreName, threads: BLAS.threads, from: from)
    }

    /// The checkpoint metadata key.
    static let metadataKey = "sittings"

    /// The JSON object of `summary.json`'s `sittings` entries.
    var object: [String: Any] { ["commit": commit, "cpu": cpu, "blas_core": blasCore, "threads": threads, "from": from] }

    /// The sitting an `object` describes; nil when a field is missing.
    init?(object o: [String: Any]) {
        guard let commit = o["commit"] as? String, let cpu = o["cpu"] as? String, let core = o["blas_core"] as? String,
              let threads = o["threads"] as? Int, let from = o["from"] as? Int else { return nil }
        self.init(commit: commit, cpu: cpu, blasCore: core, threads: threads, from: from)
    }

    /// "CPU, OpenBLAS kernel, N thread(s)": what bit-identity depends on besides the commit.
    var machine: String { "\(cpu), OpenBLAS \(blasCore), \(threads) thread(s)" }

    /// `sittings` as the compact JSON array a checkpoint stores.
    static func encode(_ sittings: [RunSitting]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: sittings.map(\.object), options: [.sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The sittings a checkpoint's metadata lists; a checkpoint from before sittings were
    /// recorded gives one sitting from its `code_version`, `blas_core` and `blas_threads`
    /// (CPU "unknown", from 0).
    static func decode(_ metadata: [String: String]) -> [RunSitting] {
        if let text = metadata[metadataKey],
           let list = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] {
            return list.compactMap(RunSitting.init(object:))
        }
        return [RunSitting(commit: metadata["code_version"] ?? "unknown", cpu: "unknown", blasCore: metadata["blas_core"] ?? "unknown",
                           threads: metadata["blas_threads"].flatMap(Int.init) ?? 0, from: 0)]
    }
}
