import Testing
@testable import Tensors

/// PCG32 against the reference implementation's published outputs, and its distributions.
@Suite struct RandomGeneratorTests {
    @Test func matchesReferencePCG32() {
        // pcg32-demo (O'Neill's minimal C implementation) with pcg32_srandom(42, 54).
        var rng = RandomGenerator(seed: 42, stream: 54)
        let expected: [UInt32] = [0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e]
        #expect((0..<6).map { _ in rng.next() } == expected)
    }

    @Test func uniformAndNormalMoments() {
        var rng = RandomGenerator(seed: 3)
        let n = 200_000
        let u = (0..<n).map { _ in Double(rng.uniform()) }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(u.reduce(0, +) / Double(n) - 0.5) < 0.005)
        let z = (0..<n).map { _ in Double(rng.normal()) }
        let mean = z.reduce(0, +) / Double(n)
        let variance = z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.02)
        #expect(z.allSatisfy { $0.isFinite })
    }

    @Test func permutationsAndBoundedIntegers() {
        var rng = RandomGenerator(seed: 5)
        let p = rng.permutation(1000)
        #expect(p.sorted() == Array(0..<1000) && p != Array(0..<1000))
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[rng.below(7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
    }

    @Test func sameSeedSameStreamAndStateRestore() {
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9), c = RandomGenerator(seed: 9, stream: 1)
        let xa = (0..<10).map { _ in a.next() }
        #expect(xa == (0..<10).map { _ in b.next() })
        #expect(xa != (0..<10).map { _ in c.next() })
        var restored = RandomGenerator(state: a.state, increment: a.increment)
        #expect(a.next() == restored.next())
    }
}
