import Datasets
import Foundation
import Networks
import Tensors
import Testing
@testable import Experiments

/// `diagnose` and `lmc` name the layers of one `--arch` alike whether the data are vectors or
/// images, so a checkpoint one accepts the other accepts too.
@Suite struct CommandNamingTests {
    static let arch = "mlp[32] relu"

    /// A network of `arch` for `features` inputs and 10 classes, saved to DIR/model.safetensors.
    static func model(features: Int, in dir: URL) throws -> String {
        var rng = RandomGenerator(seed: 4)
        let net = try Architecture(parsing: arch).build(inputShape: Shape(features), outputs: 10, rng: &rng)
        #expect(net.parameters.map(\.name) == ["layers.1.weight", "layers.1.bias", "layers.3.weight", "layers.3.bias"])
        let url = dir.appendingPathComponent("model.safetensors")
        try net.saveSafetensors(to: url)
        return url.path
    }

    /// A probe of 30 examples of `shape` with labels; returns the two paths.
    static func probe(_ shape: [Int], in dir: URL, name: String) throws -> [String] {
        var rng = RandomGenerator(seed: 5)
        let count = shape.reduce(30, *)
        let x = dir.appendingPathComponent("\(name).npy").path, y = dir.appendingPathComponent("\(name)-labels.npy").path
        try NPYArray.write(shape: [30] + shape, values: (0..<count).map { _ in rng.normal() }, to: x)
        try NPYArray.write(shape: [30], values: (0..<30).map { Float($0 % 10) }, to: y)
        return ["--probe", x, "--probe-labels", y]
    }

    static func diagnose(_ model: String, _ probe: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try CLI.run(["diagnose", model, "--arch", arch, "--groups", "units,parameters"] + probe)
    }

    static func lmc(_ model: String, _ data: [String], out: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        try CLI.run(["lmc", model, model, "--arch", arch, "--points", "2", "--train-subset", "50", "--test-subset", "50",
                     "--out", out.path] + data)
    }

    /// 20 features: vectors ([20], Gaussian clusters) and images ([1, 4, 5]) of the same size.
    @Test func vectorAndImageDataShareTheNames() throws {
        let dir = CLI.temporaryDirectory("naming")
        let model = try Self.model(features: 20, in: dir)
        for probe in [try Self.probe([20], in: dir, name: "vectors"), try Self.probe([1, 4, 5], in: dir, name: "images")] {
            let r = try Self.diagnose(model, probe)
            #expect(r.status == 0, "\(probe[1]): \(r.stderr)")
        }
        let r = try Self.lmc(model, ["--data", "gaussian-clusters", "--data-count", "60"], out: dir.appendingPathComponent("lmc"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("layers.1 (others at A)") && r.stdout.contains("layers.3 (others at A)"), "\(r.stdout)")
    }

    /// The case of the issue: a Fashion-MNIST-sized model that `diagnose` accepts with a `.npy`
    /// probe of vectors is accepted by `lmc` on Fashion-MNIST's images.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist"),
                   "needs Fashion-MNIST in /usr/share/datasets/fashion-mnist (scripts/setup.sh)"))
    func vectorProbeAndFashionMNISTShareTheNames() throws {
        let dir = CLI.temporaryDirectory("naming-fmnist")
        let model = try Self.model(features: 784, in: dir)
        let d = try Self.diagnose(model, try Self.probe([784], in: dir, name: "vectors"))
        #expect(d.status == 0, "\(d.stderr)")
        let r = try Self.lmc(model, ["--data", "fashion-mnist"], out: dir.appendingPathComponent("lmc"))
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// A vector mlp saved under the names it had before the Flatten was always first.
    @Test func olderVectorCheckpointStillLoads() throws {
        let dir = CLI.temporaryDirectory("naming-old")
        var rng = RandomGenerator(seed: 4)
        let net = try Architecture(parsing: Self.arch).build(inputShape: Shape(20), outputs: 10, rng: &rng)
        let old = net.stateDict().map { e in
            StateEntry(name: e.name.replacingOccurrences(of: "layers.1.", with: "layers.0.")
                .replacingOccurrences(of: "layers.3.", with: "layers.2."), tensor: e.tensor)
        }
        let url = dir.appendingPathComponent("old.safetensors")
        try SafetensorsFile(stateDict: old).write(to: url)
        let r = try Self.diagnose(url.path, try Self.probe([20], in: dir, name: "vectors"))
        #expect(r.status == 0, "\(r.stderr)")
        let l = try Self.lmc(url.path, ["--data", "gaussian-clusters", "--data-count", "60"], out: dir.appendingPathComponent("lmc"))
        #expect(l.status == 0, "\(l.stderr)")
    }
}
