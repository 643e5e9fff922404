import Foundation

extension StudyPlan {
    /// Gzips the metrics of every finished or diverged run of this plan under `directory`
    /// (`RunDirectory.packMetrics`: `metrics.jsonl` → `metrics.jsonl.gz`), so a study's
    /// committed results stay small; runs that may still continue are left as they are.
    /// Returns how many runs were packed.
    @discardableResult
    public func packFinishedRuns(in directory: URL) throws -> Int {
        var packed = 0
        for run in runs {
            let dir = RunDirectory(directory.appendingPathComponent(run.relativePath).path)
            let status = RunSummary.status(at: dir.summaryURL)
            if status == .finished || status == .diverged, try dir.packMetrics() { packed += 1 }
        }
        return packed
    }
}
