import Foundation
import Experiments

/// Writes a finished fake study for report tests: under a new temporary directory named
/// `name-<UUID>`, every planned run of `plan` gets `metrics.jsonl` holding `lines(run)` (one
/// JSON record each) and `summary.json` holding `summary`. Returns the directory.
func writeFakeStudy(_ plan: StudyPlan, name: String, summary: String = "{}",
                    lines: (StudyPlan.PlannedRun) throws -> [String]) throws -> URL {
    let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(name)-\(UUID().uuidString)")
    for run in plan.runs {
        let runDir = dir.appendingPathComponent(run.relativePath)
        try FileManager.default.createDirectory(at: runDir, withIntermediateDirectories: true)
        try (lines(run).joined(separator: "\n") + "\n").write(to: runDir.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
        try summary.write(to: runDir.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
    }
    return dir
}
