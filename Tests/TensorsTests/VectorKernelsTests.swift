import Testing
import Tensors

/// The eight-lane kernels against their scalar definitions, bit for bit, for every count
/// from 0 to 19 (so both the vector body and the scalar tail run), with NaN, ±0 and ±∞.
@Suite struct VectorKernelsTests {
    func inputs(_ n: Int, seed: UInt64) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        let specials: [Float] = [.nan, 0, -0.0, .infinity, -.infinity]
        return (0..<n).map { i in i % 7 == 3 ? specials[(i / 7) % specials.count] : rng.normal() }
    }

    func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

    func apply(_ n: Int, _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
        let a = inputs(n, seed: 1), b = inputs(n, seed: 2)
        var out = [Float](repeating: 42, count: n)
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { po in
            kernel(pa.baseAddress!, pb.baseAddress!, po.baseAddress!, n)
        } } }
        return out
    }

    @Test(arguments: 1...19)
    func elementwiseKernelsEqualTheirScalarDefinitions(n: Int) {
        let a = inputs(n, seed: 1), b = inputs(n, seed: 2)
        #expect(bits(apply(n) { x, _, y, n in VectorKernels.relu(x, into: y, count: n) }) == bits(a.map { Swift.max($0, 0) }))
        #expect(bits(apply(n) { x, _, y, n in VectorKernels.copyShort(x, into: y, count: n) }) == bits(a))
        #expect(bits(apply(n) { x, dy, dx, n in VectorKernels.reluBackward(x, dy, into: dx, count: n) })
                == bits(zip(a, b).map { $0 > 0 ? $1 : 0 }))
        #expect(bits(apply(n) { x, _, y, n in VectorKernels.leakyReLU(x, slope: 0.01, into: y, count: n) })
                == bits(a.map { $0 > 0 ? $0 : 0.01 * $0 }))
        #expect(bits(apply(n) { x, dy, dx, n in VectorKernels.leakyReLUBackward(x, dy, slope: 0.2, into: dx, count: n) })
                == bits(zip(a, b).map { $0 > 0 ? $1 : 0.2 * $1 }))
        #expect(bits(apply(n) { y, dy, dx, n in VectorKernels.tanhBackward(y, dy, into: dx, count: n) })
                == bits(zip(a, b).map { $1 * (1 - $0 * $0) }))
        #expect(bits(apply(n) { x, _, y, n in VectorKernels.addScalar(1.5, x, into: y, count: n) }) == bits(a.map { $0 + 1.5 }))
        var sum = b
        a.withUnsafeBufferPointer { pa in sum.withUnsafeMutableBufferPointer { VectorKernels.add(pa.baseAddress!, into: $0.baseAddress!, count: n) } }
        #expect(bits(sum) == bits(zip(a, b).map { $1 + $0 }))
    }

    @Test func sumIsDeterministicAndAccurate() {
        var rng = RandomGenerator(seed: 3)
        let x = (0..<1003).map { _ in rng.normal() }
        let exact = x.reduce(0.0) { $0 + Double($1) }
        let s = x.withUnsafeBufferPointer { VectorKernels.sum($0.baseAddress!, count: $0.count) }
        #expect(abs(Double(s) - exact) < 1e-4)
        #expect(s == x.withUnsafeBufferPointer { VectorKernels.sum($0.baseAddress!, count: $0.count) })
    }
}
