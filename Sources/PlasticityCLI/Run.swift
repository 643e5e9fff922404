import ArgumentParser
import Experiments
import Foundation
import Tensors

/// `plasticity run`: train one experiment config into a run directory, or resume one.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an experiment config over its task stream, with checkpoints.",
        discussion: """
            Writes DIR/config.toml (resolved), DIR/metrics.jsonl, DIR/checkpoints/, and at the end
            DIR/model.safetensors and DIR/summary.json. A killed run continues with --resume DIR
            and ends bit-identical to an uninterrupted one (same BLAS thread count).
            Ctrl-C (SIGINT) or SIGTERM writes a checkpoint, records status "interrupted" in
            summary.json and exits with 130/143. A NaN/Inf loss or parameter stops the run with
            status "diverged" and exit status 3. A second process on the same DIR is refused.
            Examples:
              plasticity run configs/random-labels.toml --out runs/rl
              plasticity run --resume runs/rl
            """)

    @Argument(help: "Experiment config (TOML).") var config: String?
    @Option(help: "Run directory to create.") var out: String?
    @Option(help: "Run directory to continue from its newest checkpoint.") var resume: String?
    @Option(help: MemoryLimitFlag.help) var memoryLimit: String?
    @Flag(help: "With --resume: continue although config.toml was edited since the checkpoint (the changed keys are recorded in metrics.jsonl).")
    var allowConfigChange = false
    @Option(help: ArgumentHelp("Stop after this global step (for testing resume).", visibility: .hidden)) var stopAfter: Int?

    func validate() throws {
        if resume == nil && (config == nil || out == nil) { throw ValidationError("give CONFIG and --out DIR, or --resume DIR") }
        if resume != nil && config != nil { throw ValidationError("--resume takes its config from the run directory; drop CONFIG") }
        if allowConfigChange && resume == nil { throw ValidationError("--allow-config-change applies to --resume only") }
    }

    func run() throws {
        do {
            let experiment: ExperimentRun
            let budget = try MemoryBudget.standard(flag: memoryLimit)
            if let dir = resume {
                experiment = try ExperimentRun.resuming(RunDirectory(dir), budget: budget, allowConfigChange: allowConfigChange)
            } else {
                experiment = try ExperimentRun(config: try ExperimentConfig.load(path: config!), directory: RunDirectory(out!), resume: false,
                                               budget: budget, source: config!)
            }
            let limit = stopAfter
            let progress = ProgressLine()
            let signals = InterruptSignals()
            let summary = try experiment.run(resume: resume != nil, stop: { p in limit.map { p.globalStep >= $0 } ?? false },
                                             interrupted: { signals.isSet }) {
                progress.show($0)
            }
            progress.finish()
            for skipped in experiment.skippedCheckpoints { Console.error("warning: skipped damaged checkpoint: \(skipped)") }
            for change in experiment.configChanges { Console.error("warning: resumed under a changed config: \(change)") }
            let path = experiment.directory.url.path
            switch summary?.status {
            case .finished?:
                Console.line(SummaryTable.render(summary!))
                Console.line("run directory: \(path)")
            case .diverged?:
                Console.error("error: \(path): \(summary!.divergence.map { "\($0)" } ?? "diverged")")
                throw ExitCode(3)
            case .interrupted?:
                let step = experiment.trainer.position.globalStep
                Console.line("interrupted at global step \(step); checkpoint written; continue with: plasticity run --resume \(path)")
                throw ExitCode(signals.exitCode)
            case nil:
                break
            }
        } catch let e as ExitCode {
            throw e
        } catch {
            Console.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// The one-line progress display: rewritten in place on a terminal, a line every few seconds
/// otherwise.
final class ProgressLine {
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private var lastPrinted = Date.distantPast

    func show(_ p: RunProgress) {
        let acc = p.lastTaskAccuracy.map { String(format: " last-task acc %.3f", $0) } ?? ""
        let text = String(format: "task %d/%d step %d/%d loss %.4f%@ | %.0f steps/s ETA %@",
                          p.task, p.tasks, p.step, p.stepsInTask, p.loss, acc, p.stepsPerSecond, Self.duration(p.etaSeconds))
        if isTerminal {
            FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + text).utf8))
        } else if Date().timeIntervalSince(lastPrinted) >= 5 || p.step == p.stepsInTask {
            lastPrinted = Date()
            Console.line(text)
        }
    }

    func finish() { if isTerminal { Console.line("") } }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%dh%02dm", t / 3600, t % 3600 / 60) : String(format: "%dm%02ds", t / 60, t % 60)
    }
}

/// The end-of-run table: one row per task with its final metrics.
enum SummaryTable {
    static func render(_ s: RunSummary) -> String {
        let columns = ["train_loss", "train_accuracy", "test_loss", "test_accuracy"].filter { c in s.tasks.contains { $0[c] != nil } }
        var lines = ["task  " + columns.map { $0.padding(toLength: 15, withPad: " ", startingAt: 0) }.joined()]
        for (i, t) in s.tasks.enumerated() {
            lines.append(String(format: "%-6d", i + 1) + columns.map { c in
                (t[c].map { String(format: "%.4f", $0) } ?? "-").padding(toLength: 15, withPad: " ", startingAt: 0)
            }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
