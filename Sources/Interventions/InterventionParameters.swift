/// One parameter value of an intervention as a config gives it: a number (TOML integers,
/// floats and booleans as 0/1) or text (layer names).
public enum InterventionValue: Sendable, Equatable, CustomStringConvertible,
    ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    case number(Double)
    case text(String)

    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(stringLiteral value: String) { self = .text(value) }

    public var description: String {
        switch self {
        case .number(let v): v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
        case .text(let s): "\"\(s)\""
        }
    }
}

/// A problem building an intervention; `description` is one line naming the intervention and,
/// where there is one, the parameter.
public struct InterventionError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The checked parameters of one intervention: the values a config gave, with every other
/// parameter taking the default listed in the intervention's `InterventionInfo` (so the
/// catalogue and the code cannot disagree about defaults).
///
/// ```swift
/// let p = try InterventionParameters(["tau": 0.025], info: ReDo.info)
/// try p.number("tau")      // 0.025
/// try p.integer("every")   // 1000, the default
/// ```
public struct InterventionParameters {
    public let info: InterventionInfo
    public let values: [String: InterventionValue]

    /// Throws if a key is not one of `info.parameters`.
    public init(_ values: [String: InterventionValue], info: InterventionInfo) throws {
        let known = info.parameters.map(\.name)
        for key in values.keys.sorted() where !known.contains(key) {
            let valid = known.isEmpty ? "it takes no parameters" : "valid: \(known.joined(separator: ", "))"
            throw InterventionError("\(info.name): unknown parameter '\(key)' (\(valid))")
        }
        self.info = info
        self.values = values
    }

    /// The given or default value of `key` (a parameter the info lists).
    private func value(_ key: String) -> InterventionValue {
        if let v = values[key] { return v }
        guard let d = info.parameters.first(where: { $0.name == key })?.defaultValue else {
            preconditionFailure("\(info.name) reads undeclared parameter '\(key)'")
        }
        return Double(d).map(InterventionValue.number) ?? .text(d)
    }

    /// `key` as a number, checked against the closed range `range`.
    public func number(_ key: String, in range: ClosedRange<Double> = -.infinity...(.infinity)) throws -> Double {
        guard case .number(let v) = value(key) else {
            throw InterventionError("\(info.name): parameter '\(key)' must be a number, got \(value(key))")
        }
        guard !v.isNaN, range.contains(v) else {
            throw InterventionError("\(info.name): parameter '\(key)' = \(v) is outside [\(range.lowerBound), \(range.upperBound)]")
        }
        return v
    }

    /// `key` as a whole number in `range`.
    public func integer(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        let v = try number(key)
        guard v == v.rounded(), let i = Int(exactly: v), range.contains(i) else {
            throw InterventionError("\(info.name): parameter '\(key)' = \(v) must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return i
    }

    /// `key` as a switch: 0 is false, 1 is true.
    public func flag(_ key: String) throws -> Bool { try integer(key, in: 0...1) == 1 }

    /// `key` as text.
    public func text(_ key: String) throws -> String {
        switch value(key) {
        case .text(let s): return s
        case .number(let v): throw InterventionError("\(info.name): parameter '\(key)' must be text, got \(v)")
        }
    }
}
