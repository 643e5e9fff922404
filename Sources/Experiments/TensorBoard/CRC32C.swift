/// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78), as used by TFRecord
/// framing, and TensorFlow's "masked" variant that TFRecord stores.
///
/// `crc32c("123456789") == 0xE3069283` (the standard check value); the mask is
/// `((crc >> 15) | (crc << 17)) &+ 0xA282EAD8` (TensorFlow `crc32c::Mask`).
public enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// The CRC-32C of `bytes`.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The masked CRC-32C of `bytes`, the value a TFRecord stores.
    public static func masked<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
