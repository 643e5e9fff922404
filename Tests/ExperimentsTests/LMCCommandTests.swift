import Foundation
import Testing
import Networks
import Tensors

/// `plasticity lmc` end to end on two small MLPs and generated data.
@Suite struct LMCCommandTests {
    private func saveMLP(widths: [Int], seed: UInt64, to url: URL) throws {
        let arch = try Architecture(family: .mlp, widths: widths)
        var rng = RandomGenerator(seed: seed)
        try arch.build(inputShape: Shape(20), outputs: 10, rng: &rng).saveSafetensors(to: url)
    }

    @Test func writesTableJSONAndCharts() throws {
        let dir = CLI.temporaryDirectory("lmc")
        let a = dir.appendingPathComponent("A.safetensors"), b = dir.appendingPathComponent("B.safetensors")
        try saveMLP(widths: [16, 16], seed: 1, to: a)
        try saveMLP(widths: [16, 16], seed: 2, to: b)
        let out = dir.appendingPathComponent("out")
        let r = try CLI.run(["lmc", a.path, b.path, "--arch", "mlp", "--widths", "16,16", "--data", "gaussian-clusters",
                             "--data-count", "200", "--points", "5", "--robustness", "--samples", "2", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        for row in ["all ", "layers.1 (others at A)", "layers.3 (others at B)", "first 2 (others at A)", "last 1 (others at A)"] {
            #expect(r.stdout.contains(row), "missing row \(row)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("lmc.json"))) as! [String: Any]
        let report = json["report"] as! [String: Any]
        let curves = report["curves"] as! [Any], robustness = report["robustness"] as! [Any]
        #expect(curves.count == 11)  // whole + 3 layers × 2 + first 1, 2 + last 1, 2
        #expect(robustness.count == 3)
        for file in ["lmc-loss.svg", "lmc-test-loss.svg", "lmc-cumulative.svg"] {
            #expect(try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8).hasPrefix("<svg"))
        }
    }

    @Test func mismatchedCheckpointIsOneClearLine() throws {
        let dir = CLI.temporaryDirectory("lmc-bad")
        let a = dir.appendingPathComponent("A.safetensors"), b = dir.appendingPathComponent("B.safetensors")
        try saveMLP(widths: [16, 16], seed: 1, to: a)
        try saveMLP(widths: [16, 8], seed: 2, to: b)
        let r = try CLI.run(["lmc", a.path, b.path, "--arch", "mlp", "--widths", "16,16", "--data", "gaussian-clusters",
                             "--data-count", "50", "--out", dir.appendingPathComponent("out").path])
        #expect(r.status == 1)
        #expect(r.stderr == "error: \(b.path): key 'layers.3.weight' has shape [8, 16], the network expects [16, 16]\n")
    }

    @Test func badArchitectureFlagIsAConfigError() throws {
        let dir = CLI.temporaryDirectory("lmc-arch")
        let a = dir.appendingPathComponent("A.safetensors")
        try saveMLP(widths: [16], seed: 1, to: a)
        let r = try CLI.run(["lmc", a.path, a.path, "--arch", "mlp", "--norm", "groupnorm", "--data", "gaussian-clusters"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: command-line options") && r.stderr.contains("groupnorm"), "\(r.stderr)")
    }

    /// `--arch` also takes the one-line spec `diagnose` takes; a network with itself has no barrier.
    @Test func architectureSpecAsForDiagnose() throws {
        let dir = CLI.temporaryDirectory("lmc-spec")
        let a = dir.appendingPathComponent("A.safetensors")
        try saveMLP(widths: [16, 8], seed: 1, to: a)
        let r = try CLI.run(["lmc", a.path, a.path, "--arch", "mlp[16,8] relu", "--data", "gaussian-clusters",
                             "--data-count", "50", "--points", "3", "--out", dir.appendingPathComponent("out").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("mlp[16,8] relu norm=none on gaussian-clusters"), "\(r.stdout)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out/lmc.json"))) as! [String: Any]
        let curves = (json["report"] as! [String: Any])["curves"] as! [[String: Any]]
        #expect(!curves.isEmpty)
    }
}
