import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Tensors

/// The worker pool and the split GEMM, driven with explicit part counts (the global thread
/// count stays at 1, so tests running alongside are unaffected).
@Suite struct ParallelTests {
    /// Records which thread ran each part, and runs a nested region inside part 0.
    struct Recorder: ParallelWork {
        let threads: UnsafeMutablePointer<pthread_t>
        let nested: UnsafeMutablePointer<Int>

        func run(part: Int, of parts: Int) {
            threads[part] = pthread_self()
            guard part == 0 else { return }
            let inner = Counter(count: nested)
            withUnsafePointer(to: inner) { p in
                WorkerPool.shared.run(2, UnsafeRawPointer(p)) { raw, part, parts in
                    raw.assumingMemoryBound(to: Counter.self).pointee.run(part: part, of: parts)
                }
            }
        }
    }

    struct Counter: ParallelWork {
        let count: UnsafeMutablePointer<Int>
        func run(part: Int, of parts: Int) { count[part] += 1 }
    }

    @Test func everyPartRunsOnceOnItsOwnThreadAndNestedRegionsRunInline() {
        let threads = UnsafeMutablePointer<pthread_t>.allocate(capacity: 2)
        let nested = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        defer { threads.deallocate(); nested.deallocate() }
        for _ in 0..<50 {
            threads.initialize(repeating: 0, count: 2)
            nested.initialize(repeating: 0, count: 2)
            let work = Recorder(threads: threads, nested: nested)
            withUnsafePointer(to: work) { p in
                WorkerPool.shared.run(2, UnsafeRawPointer(p)) { raw, part, parts in
                    raw.assumingMemoryBound(to: Recorder.self).pointee.run(part: part, of: parts)
                }
            }
            #expect(threads[0] == pthread_self())
            #expect(threads[1] != 0 && threads[1] != threads[0])
            #expect(nested[0] == 1 && nested[1] == 1, "the nested region ran both parts inline")
        }
    }

    @Test(arguments: [(BLAS.Transpose.none, BLAS.Transpose.none, 70, 45, 33), (.transpose, .none, 45, 70, 33),
                      (.none, .transpose, 131, 29, 17), (.transpose, .transpose, 29, 131, 17)])
    func gemmBlocksReproduceTheWholeProduct(ta: BLAS.Transpose, tb: BLAS.Transpose, m: Int, n: Int, k: Int) {
        var rng = RandomGenerator(seed: 4)
        let a = Tensor(shape: ta == .none ? Shape(m, k) : Shape(k, m)), b = Tensor(shape: tb == .none ? Shape(k, n) : Shape(n, k))
        rng.fillNormal(a.buffer)
        rng.fillNormal(b.buffer)
        let whole = Tensor(shape: Shape(m, n), repeating: 0.5), blocks = Tensor(shape: Shape(m, n), repeating: 0.5)
        let lda = a.shape[1], ldb = b.shape[1]
        BLAS.sgemm(ta, tb, m, n, k, 1.5, a.data, lda, b.data, ldb, 0.25, whole.data, n)
        let work = BLAS.GEMMBlocks(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1.5, a: a.data, lda: lda,
                                   b: b.data, ldb: ldb, beta: 0.25, c: blocks.data, ldc: n)
        for parts in [2, 3] {
            blocks.fill(0.5)
            for part in 0..<parts { work.run(part: part, of: parts) }
            for i in 0..<(m * n) { #expect(abs(blocks.data[i] - whole.data[i]) <= 1e-5 * max(1, abs(whole.data[i]))) }
        }
    }

    @Test func partsCoverTheRangeExactlyOnce() {
        for count in [0, 1, 7, 1000] {
            for parts in 1...4 {
                let ranges = (0..<parts).map { Parallel.part($0, of: parts, count) }
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
                #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            }
        }
    }
}
