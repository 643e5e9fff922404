import CAllocationCounter
import Testing
import Tensors
import Benchmarks

/// The peer workloads' training steps (`plasticity bench`) allocate nothing after warm-up.
@Suite(.serialized) struct TrainingStepAllocationTests {
    /// Counts on this thread only, so tests running alongside do not add to the count; at one
    /// thread every kernel runs here. (`plasticity bench` reports the two-thread count, every
    /// thread included.)
    @Test(.disabled(if: BuildConfiguration.isDebug, "zero allocations per step is a property of optimised builds (-c release)"))
    func peerWorkloadStepsAllocateNothingAfterWarmUp() {
        for workload in Workload.all() {
            for _ in 0..<3 { _ = workload.step() }
            plab_allocations_start_thread()
            for _ in 0..<(workload.name == "W3" ? 2 : 20) { _ = workload.step() }
            let allocations = plab_allocations_stop_thread()
            #expect(allocations == 0, "\(workload.name): \(allocations) allocations")
        }
        plab_allocations_start_thread()
        let tensor = Tensor(shape: Shape(7))
        #expect(plab_allocations_stop_thread() >= 1, "the counter sees a tensor's buffer")
        #expect(tensor.count == 7)
    }

}
