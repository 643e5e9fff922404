import Datasets
import Diagnostics
import Networks
import Streams
import Tensors
import Training

extension DiagnosticsConfig {
    /// Group names a config may list.
    public static let groupNames = DiagnosticGroup.standardNames

    /// The scheduled diagnostics hook for a run, or nil when no group is listed.
    func makeHook(stream: any TaskStream, loss: LossKind, makeNetwork: @escaping () throws -> Network) throws -> DiagnosticsHook? {
        guard !groups.isEmpty else { return nil }
        let probe: ProbeBatch
        if !probeFile.isEmpty {
            let array = try NPYArray.read(probeFile)
            try array.requireFinite(path: probeFile, what: "diagnostics.probe_file inputs")
            probe = ProbeBatch(inputs: Tensor(shape: Shape(array.shape), values: array.values), loss: loss)
        } else {
            let data = stream.task(0).train
            let n = Swift.min(probeSize, data.count)
            let inputs = Tensor(shape: Shape(0)), values = Tensor(shape: Shape(0))
            var labels: [Int] = []
            data.fill(Array(0..<n)[...], inputs: inputs, labels: &labels, values: values)
            probe = ProbeBatch(inputs: inputs, targets: data.labels != nil ? .labels(labels) : .values(values), loss: loss)
        }
        var settings = ProbeTaskSettings()
        settings.target = ProbeTaskSettings.Target(rawValue: probeTarget) ?? settings.target
        settings.steps = probeSteps
        let built = try groups.map {
            try DiagnosticGroup.named($0, makeNetwork: makeNetwork, probeSettings: settings, traceSamples: traceSamples)
        }
        return DiagnosticsHook(probe: probe, groups: built, every: every, atTaskEnds: atTaskEnds)
    }
}
