import Foundation
import Testing
@testable import Datasets

/// CIFAR binary files written here, read back byte for byte, and malformed ones.
@Suite struct CIFARTests {
    /// Pixel p of record r: a pattern that covers every byte value.
    func pixel(_ r: Int, _ p: Int) -> UInt8 { UInt8((r * 7 + p * 13) % 256) }

    /// Records with the given label bytes, numbered from `first`.
    func records(_ labels: [[UInt8]], first: Int = 0) -> [UInt8] {
        labels.enumerated().flatMap { i, label in label + (0..<3072).map { pixel(first + i, $0) } }
    }

    func write(_ bytes: [UInt8], _ directory: String, _ name: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(name)))
    }

    /// A `cifar-10-batches-bin` folder: batch b holds records 2b, 2b+1 with labels (2b) mod 10
    /// and (2b+1) mod 10; the test batch holds three records labelled 9, 0, 5.
    func cifar10() throws -> (parent: String, folder: String) {
        let parent = try temporaryDirectory("cifar10")
        let folder = parent + "/cifar-10-batches-bin"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        for b in 1...5 {
            let r = 2 * (b - 1)
            try write(records([[UInt8(r % 10)], [UInt8((r + 1) % 10)]], first: r), folder, "data_batch_\(b).bin")
        }
        try write(records([[9], [0], [5]]), folder, "test_batch.bin")
        return (parent, folder)
    }

    @Test func readsCIFAR10ExactlyFromEitherFolder() throws {
        let (parent, folder) = try cifar10()
        let train = try CIFAR.loadCIFAR10(directory: parent, split: .train)
        #expect(train.count == 10 && train.exampleShape == [3, 32, 32] && train.classCount == 10)
        #expect(train.labels == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        let expected = (0..<10).flatMap { r in (0..<3072).map { Float(pixel(r, $0)) / 255 } }
        #expect(train.inputs == expected)
        #expect(train.inputs.min() == 0 && train.inputs.max() == 1)
        let test = try CIFAR.loadCIFAR10(directory: folder, split: .test)
        #expect(test.labels == [9, 0, 5])
        #expect(test.inputs[3072 + 5] == Float(pixel(1, 5)) / 255)
    }

    @Test func readsCIFAR100FineAndCoarseLabels() throws {
        let parent = try temporaryDirectory("cifar100")
        let folder = parent + "/cifar-100-binary"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try write(records([[19, 99], [0, 42], [7, 3]]), folder, "train.bin")
        let fine = try CIFAR.loadCIFAR100(directory: parent, split: .train)
        #expect(fine.labels == [99, 42, 3] && fine.classCount == 100 && fine.exampleShape == [3, 32, 32])
        #expect(fine.inputs == (0..<3).flatMap { r in (0..<3072).map { Float(pixel(r, $0)) / 255 } })
        let coarse = try CIFAR.loadCIFAR100(directory: folder, split: .train, labels: .coarse)
        #expect(coarse.labels == [19, 0, 7] && coarse.classCount == 20)
        #expect(coarse.inputs == fine.inputs)
    }

    @Test func missingDirectoryAndFile() throws {
        #expect(throws: DataError("/nonexistent-cifar", "data directory does not exist (download the binary version of CIFAR; the folder is cifar-10-batches-bin)", isMissingDirectory: true)) {
            try CIFAR.loadCIFAR10(directory: "/nonexistent-cifar", split: .train)
        }
        let (_, folder) = try cifar10()
        try FileManager.default.removeItem(atPath: folder + "/data_batch_3.bin")
        #expect(throws: DataError(folder + "/data_batch_3.bin", "no such file")) {
            try CIFAR.loadCIFAR10(directory: folder, split: .train)
        }
        #expect(throws: DataError(folder + "/test.bin", "no such file")) {
            try CIFAR.loadCIFAR100(directory: folder, split: .test)
        }
    }

    @Test func truncatedFile() throws {
        let (_, folder) = try cifar10()
        let bytes = records((0..<10).map { [UInt8($0)] }) + [0]
        #expect(bytes.count == 30731)
        try write(bytes, folder, "test_batch.bin")
        #expect(throws: DataError(folder + "/test_batch.bin", "truncated: 30731 bytes is not a whole number of 3073-byte records")) {
            try CIFAR.loadCIFAR10(directory: folder, split: .test)
        }
        try write([], folder, "test_batch.bin")
        #expect(throws: DataError(folder + "/test_batch.bin", "empty file")) {
            try CIFAR.loadCIFAR10(directory: folder, split: .test)
        }
    }

    @Test func labelsOutOfRange() throws {
        let (_, folder) = try cifar10()
        try write(records([[3], [10]]), folder, "test_batch.bin")
        #expect(throws: DataError(folder + "/test_batch.bin", "record 1: label 10 outside 0…9")) {
            try CIFAR.loadCIFAR10(directory: folder, split: .test)
        }
        #expect(throws: DataError("f", "record 0: label 100 outside 0…99")) {
            var inputs: [Float] = [], labels: [Int] = []
            try CIFAR.parse(records([[0, 100]]), path: "f", labelBytes: 2, labelOffset: 1, classCount: 100,
                            inputs: &inputs, labels: &labels)
        }
        #expect(throws: DataError("f", "truncated: 3073 bytes is not a whole number of 3074-byte records")) {
            var inputs: [Float] = [], labels: [Int] = []
            try CIFAR.parse(records([[0]]), path: "f", labelBytes: 2, labelOffset: 1, classCount: 100,
                            inputs: &inputs, labels: &labels)
        }
    }
}
