import Foundation

/// This build's version and the git commit it was built from, for `plasticity --version` and
/// every run's `summary.json`.
///
/// Plain SwiftPM cannot embed the commit at build time (that needs a build-tool plugin), so it
/// is read when asked, from the PlasticityLab checkout the executable lies in
/// (`.build/release/plasticity`), and given only when it is known to be the commit built:
/// the newest entry of git's HEAD reflog not newer than the executable's modification time
/// (so a commit, checkout or reset after the build does not change the answer). It is
/// "unknown" when the executable is not inside a PlasticityLab checkout, git is missing, or
/// no reflog entry is that old; "+changes" is appended when the tracked files under `Sources/`
/// or `Package.swift` now differ from that commit (the build may have included them).
public enum BuildInfo {
    /// The package version.
    public static let version = "0.1.0"

    /// The commit of this process's executable (computed once).
    public static let commit: String = commit(executable: Bundle.main.executableURL
        ?? URL(fileURLWithPath: CommandLine.arguments[0]))

    /// The commit the file at `executable` was built from, as described above.
    static func commit(executable: URL) -> String {
        let file = executable.resolvingSymlinksInPath()
        guard let built = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date,
              let top = git(["rev-parse", "--show-toplevel"], in: file.deletingLastPathComponent().path),
              let manifest = try? String(contentsOfFile: top + "/Package.swift", encoding: .utf8),
              manifest.contains("name: \"PlasticityLab\""),
              let reflog = git(["reflog", "show", "--date=unix", "--format=%H %gd", "HEAD"], in: top) else { return "unknown" }
        // Lines "<hash> HEAD@{<unix time>}", newest first.
        let entries = reflog.split(separator: "\n").compactMap { line -> (hash: String, time: Double)? in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let open = parts[1].firstIndex(of: "{"),
                  let time = Double(parts[1][parts[1].index(after: open)...].dropLast()) else { return nil }
            return (String(parts[0]), time)
        }
        guard let entry = entries.first(where: { $0.time <= built.timeIntervalSince1970.rounded(.up) }) else { return "unknown" }
        let changed = git(["diff", "--quiet", entry.hash, "--", "Sources", "Package.swift"], in: top) == nil
        return entry.hash + (changed ? "+changes" : "")
    }

    /// `git -C directory arguments…`'s standard output, trimmed; nil unless it exits 0.
    private static func git(_ arguments: [String], in directory: String) -> String? {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", directory] + arguments
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
