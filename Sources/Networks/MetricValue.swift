/// One value of a metrics record, as training hooks report it (`TrainingContext.report`).
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
        case .string(let s): return s.jsonLiteral
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
