import TOMLKit

/// One entry of an array of tables in a study file (`[[claims]]`, `[[checks]]`), named in
/// every error it raises ("[[claims]] 2: no group 'x'").
struct StudyEntry {
    let table: TOMLTable
    /// "[[claims]] 2".
    let name: String
    let file: String

    /// The entries of the array of tables `key` (none when absent), each refused when it is not
    /// a table or holds a key outside `keys`.
    static func entries(_ value: (any TOMLValueConvertible)?, key: String, keys: [String], file: String) throws -> [StudyEntry] {
        guard let value else { return [] }
        guard let array = value.array else { throw ConfigError(file: file, "\(key) must be an array of tables ([[\(key)]])") }
        return try array.enumerated().map { index, element in
            let name = "[[\(key)]] \(index + 1)"
            guard let table = element.table else { throw ConfigError(file: file, "\(name) is not a table") }
            if let extra = table.keys.first(where: { !keys.contains($0) }) {
                throw ConfigError(file: file, "\(name): unknown key '\(extra)' (\(keys.joined(separator: ", ")))")
            }
            return StudyEntry(table: table, name: name, file: file)
        }
    }

    /// The error `problem` about this entry.
    func error(_ problem: String) -> ConfigError { ConfigError(file: file, "\(name): \(problem)") }

    /// The non-empty string `key`.
    func text(_ key: String) throws -> String {
        guard let s = table[key]?.string, !s.isEmpty else { throw ConfigError(file: file, "\(name) needs a string '\(key)'") }
        return s
    }

    /// The string `key`, which must be one of `labels` (the study's groups or variants, named
    /// `kind` in the error).
    func label(_ key: String, in labels: [String], kind: String) throws -> String {
        let value = try text(key)
        guard labels.contains(value) else { throw error("no \(kind) '\(value)'") }
        return value
    }
}
