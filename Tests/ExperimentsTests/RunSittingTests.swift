import Foundation
import Tensors
import Testing
@testable import Experiments

/// `summary.json` lists the sittings whose work a run holds, carried through checkpoints.
@Suite struct RunSittingTests {
    @Test func aStoppedAndResumedRunListsBothSittings() throws {
        let root = CLI.temporaryDirectory("sittings")
        let cfg = root.appendingPathComponent("c.toml"), dir = root.appendingPathComponent("run")
        try CLI.write(TinyRun.config(seed: 3).replacingOccurrences(of: "checkpoint_every = 0", with: "checkpoint_every = 10"), to: cfg)
        let first = try CLI.run(["run", cfg.path, "--out", dir.path, "--stop-after", "25"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try CLI.run(["run", "--resume", dir.path])
        #expect(second.status == 0, "\(second.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("summary.json")))
            as? [String: Any])
        #expect(summary["tasks_finished"] as? Int == 2 && summary["tasks"] == nil, "a digest: every task's metrics are in metrics.jsonl")
        let final = try #require(summary["final"] as? [String: Any])
        #expect(final["task"] as? Int == 2 && final["train_accuracy"] is Double, "\(final)")
        let sittings = try #require(summary["sittings"] as? [[String: Any]])
        #expect(sittings.map { $0["from"] as? Int } == [0, 20], "the resume starts at the checkpoint of step 20: \(sittings)")
        for s in sittings {
            #expect(s["commit"] as? String == BuildInfo.commit)
            #expect(s["cpu"] as? String == StudySittings.cpuName())
            #expect(s["blas_core"] as? String == BLAS.coreName)
            #expect(s["threads"] as? Int == 1)
        }
        #expect(RunSummary.machines(at: dir.appendingPathComponent("summary.json"))
            == ["\(StudySittings.cpuName()), OpenBLAS \(BLAS.coreName), 1 thread(s)"])
    }

    @Test func sittingsRoundTripAndOldCheckpointsGiveOne() {
        let list = [RunSitting(commit: "a", cpu: "CPU \"x\"", blasCore: "Zen", threads: 2, from: 0),
                    RunSitting(commit: "b+changes", cpu: "y", blasCore: "Haswell", threads: 1, from: 500)]
        #expect(RunSitting.decode([RunSitting.metadataKey: RunSitting.encode(list)]) == list)
        #expect(RunSitting.decode(["code_version": "c", "blas_core": "Zen", "blas_threads": "2"])
            == [RunSitting(commit: "c", cpu: "unknown", blasCore: "Zen", threads: 2, from: 0)])
    }
}
