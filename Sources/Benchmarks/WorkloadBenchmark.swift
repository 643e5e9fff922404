import CAllocationCounter
import Tensors

/// Times a `Workload`'s training step as `plasticity bench` reports it: the median steps/s of
/// timed windows after a warm-up, the GEMM-shaped GFLOP/s, heap allocations per step, and how
/// fast each GEMM shape runs inside the step against cblas_sgemm alone.
public enum WorkloadBenchmark {
    /// One workload's measurement.
    public struct Measurement: Sendable {
        public let name: String
        public let summary: String
        /// Median, slowest and fastest window.
        public let stepsPerSecond: Double
        public let minimum: Double
        public let maximum: Double
        public let gflops: Double
        public let allocationsPerStep: Double
    }

    /// One GEMM shape of a step: calls per step and GFLOP/s inside the step and alone.
    public struct GEMMShape: Sendable {
        public let shape: String
        public let callsPerStep: Double
        public let inStep: Double
        public let alone: Double
    }

    /// 20 warm-up steps, the allocations of 100 steps, then `repeats` windows of `seconds`.
    public static func measure(_ workload: Workload, seconds: Double, repeats: Int) -> Measurement {
        for _ in 0..<20 { _ = workload.step() }
        let allocations = allocationsPerStep(workload)
        let rates = Throughput.sortedRates(repeats: repeats, seconds: seconds) { _ = workload.step() }
        let median = rates[rates.count / 2]
        return Measurement(name: workload.name, summary: workload.summary, stepsPerSecond: median, minimum: rates.first!,
                           maximum: rates.last!, gflops: median * workload.flopsPerStep / 1e9, allocationsPerStep: allocations)
    }

    /// Heap allocations per training step on every thread of the process, averaged over
    /// `steps` steps.
    public static func allocationsPerStep(_ workload: Workload, steps: Int = 100) -> Double {
        plab_allocations_start_process()
        for _ in 0..<steps { _ = workload.step() }
        return Double(plab_allocations_stop_process()) / Double(steps)
    }

    /// Every GEMM shape of 20 steps, and the GEMM efficiency: the time the same GEMMs take
    /// alone over the time they take inside the step.
    public static func gemmEfficiency(_ workload: Workload) -> (shapes: [GEMMShape], efficiency: Double) {
        let recorder = GEMMRecorder()
        BLAS.gemmRecorder = recorder
        for _ in 0..<20 { _ = workload.step() }
        BLAS.gemmRecorder = nil
        var inStep = 0.0, alone = 0.0, shapes: [GEMMShape] = []
        for shape in recorder.shapes {
            guard let total = recorder.totals[shape] else { continue }
            let flops = shape.flops * Double(total.calls)
            let rate = flops / Double(total.nanoseconds), isolated = shape.isolatedGFLOPS()
            inStep += Double(total.nanoseconds)
            alone += flops / isolated
            shapes.append(GEMMShape(shape: shape.description, callsPerStep: Double(total.calls) / 20, inStep: rate, alone: isolated))
        }
        return (shapes, alone / inStep)
    }
}
