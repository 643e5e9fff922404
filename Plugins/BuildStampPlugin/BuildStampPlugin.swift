import Foundation
import PackagePlugin

/// Stamps the `BuildStamp` module with the git commit of the sources being built: it runs
/// `scripts/build-stamp.sh`, which writes `BuildStampValues.swift`, so no process has to ask
/// git at run time. The script is a build command whose inputs are the files a commit, a
/// checkout or an edit changes (git's `HEAD`, the checked-out branch's ref, `packed-refs`, the
/// index, `Package.swift` and every file under `Sources/`), so the build reruns it exactly when
/// the stamp can change. (A prebuild command is not rerun by SwiftPM after a commit that
/// changes no source file, which left the previous commit's stamp in place.)
@main struct BuildStampPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let script = package.appendingPathComponent("scripts/build-stamp.sh")
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("generated")
        let stamp = output.appendingPathComponent("BuildStampValues.swift")
        let inputs = [script, package.appendingPathComponent("Package.swift")]
            + gitStateFiles(package: package) + files(under: package.appendingPathComponent("Sources"))
        return [.buildCommand(displayName: "Stamping the build with its git commit",
                              executable: URL(fileURLWithPath: "/bin/sh"),
                              arguments: [script.path, package.path, output.path],
                              inputFiles: inputs,
                              outputFiles: [stamp])]
    }

    /// The git files whose change means a new commit or checkout: `HEAD`, the ref `HEAD`
    /// names, `packed-refs` and the index, those that exist (none outside a git checkout).
    private func gitStateFiles(package: URL) -> [URL] {
        guard let gitDirectory = gitDirectory(package: package) else { return [] }
        var candidates = ["HEAD", "packed-refs", "index"].map { gitDirectory.appendingPathComponent($0) }
        if let head = try? String(contentsOf: gitDirectory.appendingPathComponent("HEAD"), encoding: .utf8),
           head.hasPrefix("ref: ") {
            let reference = head.dropFirst("ref: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
            candidates.append(gitDirectory.appendingPathComponent(reference))
        }
        return candidates.filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// `.git` of the package, or the directory a worktree's `.git` file points to.
    private func gitDirectory(package: URL) -> URL? {
        let dotGit = package.appendingPathComponent(".git")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return dotGit }
        guard let pointer = try? String(contentsOf: dotGit, encoding: .utf8), pointer.hasPrefix("gitdir: ") else { return nil }
        let path = pointer.dropFirst("gitdir: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.hasPrefix("/") ? URL(fileURLWithPath: path) : package.appendingPathComponent(path)
    }

    /// Every regular file below `directory`, so an edit to any of them reruns the stamp.
    private func files(under directory: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return walker.compactMap { $0 as? URL }.filter {
            (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }
    }
}
