/// Rejects the TOML that the bundled toml++ parser (inside TOMLKit) does not reject but
/// aborts on with a failed assertion, found by fuzzing (`scripts/fuzz.sh config`): a table
/// header whose key starts with a character that cannot start a key, e.g. `[@data]` or a
/// `[` at the end of a line. Such headers are invalid TOML; the check looks at line starts
/// only, so it would also refuse such a line inside a multi-line string or array, which no
/// PlasticityLab config or study needs.
enum TOMLPrecheck {
    /// Throws `ConfigError` naming `file` and the line of the first such header.
    static func check(_ text: String, file: String) throws {
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line.utf8.drop { $0 == 0x20 || $0 == 0x09 }
            guard rest.first == UInt8(ascii: "[") else { continue }
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "[") { rest = rest.dropFirst() }
            rest = rest.drop { $0 == 0x20 || $0 == 0x09 }
            if let c = rest.first, startsKey(c) { continue }
            throw ConfigError(file: file, line: i + 1, "invalid TOML: a table header's key must start with a letter, digit, '_', '-' or a quote")
        }
    }

    /// Letters, digits, `_`, `-`, quotes, and `]` (an empty header, which toml++ reports).
    private static func startsKey(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]"):
            true
        default:
            false
        }
    }
}
