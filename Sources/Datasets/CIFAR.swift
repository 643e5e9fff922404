import Foundation
import Tensors

/// CIFAR-10 and CIFAR-100 (Krizhevsky 2009) from their binary distributions.
///
/// A file is a sequence of fixed-size records: the label byte(s), then 3072 pixel bytes — the
/// 1024 red values of the 32×32 image row by row, then the green, then the blue — which is
/// already the channel-first [3, 32, 32] layout. Pixels are scaled to [0, 1] as `byte / 255`.
///
/// - CIFAR-10, folder `cifar-10-batches-bin`: records of 1 label byte (0…9) + 3072 = 3073
///   bytes; training files `data_batch_1.bin` … `data_batch_5.bin`, test file `test_batch.bin`.
/// - CIFAR-100, folder `cifar-100-binary`: records of 2 label bytes, coarse (0…19) then fine
///   (0…99), + 3072 = 3074 bytes; files `train.bin` and `test.bin`.
///
/// Files may also be gzip-compressed under the same names.
///
/// ```swift
/// let train = try CIFAR.loadCIFAR10(directory: "data/cifar-10-batches-bin", split: .train)
/// train.exampleShape   // [3, 32, 32]; train.count == 50_000, train.classCount == 10
/// ```
public enum CIFAR {
    /// Which half of the data set to load.
    public enum Split: String, Sendable { case train, test }
    /// CIFAR-100's two labellings: 20 superclasses (coarse) or 100 classes (fine).
    public enum Labels: Sendable { case coarse, fine }

    /// Shape of one image.
    public static let exampleShape: Shape = [3, 32, 32]
    /// Pixel bytes per image (3 · 32 · 32).
    public static let pixelCount = 3072

    /// Loads CIFAR-10's training (five batches, 50 000 images) or test (10 000) split.
    /// `directory` is `cifar-10-batches-bin` or the folder that contains it.
    public static func loadCIFAR10(directory: String, split: Split) throws -> LabelledDataset {
        let folder = try locate(directory, "cifar-10-batches-bin")
        let files = split == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
        return try load(folder, files, labelBytes: 1, labelOffset: 0, classCount: 10)
    }

    /// Loads CIFAR-100's training (50 000 images) or test (10 000) split with `labels`.
    /// `directory` is `cifar-100-binary` or the folder that contains it.
    public static func loadCIFAR100(directory: String, split: Split, labels: Labels = .fine) throws -> LabelledDataset {
        let folder = try locate(directory, "cifar-100-binary")
        return try load(folder, ["\(split.rawValue).bin"], labelBytes: 2,
                        labelOffset: labels == .coarse ? 0 : 1, classCount: labels == .coarse ? 20 : 100)
    }

    /// Reads `files` of records of `labelBytes` label bytes + 3072 pixels, taking the label at
    /// `labelOffset` within the record.
    static func load(_ folder: String, _ files: [String], labelBytes: Int, labelOffset: Int,
                     classCount: Int) throws -> LabelledDataset {
        var inputs: [Float] = []
        var labels: [Int] = []
        for name in files {
            let path = (folder as NSString).appendingPathComponent(name)
            try parse(try CompressedFile.read(path), path: path, labelBytes: labelBytes, labelOffset: labelOffset,
                      classCount: classCount, inputs: &inputs, labels: &labels)
        }
        return LabelledDataset(exampleShape: exampleShape, inputs: inputs, labels: labels, classCount: classCount)
    }

    /// Appends the records in `bytes` to `inputs` and `labels`; `path` names the file in errors.
    static func parse(_ bytes: [UInt8], path: String, labelBytes: Int, labelOffset: Int, classCount: Int,
                      inputs: inout [Float], labels: inout [Int]) throws {
        let recordSize = labelBytes + pixelCount
        guard !bytes.isEmpty else { throw DataError(path, "empty file") }
        guard bytes.count % recordSize == 0 else {
            throw DataError(path, "truncated: \(bytes.count) bytes is not a whole number of \(recordSize)-byte records")
        }
        let records = bytes.count / recordSize
        inputs.reserveCapacity(inputs.count + records * pixelCount)
        labels.reserveCapacity(labels.count + records)
        for r in 0..<records {
            let start = r * recordSize
            let label = Int(bytes[start + labelOffset])
            guard label < classCount else {
                throw DataError(path, "record \(r): label \(label) outside 0…\(classCount - 1)")
            }
            labels.append(label)
            for p in (start + labelBytes)..<(start + recordSize) { inputs.append(Float(bytes[p]) / 255) }
        }
    }

    /// `directory` itself if it holds the data, else its subfolder `name` if that exists.
    private static func locate(_ directory: String, _ name: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError.missingDirectory(directory, source: "download the binary version of CIFAR; the folder is \(name)")
        }
        let nested = (directory as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: nested, isDirectory: &isDirectory), isDirectory.boolValue { return nested }
        return directory
    }
}
