import Tensors

/// Labelled examples from a pair of `.npy` files: `inputs` of shape [N, d₁, …] (any dtype
/// `NPYArray` reads; values kept as stored, no scaling) and `labels` of shape [N] holding class
/// indices 0…C−1 (an integer dtype, or floats that are whole numbers). C is `classCount`, or
/// the largest label + 1 when it is nil. A NaN or infinite input is refused with its index.
///
/// ```python
/// np.save("x.npy", x.astype(np.float32)); np.save("y.npy", y)   # x: [N, 40], y: [N]
/// ```
/// ```swift
/// let data = try NPYDataset.load(inputs: "x.npy", labels: "y.npy")   // exampleShape [40]
/// ```
public enum NPYDataset {
    /// Loads and checks the pair; errors name the file at fault.
    public static func load(inputs inputsPath: String, labels labelsPath: String,
                            classCount: Int? = nil) throws -> LabelledDataset {
        let inputs = try NPYArray.read(inputsPath)
        let labels = try NPYArray.read(labelsPath)
        guard let n = inputs.shape.first else { throw DataError(inputsPath, "inputs must be [N, …], got a scalar") }
        guard inputs.shape.count <= Shape.maximumRank else {
            let most = Shape.maximumRank - 1
            throw DataError(inputsPath, "inputs of rank \(inputs.shape.count): examples may have at most \(most) dimensions")
        }
        guard !inputs.shape.contains(0) else { throw DataError(inputsPath, "inputs of shape \(inputs.shape) hold no values") }
        try inputs.requireFinite(path: inputsPath)
        guard labels.shape == [n] else {
            throw DataError(labelsPath, "labels of shape \(labels.shape) do not match \(n) inputs (expected [\(n)])")
        }
        var classes: [Int] = []
        classes.reserveCapacity(n)
        for (i, v) in labels.values.enumerated() {
            guard v >= 0, v < 0x1p24, v == v.rounded() else {
                throw DataError(labelsPath, "label \(v) at index \(i) is not a class index")
            }
            classes.append(Int(v))
        }
        let count = classCount ?? ((classes.max() ?? -1) + 1)
        if let i = classes.firstIndex(where: { $0 >= count }) {
            throw DataError(labelsPath, "label \(classes[i]) at index \(i) outside 0…\(count - 1)")
        }
        return LabelledDataset(exampleShape: Shape(Array(inputs.shape.dropFirst())), inputs: inputs.values,
                               labels: classes, classCount: count)
    }
}
