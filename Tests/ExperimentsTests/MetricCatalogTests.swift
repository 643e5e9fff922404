import Foundation
import Testing
@testable import Experiments

/// docs/tensorboard.md's tag table is `plasticity metrics --markdown`'s output, verbatim.
@Suite struct MetricCatalogTests {
    static let begin = "<!-- BEGIN plasticity metrics --markdown -->\n", end = "<!-- END plasticity metrics --markdown -->"

    @Test func tensorboardDocHoldsTheGeneratedTagTable() throws {
        let r = try CLI.run(["metrics", "--markdown"])
        #expect(r.status == 0, "\(r.stderr)")
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/tensorboard.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let start = try #require(text.range(of: Self.begin)), stop = try #require(text.range(of: Self.end))
        let section = String(text[start.upperBound..<stop.lowerBound])
        #expect(section == r.stdout, "docs/tensorboard.md's tag table differs from `plasticity metrics --markdown`: paste its output between the markers")
        // The tags the table once got wrong, and the header fields that are no tags.
        #expect(r.stdout.contains("`task_end/dormant.tau0.1`") && !text.contains("task_end/dormant_fraction"))
        #expect(r.stdout.contains("`task_end/train_accuracy`") && r.stdout.contains("`eval/test_accuracy`") && r.stdout.contains("| `loss`, "))
        #expect(!r.stdout.contains("/global_step`") && !r.stdout.contains("/task`"))
        #expect(r.stdout.contains("| `task_end` | any diagnostics group | `task_end/diagnostics.global_step` |"))
    }

    @Test func perLayerNamesCollapse() {
        #expect(MetricCatalog.collapsed("dormant.tau0.1.layers.1") == "dormant.tau0.1.<layer>")
        #expect(MetricCatalog.collapsed("param_norm.layers.3.weight") == "param_norm.<parameter>")
        #expect(MetricCatalog.collapsed("hessian.layers.12.body.0") == "hessian.<layer>")
        #expect(MetricCatalog.collapsed("dormant.tau0.1") == "dormant.tau0.1")
        #expect(MetricCatalog.collapsed("hessian_density.weight.3.29") == "hessian_density.weight.<v>.<j>")
    }
}
