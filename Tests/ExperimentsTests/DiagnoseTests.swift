import Datasets
import Foundation
import Networks
import Tensors
import Testing
@testable import Experiments

/// `plasticity diagnose` and `CheckpointDiagnosis`: loading any state dict, the probe batch,
/// values against independent computations, and clear errors.
@Suite struct DiagnoseTests {
    /// An mlp[16] with 4 inputs and 3 outputs whose hidden units 2, 5 and 11 are dead (bias −100),
    /// saved with an extra optimiser entry and the format tag as a run checkpoint has; plus a
    /// probe of 40 examples.
    func fixture() throws -> (dir: URL, model: String, inputs: String, labels: String, network: Network) {
        let dir = CLI.temporaryDirectory("diagnose")
        var rng = RandomGenerator(seed: 3)
        let net = try Architecture(parsing: "mlp[16]").build(inputShape: Shape(4), outputs: 3, rng: &rng)
        for u in [2, 5, 11] { net.parameter(named: "layers.1.bias")!.value[u] = -100 }
        let extra = StateEntry(name: "optimizer.m", tensor: Tensor(shape: Shape(2), values: [1, 2]))
        let model = dir.appendingPathComponent("model.safetensors")
        try SafetensorsFile(stateDict: net.stateDict() + [extra], metadata: ["format": Checkpoint.format]).write(to: model)
        var x = [Float](repeating: 0, count: 40 * 4)
        for i in x.indices { x[i] = rng.normal() }
        let inputs = dir.appendingPathComponent("x.npy").path, labels = dir.appendingPathComponent("y.npy").path
        try NPYArray.write(shape: [40, 4], values: x, to: inputs)
        try NPYArray.write(shape: [40], values: (0..<40).map { Float($0 % 3) }, to: labels)
        return (dir, model.path, inputs, labels, net)
    }

    @Test func valuesMatchIndependentComputations() throws {
        let f = try fixture()
        let diagnosis = try CheckpointDiagnosis(checkpoint: f.model, architecture: try Architecture(parsing: "mlp[16]"),
                                                probe: .npy(inputs: f.inputs, labels: f.labels), probeSize: 32)
        #expect(diagnosis.probe.exampleCount == 32)
        let results = try diagnosis.run(groups: ["units", "parameters", "features"])
        #expect(results.map(\.name) == ["units", "parameters", "features"] && results.allSatisfy { $0.skipped == nil })
        let units = results[0].values, parameters = results[1].values
        #expect(units["dead"] == 3.0 / 16)
        let norm = f.network.parameterVector().reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(parameters["param_norm"]! - norm) < 1e-4 * norm)
        #expect(parameters["dist_from_init"] == nil)
    }

    @Test func withoutLabelsTheLossGroupsAreSkipped() throws {
        let f = try fixture()
        let diagnosis = try CheckpointDiagnosis(checkpoint: f.model, architecture: try Architecture(parsing: "mlp[16]"),
                                                probe: .npy(inputs: f.inputs, labels: nil))
        let results = try diagnosis.run(groups: ["units", "features", "hessian"])
        #expect(results[0].skipped == "needs probe labels (--probe-labels)" && results[2].skipped == results[0].skipped)
        #expect(results[1].skipped == nil && results[1].values["srank.delta0.01"] != nil)
    }

    @Test func anInitialCheckpointGivesDistances() throws {
        let f = try fixture()
        let diagnosis = try CheckpointDiagnosis(checkpoint: f.model, architecture: try Architecture(parsing: "mlp[16]"),
                                                probe: .npy(inputs: f.inputs, labels: f.labels), initial: f.model)
        #expect(try diagnosis.run(groups: ["parameters"])[0].values["dist_from_init"] == 0)
    }

    @Test func aWrongArchitectureNamesTheFile() throws {
        let f = try fixture()
        #expect {
            try CheckpointDiagnosis(checkpoint: f.model, architecture: try Architecture(parsing: "mlp[32]"),
                                    probe: .npy(inputs: f.inputs, labels: nil))
        } throws: { "\($0)".hasPrefix("\(f.model): does not fit the architecture:") }
    }

    @Test func commandPrintsJSONAndOneLineErrors() throws {
        let f = try fixture()
        let r = try CLI.run(["diagnose", f.model, "--arch", "mlp[16]", "--probe", f.inputs, "--probe-labels", f.labels,
                             "--groups", "units,parameters", "--json"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let metrics = object["metrics"] as! [String: Any]
        #expect(metrics["dead"] as? Double == 3.0 / 16)
        #expect(metrics["dist_from_init"] == nil && metrics["saturated"] is NSNull)
        #expect(Set((object["seconds"] as! [String: Any]).keys) == ["units", "parameters"])
        let missing = try CLI.run(["diagnose", "/nonexistent/m.safetensors", "--arch", "mlp", "--probe", f.inputs])
        #expect(missing.status != 0 && missing.stderr == "error: /nonexistent/m.safetensors: no such file\n")
        let badArch = try CLI.run(["diagnose", f.model, "--arch", "mlp[16] norm=group", "--probe", f.inputs])
        #expect(badArch.status != 0 && badArch.stderr == "error: norm: unknown 'group' (valid: none, layernorm, batchnorm)\n")
    }

    @Test func densityWritesAChartAndNeedsLabels() throws {
        let f = try fixture()
        let out = f.dir.appendingPathComponent("density.svg").path
        let r = try CLI.run(["diagnose", f.model, "--arch", "mlp[16]", "--probe", f.inputs, "--probe-labels", f.labels,
                             "--groups", "units", "--density", out])
        #expect(r.status == 0 && r.stdout.hasSuffix("density: \(out)\n"), "stderr: \(r.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("Hessian eigenvalue λ") && svg.contains("log₁₀ density"))
        let unlabelled = try CLI.run(["diagnose", f.model, "--arch", "mlp[16]", "--probe", f.inputs, "--groups", "units", "--density", out])
        #expect(unlabelled.status != 0 && unlabelled.stderr == "error: --density needs probe labels (--probe-labels, or --data)\n")
    }
}
