/// A minimal protocol-buffers wire-format encoder: enough to write TensorBoard's `Event` and
/// `Summary` messages without a protobuf library.
///
/// Each field is a key `(field_number << 3) | wire_type` as a varint, then the value:
/// wire type 0 = varint, 1 = 64-bit little-endian (double), 2 = length-delimited (string,
/// bytes, nested message: varint length then the bytes), 5 = 32-bit little-endian (float).
/// See https://protobuf.dev/programming-guides/encoding/.
struct ProtobufEncoder {
    private(set) var bytes: [UInt8] = []

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func key(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    /// An `int64`/`int32`/enum field (negative values take ten bytes, as protobuf specifies).
    mutating func int(_ field: Int, _ value: Int64) {
        key(field, 0)
        varint(UInt64(bitPattern: value))
    }

    /// A `double` field.
    mutating func double(_ field: Int, _ value: Double) {
        key(field, 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `float` field.
    mutating func float(_ field: Int, _ value: Float) {
        key(field, 5)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `bytes` or embedded-message field.
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `string` field (UTF-8).
    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }
}
