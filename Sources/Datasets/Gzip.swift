import CZlib
import Foundation

/// Reads a file, transparently inflating it when it starts with the gzip magic bytes
/// (1f 8b). Errors name the file: missing, unreadable, a corrupt/truncated gzip stream, or
/// one that inflates beyond `maximumSize` (a decompression bomb).
enum CompressedFile {
    /// The largest inflated size accepted: 4 GiB, far above any data set read here
    /// (Fashion-MNIST's training images are 47 MB, a CIFAR batch 30 MB).
    static let maximumSize = 1 << 32

    static func read(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError(path, "no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw DataError(path, "cannot read file") }
        return try inflateIfGzip([UInt8](data), path: path)
    }

    /// `bytes` inflated if they start with the gzip magic, else unchanged.
    static func inflateIfGzip(_ bytes: [UInt8], path: String, maximumSize: Int = maximumSize) throws -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b else { return bytes }
        return try inflate(bytes, path: path, maximumSize: maximumSize)
    }

    private static func inflate(_ input: [UInt8], path: String, maximumSize: Int) throws -> [UInt8] {
        var stream = z_stream()
        // 16 + 15 window bits: expect a gzip wrapper.
        guard inflateInit2_(&stream, 16 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(path, "zlib initialisation failed")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(Swift.min(input.count * 4, maximumSize))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var input = input
        let tooLarge = Int32.min  // not a zlib code
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let code: Int32 = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if output.count + produced > maximumSize { return tooLarge }
                output.append(contentsOf: chunk[0..<produced])
                if code == Z_STREAM_END { return code }
                if code != Z_OK { return code }
                if stream.avail_in == 0 && stream.avail_out != 0 { return Z_BUF_ERROR }
            }
        }
        switch status {
        case Z_STREAM_END: return output
        case tooLarge: throw DataError(path, "gzip stream inflates beyond \(maximumSize) bytes")
        case Z_BUF_ERROR: throw DataError(path, "truncated gzip stream")
        default: throw DataError(path, "corrupt gzip stream (zlib error \(status))")
        }
    }
}
