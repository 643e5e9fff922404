/// The built-in studies, by name. Each is the TOML text `plasticity study NAME
/// --print-config` prints; a copy edited by a user runs with `plasticity study FILE.toml`.
public enum StudyPresets {
    public static let all: [(name: String, toml: String)] = [
        ("swiss-cheese", swissCheese),
        ("mechanisms", mechanisms),
        ("target-scale", targetScale),
        ("shift-smoothness", shiftSmoothness),
        ("warm-start", warmStart),
        ("layerwise-lmc", layerwiseLMC),
        ("rl", rl),
    ]

    /// The preset called `name`, if any.
    public static func named(_ name: String) -> String? { all.first { $0.name == name }?.toml }
}
