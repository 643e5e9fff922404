import CZlib
import Foundation

/// Reads a file, transparently inflating it when it starts with the gzip magic bytes
/// (1f 8b). Errors name the file: missing, unreadable, a corrupt/truncated gzip stream, or
/// one that inflates beyond the size its own header promises (`expectedSize`, asked of the
/// inflated prefix until it answers; the format checks that size against its memory budget)
/// or, for a format without such a header, beyond `maximumSize` (a decompression bomb).
/// `gzip` compresses, for the files results commit (`metrics.jsonl.gz`, `results.csv.gz`).
public enum CompressedFile {
    /// The largest inflated size accepted from a format whose header promises none (CIFAR):
    /// 1 GiB, far above any such file (a CIFAR-100 split is 150 MB).
    static let maximumSize = 1 << 30

    /// The inflated size a format's header promises, from the inflated bytes so far: nil while
    /// they are too few to tell; throws for a bad or too large header.
    public typealias ExpectedSize = (_ prefix: [UInt8]) throws -> Int?

    /// The bytes of the file at `path`, inflated if it is gzip.
    public static func read(_ path: String, expectedSize: ExpectedSize? = nil) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw DataError(path, "no such file") }
        guard !isDirectory.boolValue else { throw DataError(path, "is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw DataError(path, "cannot read file") }
        return try inflateIfGzip([UInt8](data), path: path, expectedSize: expectedSize)
    }

    /// `bytes` inflated if they start with the gzip magic, else unchanged.
    static func inflateIfGzip(_ bytes: [UInt8], path: String, maximumSize: Int = maximumSize,
                              expectedSize: ExpectedSize? = nil) throws -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b else { return bytes }
        return try inflate(bytes, path: path, maximumSize: maximumSize, expectedSize: expectedSize)
    }

    private static func inflate(_ input: [UInt8], path: String, maximumSize: Int, expectedSize: ExpectedSize?) throws -> [UInt8] {
        var stream = z_stream()
        // 16 + 15 window bits: expect a gzip wrapper.
        guard inflateInit2_(&stream, 16 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(path, "zlib initialisation failed")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        var limit = maximumSize, promised: Int?
        enum Ending { case end, zlib(Int32), beyondLimit }
        let ending: Ending = try input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let code: Int32 = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if output.count + produced > limit { return .beyondLimit }
                output.append(contentsOf: chunk[0..<produced])
                if promised == nil, let expectedSize, let size = try expectedSize(output) {
                    promised = size
                    limit = size
                    if output.count > size { return .beyondLimit }
                }
                if code == Z_STREAM_END { return .end }
                if code != Z_OK { return .zlib(code) }
                if stream.avail_in == 0 && stream.avail_out != 0 { return .zlib(Z_BUF_ERROR) }
            }
        }
        switch ending {
        case .end: return output
        case .beyondLimit:
            if let promised { throw DataError(path, "gzip stream inflates beyond the \(promised) bytes its header promises") }
            throw DataError(path, "gzip stream inflates beyond \(maximumSize) bytes")
        case .zlib(Z_BUF_ERROR): throw DataError(path, "truncated gzip stream")
        case .zlib(let status): throw DataError(path, "corrupt gzip stream (zlib error \(status))")
        }
    }
}
