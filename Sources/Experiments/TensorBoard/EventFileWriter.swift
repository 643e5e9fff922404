import Foundation
import Training

/// Writes a TensorBoard event file, `events.out.tfevents.<unix time>.<host>`, so that
/// `tensorboard --logdir RUNS` plots every metric of a run.
///
/// The file is a sequence of TFRecords — `uint64 length`, `uint32 masked_crc32c(length)`,
/// `length` bytes of data, `uint32 masked_crc32c(data)`, all little-endian — each holding one
/// serialized `tensorflow.Event` protobuf: `wall_time` (1, double), `step` (2, int64) and
/// either `file_version` (3, "brain.Event:2", the first event), `summary` (5), a `Summary`
/// whose repeated `value` (1) entries carry `tag` (1) and `simple_value` (2, float), or, after
/// a resume, `session_log` (7, a `SessionLog` with `status` (1) START = 1).
/// Every record is written with one `write`, so a killed run leaves at most one torn record,
/// which TensorBoard's reader stops at.
///
/// ```swift
/// let events = try EventFileWriter(directory: runURL)
/// try events.write(scalars: [("loss", 0.5)], step: 10)
/// ```
public final class EventFileWriter {
    /// The event file.
    public let url: URL
    private let handle: FileHandle

    /// Creates a new event file in `directory` (a suffix `.<pid>` avoids a name taken in the
    /// same second) and writes the `file_version` event. A session resuming after global step
    /// `resumedAt` also writes `session_log` (7) `{status: START}` at step `resumedAt + 1`, on
    /// which TensorBoard drops the earlier sessions' values from that step on (they were
    /// written after the checkpoint this session restarts from).
    public init(directory: URL, resumedAt: Int? = nil, now: Date = Date()) throws {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        let name = "events.out.tfevents.\(Int(now.timeIntervalSince1970)).\(host)"
        var candidate = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: candidate.path) {
            candidate = directory.appendingPathComponent(name + ".\(ProcessInfo.processInfo.processIdentifier)")
        }
        url = candidate
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw ConfigError(file: url.path, "cannot create the TensorBoard event file")
        }
        handle = try FileHandle(forWritingTo: url)
        var event = ProtobufEncoder()
        event.double(1, now.timeIntervalSince1970)
        event.int(2, 0)
        event.string(3, "brain.Event:2")
        try append(event.bytes)
        if let step = resumedAt {
            var start = ProtobufEncoder()
            start.int(1, 1)
            var restart = ProtobufEncoder()
            restart.double(1, now.timeIntervalSince1970)
            restart.int(2, Int64(step + 1))
            restart.bytes(7, start.bytes)
            try append(restart.bytes)
        }
    }

    deinit { try? handle.close() }

    /// Writes one event holding `scalars` at `step`.
    public func write(scalars: [(tag: String, value: Float)], step: Int, wallTime: Date = Date()) throws {
        guard !scalars.isEmpty else { return }
        var summary = ProtobufEncoder()
        for (tag, value) in scalars {
            var v = ProtobufEncoder()
            v.string(1, tag)
            v.float(2, value)
            summary.bytes(1, v.bytes)
        }
        var event = ProtobufEncoder()
        event.double(1, wallTime.timeIntervalSince1970)
        event.int(2, Int64(step))
        event.bytes(5, summary.bytes)
        try append(event.bytes)
    }

    /// Writes a metrics record's numbers as scalars at its `global_step` (see `scalars(of:)`).
    public func write(_ record: MetricsRecord) throws {
        guard let step = record["global_step"]?.number else { return }
        try write(scalars: Self.scalars(of: record), step: Int(step))
    }

    /// The TensorBoard scalars of a metrics record: every finite number except the header
    /// fields (`task`, `step`, `global_step`). A `step` record's metrics keep their names
    /// (`loss`, `lr`); the metrics of other events are prefixed by the event
    /// (`eval/test_accuracy`, `task_end/train_accuracy`), so each tag has one value per step.
    public static func scalars(of record: MetricsRecord) -> [(tag: String, value: Float)] {
        let event: String
        if case .string(let e)? = record["event"] { event = e } else { event = "step" }
        return record.fields.compactMap { field in
            guard !headerFields.contains(field.name), let v = field.value.number else { return nil }
            return (tag(event: event, name: field.name), Float(v))
        }
    }

    /// The fields of a record that are not scalars of their own.
    public static let headerFields: Set<String> = ["event", "task", "step", "global_step"]

    /// The tag of the metric `name` of an `event` record: `name` for `step`, else `event/name`.
    public static func tag(event: String, name: String) -> String { event == "step" ? name : event + "/" + name }

    /// Frames `data` as one TFRecord and appends it.
    private func append(_ data: [UInt8]) throws {
        var record: [UInt8] = []
        record.reserveCapacity(data.count + 16)
        let length = withUnsafeBytes(of: UInt64(data.count).littleEndian, Array.init)
        record += length
        withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { record += $0 }
        record += data
        withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { record += $0 }
        try handle.write(contentsOf: Data(record))
    }
}
