/// Rejects the TOML that the bundled toml++ 3.4 parser (inside TOMLKit) does not reject but
/// aborts on with a failed assertion, found by fuzzing (`scripts/fuzz.sh config`):
/// - a table header whose key starts with a character that cannot start a key, e.g.
///   `[@data]` or a `[` at the end of a line (the check looks at line starts only, so it
///   would also refuse such a line inside a multi-line string or array, which no
///   PlasticityLab config or study needs);
/// - a `}` that does not close a `{`, e.g. `widths = [16, }` (outside strings and comments).
/// It also refuses the control characters TOML forbids everywhere (U+0000–U+0008, U+000B,
/// U+000C, U+000E–U+001F, U+007F, and a carriage return not followed by a line feed): toml++
/// stopped reading at a NUL byte and returned the table before it, so a file with a NUL after
/// its first line silently ran with the defaults.
/// All are invalid TOML, so no valid config is refused.
enum TOMLPrecheck {
    /// Throws `ConfigError` naming `file` and the line of the first such construct.
    static func check(_ text: String, file: String) throws {
        let bytes = Array(text.utf8)
        try checkControlCharacters(bytes, file: file)
        try checkHeaders(text, file: file)
        try checkBraces(bytes, file: file)
    }

    private static func checkControlCharacters(_ bytes: [UInt8], file: String) throws {
        var line = 1
        for (i, c) in bytes.enumerated() {
            if c == 0x0A { line += 1; continue }
            let forbidden = (c < 0x20 && c != 0x09 && c != 0x0D) || c == 0x7F || (c == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A))
            if forbidden {
                let code = String(c, radix: 16, uppercase: true)
                throw ConfigError(file: file, line: line, "invalid TOML: control character U+\(String(repeating: "0", count: 4 - code.count))\(code) is not allowed")
            }
        }
    }

    private static func checkHeaders(_ text: String, file: String) throws {
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

    /// Scans past strings and comments, keeping a stack of open `[` and `{`.
    private static func checkBraces(_ bytes: [UInt8], file: String) throws {
        let newline = UInt8(ascii: "\n"), backslash = UInt8(ascii: "\\")
        var open: [UInt8] = [], line = 1, i = 0
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case newline:
                line += 1
            case UInt8(ascii: "#"):
                while i + 1 < bytes.count && bytes[i + 1] != newline { i += 1 }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let escapes = c == UInt8(ascii: "\"")
                if i + 2 < bytes.count && bytes[i + 1] == c && bytes[i + 2] == c {
                    // A multi-line string: up to the next unescaped triple quote.
                    i += 3
                    while i < bytes.count && !(i + 2 < bytes.count && bytes[i] == c && bytes[i + 1] == c && bytes[i + 2] == c) {
                        if bytes[i] == newline { line += 1 }
                        if escapes && bytes[i] == backslash { i += 1 }
                        i += 1
                    }
                    i += 2
                } else {
                    // A one-line string: up to the closing quote or the end of the line.
                    i += 1
                    while i < bytes.count && bytes[i] != c && bytes[i] != newline {
                        if escapes && bytes[i] == backslash && i + 1 < bytes.count && bytes[i + 1] != newline { i += 1 }
                        i += 1
                    }
                    if i < bytes.count && bytes[i] == newline { continue }
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                open.append(c)
            case UInt8(ascii: "]"):
                if open.last == UInt8(ascii: "[") { open.removeLast() }
            case UInt8(ascii: "}"):
                guard open.last == UInt8(ascii: "{") else {
                    throw ConfigError(file: file, line: line, "invalid TOML: '}' does not close a '{'")
                }
                open.removeLast()
            default:
                break
            }
            i += 1
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
