import Foundation

// `PlasticityFuzz TARGET [libFuzzer flags] [corpus dirs]`.
//
// Built with `-sanitize=fuzzer,address -DFUZZING` (see scripts/fuzz.sh) this hands the
// remaining arguments to libFuzzer, which mutates inputs for TARGET's reader. Built
// normally it replays files or directories of inputs through the reader once (a regression
// run over a corpus) and reports how many it read.

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: PlasticityFuzz TARGET [inputs…]; targets: \(FuzzTarget.names)\n".utf8))
    exit(2)
}

#if FUZZING
exit(runLibFuzzer(target, arguments: Array(arguments.dropFirst(2))))
#else
var count = 0
for path in arguments.dropFirst(2) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        FileHandle.standardError.write(Data("\(path): no such file\n".utf8))
        exit(1)
    }
    let files = isDirectory.boolValue
        ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
    for file in files {
        guard let data = FileManager.default.contents(atPath: file) else { continue }
        target.run([UInt8](data))
        count += 1
    }
}
print("\(target.rawValue): \(count) inputs replayed without a crash")
#endif
