import Foundation
import PackagePlugin

/// Stamps the `BuildStamp` module with the git commit of the sources being built: before every
/// build it runs `scripts/build-stamp.sh`, which writes `BuildStampValues.swift`, so no
/// process has to ask git at run time.
@main struct BuildStampPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("generated")
        let package = context.package.directoryURL
        return [.prebuildCommand(displayName: "Stamping the build with its git commit",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: [package.appendingPathComponent("scripts/build-stamp.sh").path, package.path, output.path],
                                 outputFilesDirectory: output)]
    }
}
