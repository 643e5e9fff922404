import ArgumentParser

/// The `--jobs` flag of `study` and `sweep start`: runs at once, 1…4096 on this machine, or
/// 0 (no cap) to 4096 array tasks at once on Slurm.
enum JobsFlag {
    static let maximum = 4_096

    /// Throws a usage error naming the flag when `jobs` is outside its range for `backend`.
    static func check(_ jobs: Int?, backend: String) throws {
        let minimum = backend == "slurm" ? 0 : 1
        guard let jobs, jobs < minimum || jobs > maximum else { return }
        throw ValidationError("--jobs must be between \(minimum == 0 ? "0 (no cap)" : "1") and \(maximum), not \(jobs)")
    }
}
