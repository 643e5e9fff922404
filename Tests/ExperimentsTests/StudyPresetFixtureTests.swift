import Foundation
import Testing
@testable import Experiments

/// The built-in studies resolve to exactly the runs recorded in `Fixtures/study-plans.txt`:
/// for every study and scale (quick, standard, full) one line with a hash of the plan's metadata, then one line per
/// planned run with a hash of its resolved `config.toml`. The fixture was written from the
/// studies as they were before they moved from Swift literals to `studies/*.toml` with
/// includes, so the move changed no run. A deliberate change of a study's content rewrites
/// it: `PLASTICITY_WRITE_STUDY_FIXTURE=1 swift test --filter StudyPresetFixtureTests`.
@Suite struct StudyPresetFixtureTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/study-plans.txt")

    @Test func builtInStudiesResolveToTheRecordedRuns() throws {
        let actual = try Self.lines()
        if ProcessInfo.processInfo.environment["PLASTICITY_WRITE_STUDY_FIXTURE"] == "1" {
            try (actual.joined(separator: "\n") + "\n").write(to: Self.fixture, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: Self.fixture, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) where a != e {
            Issue.record("resolved \(a) differs from the fixture's \(e)")
        }
        // Every study at its three scales, and the whole Swiss-cheese grid (seven variants with
        // the fresh reference; the CNN arm at full only).
        #expect(Set(expected.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }).count == 3 * StudyPresets.all.count)
        #expect(expected.filter { $0.hasPrefix("swiss-cheese quick runs/") }.count == 4 * 7 * 4)
        #expect(expected.filter { $0.hasPrefix("swiss-cheese standard runs/") }.count == 4 * 7 * 8)
        #expect(expected.filter { $0.hasPrefix("swiss-cheese full runs/") }.count == 8 * 7 * 5)
    }

    /// The fixture's lines for the current built-in studies.
    static func lines() throws -> [String] {
        var out: [String] = []
        for (name, text) in StudyPresets.all {
            for scale in ["quick", "standard", "full"] {
                let plan = try StudyPlan(text: text, file: name, scale: scale)
                let metrics = plan.groupMetrics.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                let meta = [plan.name, plan.kind, plan.title, plan.claim, plan.source, "\(plan.seeds)"]
                    + plan.groups + ["|"] + plan.variants + ["|"] + metrics
                out.append("\(name) \(scale) plan \(hash(meta.joined(separator: "\n")))")
                for run in plan.runs { out.append("\(name) \(scale) \(run.relativePath) \(hash(run.config.toml))") }
            }
        }
        return out
    }

    /// 64-bit FNV-1a of the UTF-8 bytes, as 16 hex digits.
    static func hash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
