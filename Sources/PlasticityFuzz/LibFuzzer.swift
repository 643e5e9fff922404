#if FUZZING
import CFuzzer
import Foundation

/// The target libFuzzer calls back (set once, before the driver starts).
nonisolated(unsafe) private var current = FuzzTarget.safetensors

/// libFuzzer's per-input entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    current.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// Runs libFuzzer's driver on `target` with `arguments` (flags and corpus directories).
func runLibFuzzer(_ target: FuzzTarget, arguments: [String]) -> CInt {
    current = target
    var argc = CInt(arguments.count + 1)
    var pointers = ([CommandLine.arguments[0]] + arguments).map { strdup($0) } + [nil]
    return pointers.withUnsafeMutableBufferPointer { buffer in
        var argv = buffer.baseAddress
        return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
    }
}
#endif
