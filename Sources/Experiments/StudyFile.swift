import Foundation
import TOMLKit

/// A study TOML file, and the study it describes once its includes are merged in.
///
/// A top-level `include = ["common/mlp-adam.toml", …]` names partial study files (any study
/// keys: `[base.…]`, `[scales.…]`, …), each relative to the including file. They are merged in
/// the order listed, a later file's keys over an earlier one's, and the including file's own
/// keys over all of them: tables merge key by key, any other value (an array such as
/// `[[groups]]` too) replaces. An included file may include others, relative to itself. An
/// include that does not exist beside the including file is looked up in the built-in
/// studies' folder (`builtins`), so a built-in study saved anywhere with
/// `plasticity study NAME --print-config > my.toml` still runs. A missing file, an include
/// cycle or an `include` that is not an array of strings is a one-line `ConfigError` naming
/// the including file.
///
/// ```swift
/// let file = try StudyFile(contentsOf: URL(fileURLWithPath: "my-study.toml"))
/// let plan = try StudyPlan(text: file.resolvedText, file: "my-study.toml", scale: "quick")
/// ```
public struct StudyFile: Sendable {
    /// The file's text as written: what `plasticity study NAME --print-config` prints.
    public let text: String
    /// The study with every include merged in and no `include` key, as TOML: `text` itself
    /// when the file includes nothing. What `StudyPlan` parses and a study directory records.
    public let resolvedText: String

    /// Reads the study at `url` and resolves its includes.
    public init(contentsOf url: URL, builtins: URL? = StudyPresets.directory) throws {
        try self.init(text: try Self.read(url, file: url.path), url: url, builtins: builtins)
    }

    /// The study `text` of the file at `url` (includes are relative to it).
    public init(text: String, url: URL, builtins: URL? = StudyPresets.directory) throws {
        self.text = text
        let root = try Self.parse(text, file: url.path)
        guard root["include"] != nil else {
            resolvedText = text
            return
        }
        let top = Include(url: url.resolvingSymlinksInPath(), written: url.lastPathComponent)
        resolvedText = try Self.resolve(root, from: url, chain: [top], builtins: builtins).convert()
    }

    /// A file on the include chain: where it is and how the chain names it in errors.
    private struct Include {
        let url: URL
        let written: String
    }

    /// `root` with its includes merged under its own keys, recursively.
    private static func resolve(_ root: TOMLTable, from url: URL, chain: [Include], builtins: URL?) throws -> TOMLTable {
        guard let value = root["include"] else { return root }
        let paths = value.array?.compactMap(\.string) ?? []
        guard let count = value.array?.count, paths.count == count else {
            throw ConfigError(file: url.path, "include must be an array of file paths, e.g. include = [\"common/mlp-adam.toml\"]")
        }
        root.remove(at: "include")
        var merged = TOMLTable()
        for path in paths {
            let target = try locate(path, from: url, builtins: builtins)
            let link = Include(url: target.resolvingSymlinksInPath(), written: path)
            if let start = chain.firstIndex(where: { $0.url.path == link.url.path }) {
                let cycle = (chain[start...] + [link]).map(\.written).joined(separator: " → ")
                throw ConfigError(file: url.path, "include cycle: \(cycle)")
            }
            let included = try parse(try read(target, file: url.path), file: target.path)
            merged = merge(merged, try resolve(included, from: target, chain: chain + [link], builtins: builtins))
        }
        return merge(merged, root)
    }

    /// `path` beside the file at `url`, else in `builtins`.
    private static func locate(_ path: String, from url: URL, builtins: URL?) throws -> URL {
        let fm = FileManager.default
        if path.hasPrefix("/") {
            guard fm.fileExists(atPath: path) else { throw ConfigError(file: url.path, "include '\(path)': no such file") }
            return URL(fileURLWithPath: path)
        }
        let beside = url.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
        if fm.fileExists(atPath: beside.path) { return beside }
        if let builtin = builtins?.appendingPathComponent(path).standardizedFileURL, fm.fileExists(atPath: builtin.path) {
            return builtin
        }
        let places = builtins == nil ? beside.path : "\(beside.path) or among the built-in studies"
        throw ConfigError(file: url.path, "include '\(path)': no such file (looked for \(places))")
    }

    private static func read(_ url: URL, file: String) throws -> String {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ConfigError(file: file, url.path == file ? "cannot read the file" : "cannot read included file \(url.path)")
        }
        return text
    }

    /// The TOML table of `text`; errors name `file` and the line.
    static func parse(_ text: String, file: String) throws -> TOMLTable {
        try TOMLPrecheck.check(text, file: file)
        do { return try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, "invalid TOML: \(e.description)")
        }
    }
}
