import Foundation

/// The built-in studies: the files `studies/<name>.toml` of the repository (`studies` is a
/// link to `Sources/Experiments/Studies`, where SwiftPM needs the Experiments target's
/// resources), bundled with the target and read through `Bundle.module`. Shared blocks live
/// in `studies/common/*.toml` and are pulled in by `include` (see `StudyFile`).
///
/// ```swift
/// let file = try StudyPresets.file(named: "swiss-cheese")!   // file.text: as written
/// let plan = try StudyPlan(text: file.resolvedText, file: "swiss-cheese", scale: "quick")
/// ```
public enum StudyPresets {
    /// The built-in studies' names, in the research spec's order of findings.
    public static let names = ["swiss-cheese", "mechanisms", "target-scale", "shift-smoothness", "warm-start",
                               "layerwise-lmc", "rl"]

    /// The folder holding the bundled study files (`<name>.toml` and `common/`).
    public static var directory: URL {
        guard let url = Bundle.module.url(forResource: "Studies", withExtension: nil) else {
            preconditionFailure("the Experiments resource bundle has no Studies folder")
        }
        return url
    }

    /// The built-in study called `name` with its includes resolved, nil for another name.
    public static func file(named name: String) throws -> StudyFile? {
        guard names.contains(name) else { return nil }
        return try StudyFile(contentsOf: directory.appendingPathComponent(name + ".toml"))
    }

    /// Every built-in study as resolved TOML (includes merged in), in the order of `names`.
    public static var all: [(name: String, toml: String)] { names.map { ($0, named($0)!) } }

    /// The built-in study called `name` as resolved TOML (includes merged in), if any. A
    /// bundled file that fails to resolve is a defect of the build, not of the caller.
    public static func named(_ name: String) -> String? {
        do { return try file(named: name)?.resolvedText } catch {
            preconditionFailure("built-in study \(name): \(error)")
        }
    }
}
