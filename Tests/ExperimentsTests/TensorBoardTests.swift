import Foundation
import Testing
import Training
@testable import Experiments

/// The TensorBoard event writer: CRC-32C, protobuf bytes, and a real run's event file read
/// back by the `tensorboard` package.
struct TensorBoardTests {
    /// Check values from RFC 3720 (iSCSI) appendix B.4 and the CRC catalogue.
    @Test func crc32cMatchesKnownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        // mask(0) is the additive constant alone; the others are what tensorboard's own
        // `masked_crc32c` returns (a TFRecord length field of 24 is 8 little-endian bytes).
        #expect(CRC32C.masked([UInt8]()) == 0xA282_EAD8)
        #expect(CRC32C.masked(Array("123456789".utf8)) == 0xC78A_B0E5)
        #expect(CRC32C.masked([24, 0, 0, 0, 0, 0, 0, 0]) == 0x224B_7FA3)
    }

    /// `Summary.Value{tag: "a", simple_value: 1}` and a two-byte varint, by hand from the spec.
    @Test func protobufBytesMatchTheWireFormat() {
        var v = ProtobufEncoder()
        v.string(1, "a")
        v.float(2, 1)
        #expect(v.bytes == [0x0A, 0x01, 0x61, 0x15, 0x00, 0x00, 0x80, 0x3F])
        var e = ProtobufEncoder()
        e.int(2, 300)
        e.double(1, 1)
        #expect(e.bytes == [0x10, 0xAC, 0x02, 0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    }

    @Test func recordsBecomeTaggedScalars() {
        let step = MetricsRecord([("event", .string("step")), ("task", .int(0)), ("step", .int(5)), ("global_step", .int(5)),
                                  ("loss", .double(0.25)), ("note", .string("x")), ("lr", .null)])
        #expect(EventFileWriter.scalars(of: step).map(\.tag) == ["loss"])
        let end = MetricsRecord([("event", .string("task_end")), ("global_step", .int(9)), ("train_accuracy", .double(0.5))])
        #expect(EventFileWriter.scalars(of: end).map(\.tag) == ["task_end/train_accuracy"])
        #expect(EventFileWriter.scalars(of: end).map(\.value) == [0.5])
    }

    /// Trains a tiny run — straight through, or stopped at global step 40 and resumed from its
    /// step-30 checkpoint — then checks that tensorboard's reader returns exactly the scalars of
    /// metrics.jsonl, once each: same tags, steps and Float32 values, version event first.
    @Test(.enabled(if: InteropPython.has("tensorboard"), "needs python with tensorboard: run scripts/setup-interop.sh or set PLASTICITY_PYTHON"),
          arguments: [nil, 40])
    func tensorboardReadsEveryScalar(stopAt: Int?) throws {
        let dir = RunDirectory(CLI.temporaryDirectory("tensorboard").appendingPathComponent("run").path)
        let config = try ExperimentConfig.parse(TinyRun.config(seed: 1), file: "tiny.toml")
        try ExperimentRun(config: config, directory: dir, resume: false).run(resume: false) { p in stopAt.map { p.globalStep >= $0 } ?? false }
        if stopAt != nil { try ExperimentRun.resuming(dir).run(resume: true) }
        let output = try InteropPython.run(script: "read_tfevents.py", [dir.url.path])
        let lines = output.split(separator: "\n")
        let files = lines.filter { $0.hasPrefix("file ") }
        #expect(files.count == (stopAt == nil ? 1 : 2))
        #expect(files.allSatisfy { $0.split(separator: " ")[3] == "brain.Event:2" })
        var read: [String: Float] = [:]
        let scalars = lines.filter { $0.hasPrefix("scalar ") }
        for line in scalars {
            let f = line.split(separator: " ")
            read["\(f[1])@\(f[2])"] = Float(String(f[3]))!
        }
        var expected: [String: Float] = [:]
        for line in try String(contentsOf: dir.metricsURL, encoding: .utf8).split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let event = object["event"] as! String, step = (object["global_step"] as! NSNumber).intValue
            for (key, value) in object where !["event", "task", "step", "global_step"].contains(key) {
                guard let number = value as? NSNumber else { continue }
                expected["\(event == "step" ? "" : event + "/")\(key)@\(step)"] = Float(number.doubleValue)
            }
        }
        #expect(expected.count > 20)
        #expect(scalars.count == expected.count, "a scalar is missing or repeated")
        #expect(read == expected)
    }
}
