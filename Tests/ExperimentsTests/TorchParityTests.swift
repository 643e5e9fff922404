import Foundation
import Networks
import Tensors
import Testing

/// PlasticityLab networks against the same PyTorch modules (scripts/interop/torch_parity.py):
/// our checkpoint loads with `load_state_dict(strict=True)` and gives the same outputs, loss
/// and gradients; a state dict torch saves with `safetensors.torch.save_file` loads here and
/// gives the same evaluation outputs. Tolerance: max|a − b| ≤ 1e-4 · max|b| per tensor (for
/// gradients, max|b| is floored at 1 % of the network's largest gradient; see the script).
struct TorchParityTests {
    /// (case name, architecture, one example's shape, outputs) — mlp and cnn, with and without norms.
    static let cases: [(name: String, arch: Architecture, shape: [Int], outputs: Int)] = [
        ("mlp", try! Architecture(family: .mlp, widths: [32, 16]), [1, 6, 6], 5),
        ("mlp-layernorm-tanh", try! Architecture(family: .mlp, widths: [24], activation: "tanh", norm: .layernorm), [10], 3),
        ("mlp-batchnorm-leaky", try! Architecture(family: .mlp, widths: [12, 12], activation: "leaky_relu", norm: .batchnorm), [7], 4),
        ("cnn", try! Architecture(family: .cnn, widths: [4, 8, 16]), [1, 12, 12], 5),
        ("cnn-batchnorm-gelu", try! Architecture(family: .cnn, widths: [4, 6, 10], activation: "gelu", norm: .batchnorm), [3, 8, 8], 4),
        ("cnn-layernorm", try! Architecture(family: .cnn, widths: [3, 5, 8], norm: .layernorm), [2, 8, 8], 3),
    ]

    static func spec(_ c: (name: String, arch: Architecture, shape: [Int], outputs: Int)) -> String {
        [c.name, c.arch.family.rawValue, c.arch.widths.map(String.init).joined(separator: ","), c.arch.activation,
         c.arch.norm.rawValue, c.shape.map(String.init).joined(separator: ","), String(c.outputs)].joined(separator: ":")
    }

    static func maxRelativeError(_ ours: [Float], _ theirs: [Float]) -> Float {
        let scale = theirs.map(abs).max() ?? 0
        return zip(ours, theirs).map { abs($0 - $1) }.max()! / Swift.max(scale, 1e-30)
    }

    @Test(.enabled(if: InteropPython.has("torch", "safetensors"), "needs python with torch and safetensors: run scripts/torch-parity.sh or set PLASTICITY_PYTHON"))
    func outputsAndGradientsMatchPyTorchBothWays() throws {
        let dir = CLI.temporaryDirectory("torch-parity")
        var inputs: [String: Tensor] = [:], networks: [String: Network] = [:]
        for (i, c) in Self.cases.enumerated() {
            var rng = RandomGenerator(seed: UInt64(10 + i))
            let net = try c.arch.build(inputShape: Shape(c.shape), outputs: c.outputs, rng: &rng)
            let batch = 8
            let x = Tensor(shape: Shape([batch] + c.shape))
            rng.fillNormal(UnsafeMutableBufferPointer(start: x.data, count: x.count))
            let labels = (0..<batch).map { _ in rng.below(c.outputs) }
            try net.saveSafetensors(to: dir.appendingPathComponent("\(c.name).model.safetensors"), metadata: ["format": "pt"])
            net.zeroGradients()
            let output = net.forward(x, mode: .training)
            let ce = CrossEntropyLoss()
            let loss = ce(output, labels)
            _ = net.backward(ce.gradient)
            var entries = [StateEntry(name: "input", tensor: x), StateEntry(name: "output", tensor: output.copy()),
                           StateEntry(name: "loss", tensor: Tensor(shape: Shape(1), values: [loss])),
                           StateEntry(name: "labels", tensor: Tensor(shape: Shape(batch), values: labels.map(Float.init)), storedType: .int64)]
            for (name, p) in net.parameters {
                entries.append(StateEntry(name: "grad.\(name)", tensor: Tensor(shape: p.shape, values: Array(p.gradientBuffer))))
            }
            try SafetensorsFile(stateDict: entries).write(to: dir.appendingPathComponent("\(c.name).io.safetensors"))
            inputs[c.name] = x
            networks[c.name] = net
        }

        let report = try InteropPython.run(script: "torch_parity.py", [dir.path] + Self.cases.map(Self.spec))
        let lines = report.split(separator: "\n").filter { $0.hasPrefix("case ") }
        #expect(lines.count == Self.cases.count, "\(report)")
        for line in lines {
            let error = Float(line.split(separator: " ")[3])!
            #expect(error <= 1e-4, "\(line)")
        }

        for (i, c) in Self.cases.enumerated() {
            var rng = RandomGenerator(seed: UInt64(99 + i))
            let net = try c.arch.build(inputShape: Shape(c.shape), outputs: c.outputs, rng: &rng)
            try net.loadSafetensors(from: dir.appendingPathComponent("\(c.name).torch.safetensors"), strict: true)
            let ours = net.forward(inputs[c.name]!, mode: .evaluation).values
            let theirs = try SafetensorsFile.read(contentsOf: dir.appendingPathComponent("\(c.name).torch-output.safetensors")).floats("output")
            #expect(ours.count == theirs.count)
            #expect(Self.maxRelativeError(ours, theirs) <= 1e-4, "\(c.name): torch state dict gives different outputs here")
            let before = try #require(networks[c.name]).forward(inputs[c.name]!, mode: .evaluation).values
            #expect(Self.maxRelativeError(before, theirs) > 1e-2, "\(c.name): the loaded weights must differ from ours")
        }
    }
}
