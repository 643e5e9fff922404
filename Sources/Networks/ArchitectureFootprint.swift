import Foundation
import Tensors

/// The sizes of a network an architecture builds, counted in Double so that an absurd width
/// cannot overflow: its parameters and, per example, the floats of every layer's output (what a
/// forward pass keeps for the backward pass) and of convolution patch buffers (im2col).
public struct ArchitectureFootprint: Sendable, Equatable {
    /// Trainable parameters and buffers (BatchNorm running statistics and batch count).
    public var parameters: Double = 0
    /// Floats of all layer outputs for one example.
    public var activationsPerExample: Double = 0
    /// Floats of patch buffers for one example.
    public var workspacePerExample: Double = 0

    public init() {}

    /// Estimated bytes to train on batches of `batch`: four Float32 copies of the parameters
    /// (values, gradients, two optimiser moments) and, per example, every layer output twice
    /// (value and gradient) plus the patch buffers: 4·(4·P + B·(2·A + W)).
    public func trainingBytes(batch: Int) -> Double {
        4 * (4 * parameters + Double(batch) * (2 * activationsPerExample + workspacePerExample))
    }

    /// Estimated bytes to diagnose on `probe` examples: four Float32 networks (the network, a
    /// fresh one, an initial one, gradients) and per example two Float32 and four Double
    /// copies of every layer output plus the patch buffers; with `curvature`, the Double
    /// tangent engine's four parameter vectors and a Lanczos basis of up to 51:
    /// 16·P + B·(40·A + 4·W) [+ 8·55·P].
    public func diagnosisBytes(probe: Int, curvature: Bool) -> Double {
        16 * parameters + Double(probe) * (40 * activationsPerExample + 4 * workspacePerExample)
            + (curvature ? 8 * 55 * parameters : 0)
    }
}

extension MemoryBudget {
    /// Refuses, naming `input` (the flag or config that chose the network), an architecture
    /// whose estimate `bytes(footprint)` exceeds the limit; `usage` says what the estimate
    /// covers (e.g. "training, batch 128"). An architecture that does not fit the input is an
    /// `ArchitectureError` naming `input` too. Returns the footprint; nothing is allocated.
    @discardableResult
    public func check(_ architecture: Architecture, inputShape: Shape, outputs: Int, input: String, usage: String,
                      bytes: (ArchitectureFootprint) -> Double) throws -> ArchitectureFootprint {
        let footprint: ArchitectureFootprint
        do { footprint = try architecture.footprint(inputShape: inputShape, outputs: outputs) } catch let e as ArchitectureError {
            throw ArchitectureError("\(input): \(e.field)", e.message)
        }
        try check(bytes: bytes(footprint), for: input,
                  what: "\(architecture) on \(inputShape) → \(outputs) outputs: \(String(format: "%.3g", footprint.parameters)) parameters, \(usage)")
        return footprint
    }
}
