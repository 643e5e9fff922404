import Foundation

/// One value of a metrics record.
public enum MetricValue: Sendable, Equatable {
    case int(Int)
    case double(Double)
    case string(String)
    case null

    /// JSON text; non-finite doubles become null so every line stays valid JSON.
    public var json: String {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return v.isFinite ? "\(v)" : "null"
        case .string(let s): return jsonString(s)
        case .null: return "null"
        }
    }

    /// The numeric value, if any.
    public var number: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v.isFinite ? v : nil
        default: nil
        }
    }
}

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
        "{" + fields.map { jsonString($0.name) + ": " + $0.value.json }.joined(separator: ", ") + "}"
    }

    public static func == (a: MetricsRecord, b: MetricsRecord) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// A JSON string literal with the required escapes.
func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}
