import Foundation
import Testing
@testable import Tensors

/// `vectorTanh` against libm's tanh, in Double, over a dense grid, both branches and the tail.
@Suite struct VectorTanhTests {
    @Test func matchesLibmWithinThreeTenthsOfAMillionth() {
        let xs: [Float] = stride(from: -12.0, through: 12.0, by: 0.000_37).map { Float($0) }
            + [0, -0, 1e-30, -1e-30, 1e-8, 0.249_999_99, 0.25, 0.250_000_01, 9, 9.5, .greatestFiniteMagnitude, .infinity, -.infinity]
        var ys = [Float](repeating: 0, count: xs.count)
        vectorTanh(xs, into: &ys, count: xs.count)
        var worst = 0.0
        for (x, y) in zip(xs, ys) {
            let exact = Foundation.tanh(Double(x))
            let error = abs(Double(y) - exact) / max(abs(exact), 1e-30)
            worst = max(worst, error)
            #expect(error <= 3e-7, "tanh(\(x)) = \(y), exact \(exact)")
        }
        #expect(worst > 0)
        #expect(ys[xs.firstIndex(of: 9)!] <= 1 && ys.last == -1)
    }

    @Test func keepsNaNAndHandlesEveryTailLength() {
        for n in 0..<20 {
            let xs = (0..<n).map { Float($0) * 0.3 - 2 }
            var ys = [Float](repeating: .nan, count: n)
            vectorTanh(xs, into: &ys, count: n)
            for (x, y) in zip(xs, ys) { #expect(abs(Double(y) - Foundation.tanh(Double(x))) <= 3e-7) }
        }
        var y = [Float](repeating: 0, count: 9)
        vectorTanh([1, .nan, 2, 3, 4, 5, 6, 7, .nan], into: &y, count: 9)
        #expect(y[1].isNaN && y[8].isNaN && !y[0].isNaN)
    }
}
