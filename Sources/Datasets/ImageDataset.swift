import Foundation
import Tensors

/// Labelled examples held in memory: inputs as Float32 rows of `exampleShape`, labels as
/// class indices. Image pixels are scaled to [0, 1].
public struct LabelledDataset: Sendable {
    /// Shape of one example, e.g. [1, 28, 28].
    public let exampleShape: Shape
    /// All inputs, example after example.
    public var inputs: [Float]
    /// One class index per example.
    public var labels: [Int]
    /// Number of classes.
    public let classCount: Int

    public init(exampleShape: Shape, inputs: [Float], labels: [Int], classCount: Int) {
        precondition(inputs.count == labels.count * exampleShape.elementCount, "inputs do not match labels")
        self.exampleShape = exampleShape
        self.inputs = inputs
        self.labels = labels
        self.classCount = classCount
    }

    /// Number of examples.
    public var count: Int { labels.count }
    /// Floats per example.
    public var exampleSize: Int { exampleShape.elementCount }

    /// Copies the examples at `indices` into `inputs` ([B, exampleShape…], resized) and their
    /// labels into `labels`.
    public func fill(_ indices: ArraySlice<Int>, inputs batch: Tensor, labels batchLabels: inout [Int]) {
        let d = exampleSize
        batch.resize(to: Shape([indices.count] + exampleShape.dimensions))
        if batchLabels.count != indices.count { batchLabels = [Int](repeating: 0, count: indices.count) }
        inputs.withUnsafeBufferPointer { src in
            for (row, i) in indices.enumerated() {
                (batch.data + row * d).update(from: src.baseAddress! + i * d, count: d)
                batchLabels[row] = labels[i]
            }
        }
    }

    /// The first `n` examples (or all, if fewer).
    public func prefix(_ n: Int) -> LabelledDataset {
        let k = Swift.min(n, count)
        return LabelledDataset(exampleShape: exampleShape, inputs: Array(inputs[0..<(k * exampleSize)]),
                               labels: Array(labels[0..<k]), classCount: classCount)
    }
}

/// Fashion-MNIST (Xiao et al. 2017) and MNIST from IDX files.
public enum MNISTStyle {
    /// Where Debian's `dataset-fashion-mnist` package installs the files.
    public static let debianFashionMNIST = "/usr/share/datasets/fashion-mnist"

    /// Loads `train` or `t10k` images and labels from `directory`, accepting `.gz` or raw
    /// files whose headers fit `budget`.
    public static func load(directory: String, split: String, budget: MemoryBudget = .builtIn) throws -> LabelledDataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError.missingDirectory(directory, source: "Fashion-MNIST: install Debian's dataset-fashion-mnist")
        }
        let images = try IDXArray.read(try locate(directory, "\(split)-images-idx3-ubyte"), budget: budget)
        let labelsPath = try locate(directory, "\(split)-labels-idx1-ubyte")
        let labels = try IDXArray.read(labelsPath, budget: budget)
        guard images.dimensions.count == 3 else { throw DataError(directory, "\(split) images are not [N, H, W]") }
        guard !images.dimensions.contains(0) else {
            throw DataError(directory, "\(split) images of shape \(images.dimensions) hold no pixels")
        }
        guard labels.dimensions == [images.dimensions[0]] else {
            throw DataError(labelsPath, "\(labels.dimensions) labels for \(images.dimensions[0]) images")
        }
        if let bad = labels.bytes.first(where: { $0 > 9 }) { throw DataError(labelsPath, "label \(bad) outside 0…9") }
        let scale: Float = 1 / 255
        return LabelledDataset(exampleShape: Shape(1, images.dimensions[1], images.dimensions[2]),
                               inputs: images.bytes.map { Float($0) * scale },
                               labels: labels.bytes.map(Int.init), classCount: 10)
    }

    private static func locate(_ directory: String, _ stem: String) throws -> String {
        for candidate in [stem + ".gz", stem] {
            let path = (directory as NSString).appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw DataError((directory as NSString).appendingPathComponent(stem + ".gz"), "no such file")
    }
}
