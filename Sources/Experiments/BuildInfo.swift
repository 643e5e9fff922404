import BuildStamp

/// This build's version and the git commit it was built from, for `plasticity --version`,
/// every run's `summary.json`, its checkpoints and its `metrics.jsonl`.
///
/// The commit is fixed at build time (`BuildStamp`: the commit the checkout was at when
/// `swift build` ran, "+changes" when files under `Sources/` or `Package.swift` differed from
/// it, "unknown" outside a git checkout), so reading it spawns nothing and costs nothing: a
/// run never starts a process (issue 41).
public enum BuildInfo {
    /// The package version.
    public static let version = "0.1.0"

    /// The commit this binary was built from, as described above.
    public static let commit = BuildStamp.commit
}
