import ArgumentParser
import Experiments

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

    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        Console.line("plasticity \(BuildInfo.version) (commit \(BuildInfo.commit))")
    }
}
