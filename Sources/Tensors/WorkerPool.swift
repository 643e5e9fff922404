#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Helper threads for fork-join regions, with no heap allocation per region.
///
/// The caller runs part 0 of a region itself; helper i runs part i. The region is handed over
/// as a pointer to the caller's work value and a capture-free function that runs it, through
/// preallocated slots and a generation counter. A helper spins briefly for the next
/// region (about as long as one short training step's gap between regions) and then sleeps
/// on a condition variable, so an idle pool costs nothing.
@usableFromInline
final class WorkerPool: @unchecked Sendable {
    /// The process-wide pool; helpers are started on first use.
    @usableFromInline static let shared = WorkerPool()

    private let generation = Atomic<Int>(0)
    /// Whether a region is running; a second caller (a nested region, or another thread)
    /// runs its parts serially instead.
    private let busy = Atomic<Bool>(false)
    private let remaining = Atomic<Int>(0)
    /// The running region: its work value and the function that runs one part of it.
    private let slot = UnsafeMutablePointer<Region?>.allocate(capacity: 1)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var helpers = 0
    /// Spin iterations before a helper sleeps (tens of microseconds).
    private static let spinLimit = 1 << 15

    private init() {
        slot.initialize(to: nil)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    /// One region: `invoke(work, part, parts)` runs a part of the work at `work`.
    private struct Region {
        let work: UnsafeRawPointer
        let parts: Int
        let invoke: (UnsafeRawPointer, Int, Int) -> Void
    }

    /// Runs `invoke(work, p, parts)` for p in 0..<parts and returns when all are done:
    /// concurrently, or one after another on this thread while another region is running.
    /// `invoke` must capture nothing (so storing it does not allocate).
    @usableFromInline
    func run(_ parts: Int, _ work: UnsafeRawPointer, _ invoke: @escaping (UnsafeRawPointer, Int, Int) -> Void) {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for part in 0..<parts { invoke(work, part, parts) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        startHelpers(parts - 1)
        slot.pointee = Region(work: work, parts: parts, invoke: invoke)
        remaining.store(parts - 1, ordering: .releasing)
        pthread_mutex_lock(mutex)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        invoke(work, 0, parts)
        while remaining.load(ordering: .acquiring) > 0 {}
        slot.pointee = nil
    }

    /// Starts helpers until there are `count`; a region of fewer parts leaves the rest idle.
    private func startHelpers(_ count: Int) {
        while helpers < count {
            helpers += 1
            let start = generation.load(ordering: .acquiring)
            let context = Unmanaged.passRetained(HelperContext(pool: self, index: helpers, generation: start)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<HelperContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.helperLoop(context.index, after: context.generation)
            }, context)
            precondition(status == 0, "WorkerPool: pthread_create failed (\(status))")
            pthread_detach(thread)
        }
    }

    /// Runs part `index` of every region that starts after generation `seen`.
    private func helperLoop(_ index: Int, after start: Int) -> Never {
        var seen = start
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen && spins < Self.spinLimit { spins += 1 }
            if generation.load(ordering: .acquiring) == seen {
                pthread_mutex_lock(mutex)
                while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(condition, mutex) }
                pthread_mutex_unlock(mutex)
            }
            seen = generation.load(ordering: .acquiring)
            do {
                let region = slot.pointee!
                region.invoke(region.work, index, region.parts)
            }
            remaining.subtract(1, ordering: .releasing)
        }
    }

    private final class HelperContext {
        let pool: WorkerPool
        let index: Int
        let generation: Int
        init(pool: WorkerPool, index: Int, generation: Int) {
            self.pool = pool
            self.index = index
            self.generation = generation
        }
    }
}
