import Foundation
import Subprocesses

/// The Python used by the interop tests (TensorBoard reader, PyTorch parity): `$PLASTICITY_PYTHON`,
/// else the venv `scripts/setup-interop.sh` makes (`/tmp/plasticity-interop`), else `python3`.
enum InteropPython {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let executable: String = {
        if let p = ProcessInfo.processInfo.environment["PLASTICITY_PYTHON"], !p.isEmpty { return p }
        let venv = "/tmp/plasticity-interop/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }()

    /// The repository's `scripts/interop` folder.
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/interop")

    /// Whether every module in `modules` imports.
    static func has(_ modules: String...) -> Bool {
        (try? run(["-c", "import " + modules.joined(separator: ", ")])) != nil
    }

    /// Runs `scripts/interop/<script>` with `arguments` and returns its standard output.
    static func run(script: String, _ arguments: [String]) throws -> String {
        try run([scripts.appendingPathComponent(script).path] + arguments)
    }

    private static func run(_ arguments: [String]) throws -> String {
        let r = try Subprocess.run(executable, arguments, timeout: CLI.deadline)
        guard r.status == 0, !r.timedOut else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) "
                + "\(r.timedOut ? "ran past \(Int(CLI.deadline)) s and was killed" : "ended with \(r.termination)"): \(r.tail())")
        }
        return r.standardOutput
    }
}

/// A run small enough for tests (about a second): 2 tasks of random labels on generated
/// Gaussian clusters, a small MLP, logging every 5 steps and evaluating every 10.
enum TinyRun {
    static func config(seed: Int, protocolName: String = "random-labels", extra: String = "") -> String {
        """
        name = "tiny"
        seed = \(seed)
        \(extra)
        [data]
        dataset = "gaussian-clusters"
        count = 256
        classes = 4
        dimension = 8
        [stream]
        protocol = "\(protocolName)"
        tasks = 2
        steps_per_task = 30
        [model]
        arch = "mlp"
        widths = [16]
        [train]
        batch_size = 32
        log_every = 5
        eval_every = 10
        checkpoint_every = 0
        """
    }
}
