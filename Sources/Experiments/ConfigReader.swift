import Foundation
import TOMLKit

/// Reads one TOML table of a config strictly: every value is fetched with its expected type,
/// every key read is remembered, and `finish()` rejects the keys nobody asked for. Errors
/// name the file, the line and the dotted key.
final class ConfigReader {
    let file: String
    let path: String
    private let table: TOMLTable
    private let source: ConfigSource
    private var used: Set<String> = []

    /// Parses TOML `text` from `file`.
    convenience init(text: String, file: String) throws {
        let table: TOMLTable
        try TOMLPrecheck.check(text, file: file)
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, "invalid TOML: \(e.description)")
        }
        self.init(table: table, path: "", source: ConfigSource(text: text), file: file)
    }

    private init(table: TOMLTable, path: String, source: ConfigSource, file: String) {
        self.table = table
        self.path = path
        self.source = source
        self.file = file
    }

    private func key(_ name: String) -> String { path.isEmpty ? name : path + "." + name }

    func error(_ name: String, _ problem: String) -> ConfigError {
        ConfigError(file: file, line: source.line(of: key(name)), "\(key(name)): \(problem)")
    }

    private func value(_ name: String) -> TOMLValueConvertible? {
        used.insert(name)
        return table[name]
    }

    private func describe(_ v: TOMLValueConvertible) -> String {
        switch v.type {
        case .string: "string \"\(v.string ?? "")\""
        case .int: "integer \(v.int ?? 0)"
        case .double: "float \(v.double ?? 0)"
        case .bool: "boolean \(v.bool ?? false)"
        case .array: "an array"
        case .table: "a table"
        default: "a \(v.type)"
        }
    }

    func has(_ name: String) -> Bool { table[name] != nil }

    /// An integer in `min…max` (sizes get an upper bound so that a typo cannot ask for an
    /// allocation the machine cannot make or a step count that overflows).
    func int(_ name: String, _ fallback: Int, min: Int? = nil, max: Int? = nil) throws -> Int {
        guard let v = value(name) else { return fallback }
        guard v.type == .int, let i = v.int else { throw error(name, "expected an integer, got \(describe(v))") }
        if let m = min, i < m { throw error(name, "must be ≥ \(m), got \(i)") }
        if let m = max, i > m { throw error(name, "must be ≤ \(m), got \(i)") }
        return i
    }

    /// A finite number (TOML's `inf` and `nan` are refused).
    func double(_ name: String, _ fallback: Double) throws -> Double {
        guard let v = value(name) else { return fallback }
        if v.type == .int, let i = v.int { return Double(i) }
        guard v.type == .double, let d = v.double else { throw error(name, "expected a number, got \(describe(v))") }
        guard d.isFinite else { throw error(name, "must be a finite number, got \(d)") }
        return d
    }

    func bool(_ name: String, _ fallback: Bool) throws -> Bool {
        guard let v = value(name) else { return fallback }
        guard v.type == .bool, let b = v.bool else { throw error(name, "expected true or false, got \(describe(v))") }
        return b
    }

    func string(_ name: String, _ fallback: String) throws -> String {
        guard let v = value(name) else { return fallback }
        guard v.type == .string, let s = v.string else { throw error(name, "expected a string, got \(describe(v))") }
        return s
    }

    /// A string that must be one of `choices`.
    func choice(_ name: String, _ fallback: String, _ choices: [String]) throws -> String {
        let s = try string(name, fallback)
        guard choices.contains(s) else {
            throw error(name, "unknown value \"\(s)\" (choose one of: \(choices.joined(separator: ", ")))")
        }
        return s
    }

    /// A choice stored as its enum: one of `Choice.allCases` by raw value.
    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, _ fallback: Choice) throws -> Choice
        where Choice.RawValue == String {
        let s = try choice(name, fallback.rawValue, Choice.allCases.map(\.rawValue))
        guard let value = Choice(rawValue: s) else { throw error(name, "unknown value \"\(s)\"") }
        return value
    }

    func intArray(_ name: String, _ fallback: [Int]?) throws -> [Int]? {
        guard let v = value(name) else { return fallback }
        guard v.type == .array, let a = v.array else { throw error(name, "expected an array of integers, got \(describe(v))") }
        return try a.map { element in
            guard element.type == .int, let i = element.int else {
                throw error(name, "expected an array of integers, found \(describe(element))")
            }
            return i
        }
    }

    func stringArray(_ name: String, _ fallback: [String]) throws -> [String] {
        guard let v = value(name) else { return fallback }
        guard v.type == .array, let a = v.array else { throw error(name, "expected an array of strings, got \(describe(v))") }
        return try a.map { element in
            guard element.type == .string, let s = element.string else {
                throw error(name, "expected an array of strings, found \(describe(element))")
            }
            return s
        }
    }

    /// The sub-table `name` (an empty reader if absent).
    func table(_ name: String) throws -> ConfigReader {
        guard let v = value(name) else {
            return ConfigReader(table: TOMLTable(), path: key(name), source: source, file: file)
        }
        guard v.type == .table, let t = v.table else { throw error(name, "expected a table, got \(describe(v))") }
        return ConfigReader(table: t, path: key(name), source: source, file: file)
    }

    /// The array of tables `name` (`[[name]]`), each as a reader.
    func tables(_ name: String) throws -> [ConfigReader] {
        guard let v = value(name) else { return [] }
        guard v.type == .array, let a = v.array else { throw error(name, "expected an array of tables, got \(describe(v))") }
        return try a.enumerated().map { i, element in
            guard element.type == .table, let t = element.table else { throw error(name, "element \(i) is not a table") }
            return ConfigReader(table: t, path: key(name), source: source, file: file)
        }
    }

    /// Every key of this table with its value, all marked as read (for free-form tables such as
    /// an intervention's parameters).
    func entries() -> [(key: String, value: TOMLValueConvertible)] {
        table.keys.sorted().compactMap { k in used.insert(k); return table[k].map { (k, $0) } }
    }

    /// Rejects keys that were never read.
    func finish() throws {
        for k in table.keys.sorted() where !used.contains(k) {
            let valid = used.sorted().joined(separator: ", ")
            throw error(k, "unknown key" + (valid.isEmpty ? "" : " (known keys here: \(valid))"))
        }
    }
}

/// Finds the line of a dotted key in TOML text: the line `name = …` under the header of the
/// key's table (`[a.b]` or `[[a.b]]`), or a table header itself.
struct ConfigSource {
    let lines: [Substring]

    init(text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    func line(of dottedKey: String) -> Int? {
        let parts = dottedKey.split(separator: ".").map(String.init)
        let section = parts.dropLast().joined(separator: "."), name = parts.last ?? ""
        var current = ""
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t"))
                if current == dottedKey { return i + 1 }
                continue
            }
            guard current == section, let eq = line.firstIndex(of: "=") else { continue }
            let k = line[..<eq].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            if k == name { return i + 1 }
        }
        return nil
    }
}
