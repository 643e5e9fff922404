import Networks

/// An ordered set of named values: one line of `metrics.jsonl`.
public struct MetricsRecord: Sendable, Equatable {
    public private(set) var fields: [(name: String, value: MetricValue)] = []

    public init(_ fields: [(String, MetricValue)] = []) {
        for (k, v) in fields { self[k] = v }
    }

    /// The value named `name`; setting replaces it in place or appends it.
    public subscript(_ name: String) -> MetricValue? {
        get { fields.first { $0.name == name }?.value }
        set {
            if let i = fields.firstIndex(where: { $0.name == name }) {
                if let v = newValue { fields[i].value = v } else { fields.remove(at: i) }
            } else if let v = newValue {
                fields.append((name, v))
            }
        }
    }

    /// Sets a Double value (nil → null).
    public mutating func set(_ name: String, _ value: Double?) { self[name] = value.map { .double($0) } ?? .null }

    /// One JSON object on one line, keys in insertion order.
    public var jsonLine: String {
        "{" + fields.map { $0.name.jsonLiteral + ": " + $0.value.json }.joined(separator: ", ") + "}"
    }

    public static func == (a: MetricsRecord, b: MetricsRecord) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
