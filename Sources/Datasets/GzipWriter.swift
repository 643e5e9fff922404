import CZlib

extension CompressedFile {
    /// `bytes` as one gzip member (zlib level 9; header time 0, so the same bytes always give
    /// the same file, which `gunzip`, Python's `gzip` and pandas read).
    public static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // 16 + 15 window bits: write a gzip wrapper; memory level 8 is zlib's default.
        guard deflateInit2_(&stream, 9, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            preconditionFailure("zlib deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))))
        var input = bytes
        let written: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                let code = deflate(&stream, Z_FINISH)
                precondition(code == Z_STREAM_END, "zlib deflate did not finish (\(code)) within deflateBound")
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<written])
    }
}
