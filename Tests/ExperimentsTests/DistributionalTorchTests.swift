import Foundation
import Datasets
import Networks
import Streams
import Tensors
import Testing
import Training

/// Two-hot and HL-Gauss against a PyTorch float64 implementation written from the papers'
/// definitions (scripts/interop/distributional_reference.py): target distributions, the mean
/// cross-entropy and its gradient with respect to the logits, and the softmax-mean
/// predictions, for targets inside the support, on a bin edge, at both ends and beyond it on
/// both sides; then a target-offset batch with 10 target dimensions as the trainer sees it
/// (logits [N, 10·51], loss averaged over N·10 rows, accuracy = arg-max of the predicted
/// vector against the arg-max of the target vector).
struct DistributionalTorchTests {
    /// One loss setting and the targets it is checked on.
    struct Setting {
        let kind: DistributionalRegressionLoss.Kind
        let minimum: Float, maximum: Float, bins: Int
        let targets: [Float]

        var name: String {
            switch kind {
            case .twoHot: "two-hot"
            case .hlGauss: "hl-gauss"
            }
        }

        var sigma: Float {
            if case .hlGauss(let s) = kind { return s ?? 0 }
            return 0
        }
    }

    /// The study's support (51 bins on [−5, 45]) and a small one with an explicit σ.
    static let settings: [Setting] = {
        let edge = Float(-5 + 10 * 50.0 / 51)                           // HL-Gauss edge e₁₀
        // Inside, on an edge (HL-Gauss) and a centre (two-hot), both ends, just beyond them,
        // about 8.7σ beyond (where 1 ± erf underflows in Double) and far beyond.
        let study: [Float] = [0.3, 7.25, 16, 17, edge, 3, -5, 45, -6.2, 46.5, -11.5, 51.5, -20, 60, -1000, 1000]
        return [
            Setting(kind: .twoHot, minimum: -5, maximum: 45, bins: 51, targets: study),
            Setting(kind: .hlGauss(sigma: nil), minimum: -5, maximum: 45, bins: 51, targets: study),
            Setting(kind: .twoHot, minimum: -1, maximum: 1, bins: 5, targets: [0.2, -0.5, 1, -1, 1.7, -3]),
            Setting(kind: .hlGauss(sigma: 0.3), minimum: -1, maximum: 1, bins: 8, targets: [0.2, -0.5, 0.25, 1, -1, 1.3, -2.5, 40]),
        ]
    }()

