/// The git commit this build's sources were at, fixed when the build ran (by the BuildStamp
/// plugin and `scripts/build-stamp.sh`): a 40-hex-digit commit, with "+changes" when files
/// under `Sources/` or `Package.swift` differed from it, or "unknown" when the package was
/// not built from a git checkout or git was missing.
public enum BuildStamp {
    /// The commit, as described above.
    public static let commit: String = stampedCommit
}
