import Tensors

/// Regression examples held in memory: inputs as Float32 rows of `exampleShape`, targets as
/// rows of `targetWidth` floats, example after example.
public struct RegressionDataset: Sendable {
    /// Shape of one input, e.g. [20].
    public let exampleShape: Shape
    /// All inputs, example after example.
    public var inputs: [Float]
    /// All targets, `targetWidth` per example.
    public var targets: [Float]
    /// Floats per target.
    public let targetWidth: Int

    public init(exampleShape: Shape, inputs: [Float], targets: [Float], targetWidth: Int) {
        precondition(targetWidth > 0 && targets.count % targetWidth == 0, "targets are not rows of \(targetWidth)")
        precondition(inputs.count == targets.count / targetWidth * exampleShape.elementCount, "inputs do not match targets")
        self.exampleShape = exampleShape
        self.inputs = inputs
        self.targets = targets
        self.targetWidth = targetWidth
    }

    /// Number of examples.
    public var count: Int { targets.count / targetWidth }
    /// Floats per input.
    public var exampleSize: Int { exampleShape.elementCount }

    /// Copies the examples at `indices` into `inputs` ([B, exampleShape…], resized) and their
    /// targets into `targets` ([B, targetWidth], resized).
    public func fill(_ indices: ArraySlice<Int>, inputs batch: Tensor, targets batchTargets: Tensor) {
        let (d, w) = (exampleSize, targetWidth)
        batch.resize(to: Shape([indices.count] + exampleShape.dimensions))
        batchTargets.resize(to: Shape(indices.count, w))
        inputs.withUnsafeBufferPointer { x in
            targets.withUnsafeBufferPointer { y in
                for (row, i) in indices.enumerated() {
                    (batch.data + row * d).update(from: x.baseAddress! + i * d, count: d)
                    (batchTargets.data + row * w).update(from: y.baseAddress! + i * w, count: w)
                }
            }
        }
    }
}
