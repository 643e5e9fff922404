/// Work for a parallel region: `run(part:of:)` does the `part`-th of `parts` shares.
///
/// Regions take a value of a conforming struct rather than a closure: the struct lives on the
/// caller's stack and is handed to the helper threads by address, where a closure would have
/// to be copied to the heap (`withoutActuallyEscaping` allocates once per call).
public protocol ParallelWork {
    func run(part: Int, of parts: Int)
}

/// Work over a range of indices, for `Parallel.split`.
public protocol RangeWork {
    func run(_ range: Range<Int>)
}

/// Fork-join parallelism over the thread count set with `BLAS.setThreads`: split GEMMs,
/// im2col, elementwise kernels and optimiser updates.
///
/// Regions run on `WorkerPool`, with no heap allocation per region. A region started inside
/// another (or on a second thread while one runs) runs its parts one after another. Work is
/// split into fixed contiguous parts by index, never by arrival order.
public enum Parallel {
    /// Workers a region uses: the configured thread count.
    public static var workers: Int { BLAS.threads }

    /// Runs `work` once per worker concurrently, or as part 0 of 1 on this thread with one
    /// configured thread. Inside another region the parts run one after another.
    @inlinable
    public static func run<Work: ParallelWork>(_ work: Work) {
        let n = workers
        guard n > 1 else { return work.run(part: 0, of: 1) }
        withUnsafePointer(to: work) { pointer in
            WorkerPool.shared.run(n, UnsafeRawPointer(pointer)) { raw, part, parts in
                raw.assumingMemoryBound(to: Work.self).pointee.run(part: part, of: parts)
            }
        }
    }

    /// Splits `0..<count` into one contiguous part per worker and runs them concurrently, or
    /// runs the whole range here when `count` is below `minimum` (where a fork costs more than
    /// it saves).
    @inlinable
    public static func split<Work: RangeWork>(_ count: Int, minimum: Int = 1 << 18, _ work: Work) {
        guard count >= minimum, workers > 1 else { return work.run(0..<count) }
        run(SplitWork(work: work, count: count))
    }

    /// The `part`-th of `parts` contiguous, nearly equal shares of `0..<count`.
    @inlinable
    public static func part(_ part: Int, of parts: Int, _ count: Int) -> Range<Int> {
        (part * count / parts)..<((part + 1) * count / parts)
    }
}

/// `RangeWork` over `0..<count`, one contiguous share per part.
@usableFromInline
struct SplitWork<Work: RangeWork>: ParallelWork {
    @usableFromInline let work: Work
    @usableFromInline let count: Int

    @inlinable init(work: Work, count: Int) {
        self.work = work
        self.count = count
    }

    @inlinable func run(part: Int, of parts: Int) { work.run(Parallel.part(part, of: parts, count)) }
}
