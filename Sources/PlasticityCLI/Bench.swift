import ArgumentParser
import Benchmarks
import Foundation
import Tensors

/// `plasticity bench`: training-step throughput of the peer workloads W1–W5.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure training steps/s on the peer workloads W1–W5.",
        discussion: """
            Each workload runs 20 warm-up steps, then `--repeats` timed windows of `--seconds`;
            the median steps/s is reported with the min and max, in the same format as
            ../shared/bench/peer_torch.py so the outputs can be compared line by line.
            GFLOP/s counts the GEMM-shaped work (2 FLOPs per multiply-add, forward + backward).
            allocs_per_step counts heap allocations (malloc and friends, every thread) over
            100 steps after the warm-up. --gemm times every GEMM inside the step and compares
            each shape with cblas_sgemm called alone on it.
            Example: plasticity bench --threads 1 --only W1,W3 --json
            """)

    @Option(help: "OpenBLAS threads.") var threads = 1
    @Option(help: "Seconds per timed window.") var seconds = 1.0
    @Option(help: "Number of timed windows (the median is reported).") var repeats = 5
    @Option(help: "Comma-separated workload names, e.g. W1,W3 (default: all).") var only = ""
    @Flag(help: "Also print one JSON summary line.") var json = false
    @Flag(help: "Per GEMM shape: rate inside the step against cblas_sgemm alone.") var gemm = false

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256, not \(threads)") }
        guard seconds.isFinite, seconds >= 0.01, seconds <= 3_600 else {
            throw ValidationError("--seconds must be between 0.01 and 3600, not \(seconds)")
        }
        guard (1...1_000).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 1000, not \(repeats)") }
    }

    func run() throws {
        BLAS.setThreads(threads)
        let workloads = Workload.all(), known = workloads.map(\.name)
        let named = only.split(separator: ",").map(String.init), wanted = Set(named)
        if let unknown = named.first(where: { !known.contains($0) }) {
            throw ValidationError("--only: no workload '\(unknown)' (\(known.joined(separator: ", ")))")
        }
        var results: [String: [String: Double]] = [:]
        for workload in workloads where wanted.isEmpty || wanted.contains(workload.name) {
            let m = WorkloadBenchmark.measure(workload, seconds: seconds, repeats: repeats)
            results[m.name] = ["steps_per_s": m.stepsPerSecond, "min": m.minimum, "max": m.maximum, "gflops": m.gflops,
                               "allocs_per_step": m.allocationsPerStep]
            Console.line(String(format: "%@ steps_per_s=%.1f (min %.1f, max %.1f) threads=%d gflops=%.1f allocs_per_step=%.2f  # %@",
                                m.name, m.stepsPerSecond, m.minimum, m.maximum, threads, m.gflops, m.allocationsPerStep, m.summary))
            if gemm {
                let (shapes, efficiency) = WorkloadBenchmark.gemmEfficiency(workload)
                for g in shapes {
                    Console.line(String(format: "  gemm %@ calls/step=%.0f in_step=%.1f GFLOP/s alone=%.1f GFLOP/s ratio=%.2f",
                                        g.shape, g.callsPerStep, g.inStep, g.alone, g.inStep / g.alone))
                }
                Console.line(String(format: "  %@ gemm_efficiency=%.2f (time of the same GEMMs alone / time inside the step)",
                                    workload.name, efficiency))
            }
        }
        if json {
            let payload: [String: Any] = ["tool": "plasticitylab", "threads": threads, "blas_core": BLAS.coreName,
                                          "workloads": results]
            let data = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
            Console.line(String(decoding: data, as: UTF8.self))
        }
    }
}
