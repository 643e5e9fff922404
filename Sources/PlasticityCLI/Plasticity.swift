import ArgumentParser
import Experiments
import Foundation

/// The `plasticity` command: studies, runs, diagnostics and benchmarks of loss of plasticity.
@main
struct Plasticity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plasticity",
        abstract: "Study and fix loss of plasticity in neural networks.",
        subcommands: [Study.self, Report.self, Run.self, Diagnose.self, LMCCommand.self, RLCommand.self, InterventionsCommand.self,
                      MetricsCommand.self, Bench.self, IndexCommand.self, QueryCommand.self, SweepCommand.self])

    @Flag(help: "Print the version and the git commit this binary was built from (\"unknown\" when that cannot be told).")
    var version = false

    /// Parses and runs the command; a usage error (unknown flag, bad value, failed
    /// validation) is one line on stderr, `error: MESSAGE (see --help)`, with exit status 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            let message = message(for: error).split(separator: "\n").joined(separator: "; ")
            Console.error("error: \(message) (see --help)")
            Foundation.exit(code.rawValue)
        }
    }

    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        Console.line("plasticity \(BuildInfo.version) (commit \(BuildInfo.commit))")
    }
}
