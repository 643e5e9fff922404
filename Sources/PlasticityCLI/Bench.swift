import ArgumentParser
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
            Example: plasticity bench --threads 1 --only W1,W3 --json
            """)

    @Option(help: "OpenBLAS threads.") var threads = 1
    @Option(help: "Seconds per timed window.") var seconds = 1.0
    @Option(help: "Number of timed windows (the median is reported).") var repeats = 5
    @Option(help: "Comma-separated workload names, e.g. W1,W3 (default: all).") var only = ""
    @Flag(help: "Also print one JSON summary line.") var json = false

    func run() throws {
        BLAS.setThreads(threads)
        let wanted = Set(only.split(separator: ",").map(String.init))
        var results: [String: [String: Double]] = [:]
        for workload in Workload.all() where wanted.isEmpty || wanted.contains(workload.name) {
            for _ in 0..<20 { _ = workload.step() }
            var rates: [Double] = []
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                var steps = 0, elapsed = 0.0
                repeat {
                    _ = workload.step()
                    steps += 1
                    elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                } while elapsed < seconds
                rates.append(Double(steps) / elapsed)
            }
            rates.sort()
            let median = rates[rates.count / 2]
            let gflops = median * workload.flopsPerStep / 1e9
            results[workload.name] = ["steps_per_s": median, "min": rates.first!, "max": rates.last!, "gflops": gflops]
            Console.line(String(format: "%@ steps_per_s=%.1f (min %.1f, max %.1f) threads=%d gflops=%.1f  # %@",
                                workload.name, median, rates.first!, rates.last!, threads, gflops, workload.summary))
        }
        if json {
            let payload: [String: Any] = ["tool": "plasticitylab", "threads": threads, "blas_core": BLAS.coreName,
                                          "workloads": results]
            let data = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
            Console.line(String(decoding: data, as: UTF8.self))
        }
    }
}