    static func randomLogits(_ count: Int, seed: UInt64, scale: Float = 3) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return (0..<count).map { _ in scale * rng.normal() }
    }

    static func reference(_ cases: [[String: Any]]) throws -> [[String: Any]] {
        let file = CLI.temporaryDirectory("distributional-torch").appendingPathComponent("cases.json")
        try JSONSerialization.data(withJSONObject: cases).write(to: file)
        let out = try InteropPython.run(script: "distributional_reference.py", [file.path])
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
    }

    /// max |a − b| / max |b|.
    static func relativeError(_ ours: [Float], _ theirs: [Double]) -> Double {
        let scale = theirs.map(abs).max() ?? 0
        return zip(ours, theirs).map { abs(Double($0) - $1) }.max()! / Swift.max(scale, 1e-300)
    }

    @Test(.enabled(if: InteropPython.has("torch"), "needs python with torch: run scripts/setup-interop.sh or set PLASTICITY_PYTHON"))
    func singleTargetsMatchPyTorch() throws {
        var cases: [[String: Any]] = []
        var ours: [(q: [[Float]], loss: Float, gradient: [Float], predictions: [Float])] = []
        for (i, s) in Self.settings.enumerated() {
            let loss = DistributionalRegressionLoss(s.kind, minimum: s.minimum, maximum: s.maximum, bins: s.bins)
            let z = Self.randomLogits(s.targets.count * s.bins, seed: UInt64(40 + i))
            let value = loss(Tensor(shape: Shape(s.targets.count, s.bins), values: z), s.targets)
            ours.append((s.targets.map(loss.distribution), value, loss.gradient.values, loss.predictions))
            cases.append(["kind": s.name, "min": s.minimum, "max": s.maximum, "bins": s.bins, "sigma": s.sigma,
                          "targets": s.targets, "logits": z])
        }
        for (i, (s, theirs)) in zip(Self.settings, try Self.reference(cases)).enumerated() {
            let q = try #require(theirs["q"] as? [[Double]])
            for (n, y) in s.targets.enumerated() {
                let error = zip(ours[i].q[n], q[n]).map { abs(Double($0) - $1) }.max()!
                #expect(error < 1e-6, "\(s.name) [\(s.minimum), \(s.maximum)] y = \(y): q differs by \(error)")
            }
            let loss = try #require(theirs["loss"] as? Double)
            #expect(abs(Double(ours[i].loss) - loss) <= 1e-6 * abs(loss), "\(s.name): loss \(ours[i].loss) vs \(loss)")
            let gradient = Self.relativeError(ours[i].gradient, try #require(theirs["gradient"] as? [Double]))
            #expect(gradient <= 1e-6, "\(s.name): gradient error \(gradient)")
            let predictions = try #require(theirs["predictions"] as? [Double])
            for (a, b) in zip(ours[i].predictions, predictions) { #expect(abs(Double(a) - b) <= 1e-5 * Swift.max(1, abs(b))) }
        }
    }

    /// Task 3 of a target-offset stream (Δ = 4: targets e_y + 8) on 12 examples of 10
    /// classes, through a Linear(10, 510) whose logits put each dimension's mass near its
    /// target, plus noise.
    @Test(.enabled(if: InteropPython.has("torch"), "needs python with torch: run scripts/setup-interop.sh or set PLASTICITY_PYTHON"),
          arguments: [DistributionalRegressionLoss.Kind.twoHot, .hlGauss(sigma: nil)])
    func tenDimensionalBatchAsTrainedMatchesPyTorch(kind: DistributionalRegressionLoss.Kind) throws {
        let n = 12, classes = 10, bins = 51
        let labels = (0..<n).map { ($0 * 7) % classes }
        var inputs = [Float](repeating: 0, count: n * classes)
        for (i, y) in labels.enumerated() { inputs[i * classes + y] = 1 }
        var spec = StreamSpec(.targetOffset)
        spec.tasks = 3
        spec.shiftPerTask = 4
        spec.subset = 0
        let data = LabelledDataset(exampleShape: Shape(classes), inputs: inputs, labels: labels, classCount: classes)
        let stream = try spec.makeStream(train: data, test: nil)
        let task = stream.task(2)
        let loss = LossKind.distributional(kind, minimum: -5, maximum: 45, bins: bins)
        var rng = RandomGenerator(seed: 81)
        let fc = Linear(classes, classes * bins, rng: &rng)
        let shape = DistributionalRegressionLoss(kind, minimum: -5, maximum: 45, bins: bins)
        let noise = Self.randomLogits(fc.weight.count, seed: 82, scale: 2)
        for c in 0..<classes {
            for d in 0..<classes {
                let q = shape.distribution(for: 8 + (c == d ? 1 : 0))
                for i in 0..<bins { fc.weight.value[(d * bins + i) * classes + c] = log(max(q[i], 1e-4)) + noise[(d * bins + i) * classes + c] }
            }
        }
        for j in 0..<fc.bias!.count { fc.bias!.value[j] = 0 }
        let net = Network(Sequential(fc))
        let trainer = Trainer(network: net, optimizer: SGD(net.storage, learningRate: 0), stream: stream, loss: loss)
        let evaluation = trainer.evaluate(task.train)

        let x = Tensor(shape: Shape(0)), values = Tensor(shape: Shape(0))
        var batchLabels: [Int] = []
        task.train.fill(Array(0..<n)[...], inputs: x, labels: &batchLabels, values: values)
        #expect(values.shape == Shape(n, classes) && values[0, labels[0]] == 9 && values[0, (labels[0] + 1) % classes] == 8)
        let logits = net.forward(x, mode: .evaluation)
        #expect(logits.shape == Shape(n, classes * bins))
        let objective = TrainingLoss(loss)
        let value = objective(logits, labels: batchLabels, values: values)
        let name = kind == .twoHot ? "two-hot" : "hl-gauss"
        let theirs = try #require(try Self.reference([["kind": name, "min": -5, "max": 45, "bins": bins, "dims": classes,
                                                        "targets": values.values, "logits": logits.values]]).first)
        let reference = try #require(theirs["loss"] as? Double)
        #expect(abs(Double(value) - reference) <= 1e-6 * reference, "loss \(value) vs \(reference)")
        #expect(abs(evaluation.loss - reference) <= 1e-6 * reference, "evaluated loss \(evaluation.loss) vs \(reference)")
        let gradient = Self.relativeError(objective.gradient.values, try #require(theirs["gradient"] as? [Double]))
        #expect(objective.gradient.shape == logits.shape && gradient <= 1e-6, "gradient error \(gradient)")
        let predictions = try #require(theirs["predictions"] as? [Double])
        let ours = objective.predictions(of: logits)
        #expect(ours.count == n * classes && zip(ours, predictions).allSatisfy { abs(Double($0) - $1) <= 1e-5 * abs($1) })
        let accuracy = try #require(theirs["accuracy"] as? Double)
        #expect(evaluation.accuracy == accuracy && accuracy > 0 && accuracy < 1, "accuracy \(String(describing: evaluation.accuracy)) vs \(accuracy)")
    }
}
