import Networks
import Tensors

/// Everything a diagnostic group reads, measured once per measurement: one evaluation-mode
/// forward of the probe batch (hidden-layer z and h, penultimate features), optionally the
/// gradient of the mean probe loss, the reference snapshots (initialisation, task start) and
/// the units reset since the last measurement.
///
/// Creating a context runs the network forward (and backward when a gradient is asked for)
/// but leaves the network as it found it: parameters, buffers (evaluation mode does not touch
/// BatchNorm running statistics) and the gradient buffer are unchanged; only layer caches
/// (`lastInput`/`lastOutput`) now hold the probe batch.
///
/// ```swift
/// let context = DiagnosticContext(network: net, probe: probe)
/// let values = try unitMetrics(context)
/// ```
public struct DiagnosticContext {
    public let network: Network
    public let probe: ProbeBatch
    /// Hidden layers in forward order (`network.hiddenLayers`).
    public let layers: [HiddenLayerActivity]
    /// Penultimate features Φ [N, d]: the input of the output layer (the last Linear/Conv2d
    /// in network order), flattened per example, not centred. For mlp and cnn this is the
    /// last hidden layer's h; for resnet the globally pooled features.
    public let features: Tensor
    /// The network's output on the probe batch.
    public let outputs: Tensor
    /// dL/dθ of the mean probe loss in network order, when asked for and targets exist.
    public let gradient: [Float]?
    public let references: DiagnosticReferences
    /// Units reset since the last measurement, by hidden-layer name.
    public let resetUnits: [String: [Int]]
    /// Whether this measurement is at the end of a task.
    public let isTaskEnd: Bool

    public init(network: Network, probe: ProbeBatch, references: DiagnosticReferences = DiagnosticReferences(),
                resetUnits: [String: [Int]] = [:], isTaskEnd: Bool = false, computeGradient: Bool = true) {
        self.network = network
        self.probe = probe
        self.references = references
        self.resetUnits = resetUnits
        self.isTaskEnd = isTaskEnd
        let output = network.forward(probe.inputs, mode: .evaluation)
        outputs = output.copy()
        layers = network.hiddenLayers.map(HiddenLayerActivity.init)
        guard let head = network.namedLayers.last(where: { $0.layer is any UnitLayer })?.layer,
              let phi = head.lastInput else {
            preconditionFailure("a network needs a Linear or Conv2d output layer for diagnostics")
        }
        let n = probe.exampleCount
        features = Tensor(shape: Shape(n, phi.count / n))
        features.data.update(from: phi.data, count: phi.count)
        gradient = computeGradient && probe.targets != nil ? Self.probeGradient(network, probe, output: output) : nil
    }

    /// The gradient of the mean probe loss at the current forward, leaving the network's own
    /// gradient buffer as it was.
    private static func probeGradient(_ network: Network, _ probe: ProbeBatch, output: Tensor) -> [Float] {
        let saved = Array(network.storage.gradientBuffer)
        network.zeroGradients()
        let loss = TrainingLoss(probe.loss)
        _ = probe.evaluate(loss, output: output)
        network.backward(loss.gradient, inputGradient: false)
        let gradient = Array(network.storage.gradientBuffer)
        network.setGradientVector(saved)
        return gradient
    }
}

extension Network {
    /// Overwrites all gradients from a vector in network order.
    func setGradientVector(_ v: [Float]) {
        precondition(v.count == storage.count, "gradient vector of \(v.count) for \(storage.count) parameters")
        v.withUnsafeBufferPointer { storage.gradients.update(from: $0.baseAddress!, count: v.count) }
    }
}
