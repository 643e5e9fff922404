import Foundation

/// `s` as a TOML basic string: quoted, with backslashes and quotes escaped, as the resolved
/// configs and command-line overrides write it.
func tomlString(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
