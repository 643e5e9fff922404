/// Reference results come from committed code: a study at a reference scale (`standard`,
/// `full`: the scales whose runs are committed under `results/` and quoted as findings) is
/// refused when this binary was built from sources that differ from their commit
/// (`+changes`) or outside a git checkout (`unknown`), unless the user waives it with
/// `--allow-dirty`. Quick studies are for trying things and are never refused.
public enum StudyProvenance {
    /// The scales whose runs are reference results.
    public static let referenceScales: Set<String> = ["standard", "full"]

    /// Throws `Refusal` when a study at `scale` may not be run by a binary built from `commit`.
    public static func check(scale: String, commit: String = BuildInfo.commit, allowDirty: Bool) throws {
        guard referenceScales.contains(scale), !allowDirty else { return }
        if commit.hasSuffix("+changes") {
            throw Refusal(description: "--scale \(scale): this binary was built from uncommitted sources (commit \(commit)), "
                + "and reference results must come from committed code; commit and rebuild, or pass --allow-dirty")
        }
        if commit == "unknown" {
            throw Refusal(description: "--scale \(scale): this binary's commit is unknown (not built in a git checkout), "
                + "and reference results must name the code that made them; build from a clone, or pass --allow-dirty")
        }
    }

    /// A refused study; the description is the one-line reason and what to do.
    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public let description: String
    }
}
