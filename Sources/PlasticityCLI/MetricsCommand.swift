import ArgumentParser
import Experiments

/// `plasticity metrics`: every metric a run writes, as its TensorBoard tag.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List every metric a run writes (metrics.jsonl name and TensorBoard tag).",
        discussion: """
            Runs a tiny run without diagnostics and one per diagnostic group (a few seconds) and
            lists what they wrote, by record: `step` records keep a metric's name as their tag,
            `eval` and `task_end` records prefix it (eval/test_accuracy, task_end/dormant.tau0.1).
            <layer> and <parameter> stand for a state-dict name such as layers.1 or
            layers.1.weight. docs/tensorboard.md holds the --markdown output.
            """)

    @Flag(help: "Print a Markdown table (as in docs/tensorboard.md).") var markdown = false

    func run() throws {
        let rows = try MetricCatalog.rows()
        if markdown {
            Console.write(MetricCatalog.markdown(rows))
            return
        }
        for r in rows {
            Console.line("\(r.event) (\(r.source.replacingOccurrences(of: "`", with: ""))):")
            for tag in r.tags { Console.line("  \(tag)") }
        }
    }
}
