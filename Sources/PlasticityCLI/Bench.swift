import ArgumentParser
import CAllocationCounter
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

    func run() throws {
        BLAS.setThreads(threads)
        let wanted = Set(only.split(separator: ",").map(String.init))
        var results: [String: [String: Double]] = [:]
        for workload in Workload.all() where wanted.isEmpty || wanted.contains(workload.name) {
            for _ in 0..<20 { _ = workload.step() }
            let allocations = Self.allocationsPerStep(workload)
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
            results[workload.name] = ["steps_per_s": median, "min": rates.first!, "max": rates.last!, "gflops": gflops,
                                      "allocs_per_step": allocations]
            Console.line(String(format: "%@ steps_per_s=%.1f (min %.1f, max %.1f) threads=%d gflops=%.1f allocs_per_step=%.2f  # %@",
                                workload.name, median, rates.first!, rates.last!, threads, gflops, allocations, workload.summary))
            if gemm { Self.printGEMMEfficiency(workload) }
        }
        if json {
            let payload: [String: Any] = ["tool": "plasticitylab", "threads": threads, "blas_core": BLAS.coreName,
                                          "workloads": results]
            let data = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
            Console.line(String(decoding: data, as: UTF8.self))
        }
    }

    /// Heap allocations per training step on every thread of the process, averaged over
    /// `steps` steps.
    static func allocationsPerStep(_ workload: Workload, steps: Int = 100) -> Double {
        plab_allocations_start_process()
        for _ in 0..<steps { _ = workload.step() }
        return Double(plab_allocations_stop_process()) / Double(steps)
    }

    /// Times every GEMM of 20 steps and prints, per shape, its rate inside the step and the rate
    /// of cblas_sgemm called alone on that shape; the total line weighs shapes by their time.
    static func printGEMMEfficiency(_ workload: Workload) {
        let recorder = GEMMRecorder()
        BLAS.gemmRecorder = recorder
        for _ in 0..<20 { _ = workload.step() }
        BLAS.gemmRecorder = nil
        var inStep = 0.0, alone = 0.0
        for shape in recorder.shapes {
            guard let total = recorder.totals[shape] else { continue }
            let flops = shape.flops * Double(total.calls)
            let rate = flops / Double(total.nanoseconds), isolated = shape.isolatedGFLOPS()
            inStep += Double(total.nanoseconds)
            alone += flops / isolated
            Console.line(String(format: "  gemm %@ calls/step=%.0f in_step=%.1f GFLOP/s alone=%.1f GFLOP/s ratio=%.2f",
                                shape.description, Double(total.calls) / 20, rate, isolated, rate / isolated))
        }
        Console.line(String(format: "  %@ gemm_efficiency=%.2f (time of the same GEMMs alone / time inside the step)",
                            workload.name, alone / inStep))
    }
}
