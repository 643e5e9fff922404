/// Named diagnostic results in a stable order, as written to `metrics.jsonl` and printed by
/// `plasticity diagnose`. A value is nil where its formula is undefined (a division by zero,
/// a rank of a zero matrix); such values are reported as null and left out of means.
///
/// Names are dotted: `<metric>[.<variant>][.<layer>]`, e.g. `dormant.tau0.1.layers.0`,
/// `srank.delta0.01`, `hessian.lambda_max`. `docs/metrics.md` defines every name.
public struct DiagnosticValues: Sendable, Equatable {
    public private(set) var entries: [(name: String, value: Double?)] = []

    public init() {}

    /// Adds (or replaces) a value.
    public mutating func set(_ name: String, _ value: Double?) {
        let v = value.flatMap { $0.isFinite ? $0 : nil }
        if let i = entries.firstIndex(where: { $0.name == name }) { entries[i].value = v } else { entries.append((name, v)) }
    }

    /// Appends every entry of `other`.
    public mutating func merge(_ other: DiagnosticValues) {
        for (k, v) in other.entries { set(k, v) }
    }

    public subscript(_ name: String) -> Double? { entries.first { $0.name == name }?.value }

    public static func == (a: DiagnosticValues, b: DiagnosticValues) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
