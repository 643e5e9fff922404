import Foundation
import Testing
import Tensors
@testable import Datasets

/// The MNIST-1D generator: determinism, balance, normalisation, learnability, and its
/// resampling and smoothing against numpy and scipy.
@Suite struct MNIST1DTests {
    @Test func templatesStartAndEndAtZeroWithStdOneSixth() {
        #expect(MNIST1D.templates.count == 10)
        for t in MNIST1D.templates {
            #expect(t.count == 12 && t[0] == 0 && abs(t[11]) < 1e-6)
            let mean = t.reduce(0, +) / 12
            let std = (t.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 12).squareRoot()
            #expect(abs(std - 1 / 6) < 1e-6)
        }
        // Values of the original (numpy, float64): digit 1 at index 1, digit 3 at index 5.
        #expect(abs(MNIST1D.templates[1][1] - -0.36986336072765463) < 1e-7 && MNIST1D.templates[3][5] == 0)
    }

    @Test func shapeBalanceAndStandardisation() {
        let data = MNIST1D(count: 2000).generate(seed: 0)
        #expect(data.exampleShape == [1, 40] && data.count == 2000 && data.classCount == 10)
        #expect(data.inputs.count == 2000 * 40)
        #expect((0..<10).allSatisfy { c in data.labels.filter { $0 == c }.count == 200 })
        #expect(data.labels.prefix(20) != Array(0..<20).map { $0 % 10 }[...], "labels are shuffled")
        let n = Double(data.inputs.count)
        let mean = data.inputs.reduce(0) { $0 + Double($1) } / n
        let variance = data.inputs.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4)
        #expect(MNIST1D(count: 10, length: 100).generate(seed: 0).exampleShape == [1, 100])
    }

    @Test func sameSeedSameDataOtherSeedOtherData() {
        let a = MNIST1D(count: 300).generate(seed: 42), b = MNIST1D(count: 300).generate(seed: 42)
        let c = MNIST1D(count: 300).generate(seed: 43)
        #expect(a.inputs == b.inputs && a.labels == b.labels)
        #expect(a.labels != c.labels)
        #expect(zip(a.inputs, c.inputs).filter { $0 != $1 }.count > 11_900)
    }

    /// Accuracy on 2000 fresh examples of a nearest-class-mean classifier fitted on 2000.
    func nearestClassMeanAccuracy(_ generator: MNIST1D) -> Double {
        let train = generator.generate(seed: 1), test = generator.generate(seed: 2)
        let d = 40
        var means = [Float](repeating: 0, count: 10 * d)
        for (i, y) in train.labels.enumerated() {
            for j in 0..<d { means[y * d + j] += train.inputs[i * d + j] / 200 }
        }
        let correct = test.labels.enumerated().filter { i, y in
            let distances = (0..<10).map { c in
                (0..<d).reduce(Float(0)) { s, j in s + (test.inputs[i * d + j] - means[c * d + j]) * (test.inputs[i * d + j] - means[c * d + j]) }
            }
            return distances.firstIndex(of: distances.min()!) == y
        }.count
        return Double(correct) / Double(test.count)
    }

    /// Classes are told apart by their templates. Random translations make a linear template
    /// matcher weak by design: nearest class means reach 0.25–0.28 here and on the original
    /// Python generator (chance 0.10); without translation they reach about 0.70.
    @Test func nearestClassMeanBeatsChance() {
        #expect(nearestClassMeanAccuracy(MNIST1D(count: 2000)) > 0.2)
        #expect(nearestClassMeanAccuracy(MNIST1D(count: 2000, maxTranslation: 1)) > 0.6)
    }

    @Test func resamplingMatchesNumpyInterp() throws {
        let x: [Float] = [0, 1, -2, 4.5, 3, 0.25, -1]
        for n in [2, 5, 7, 40, 72] {
            let ours = MNIST1D.resample(x, to: n)
            let theirs = try Python.floats("""
                import sys, numpy as np
                x = np.array([float(v) for v in sys.argv[2:]], dtype=np.float32)
                n = int(sys.argv[1])
                print(*np.interp(np.linspace(0, 1, n), np.linspace(0, 1, len(x)), x).astype(np.float32))
                """, [String(n)] + x.map { "\($0)" })
            #expect(ours.count == n && zip(ours, theirs).allSatisfy { abs($0 - $1) < 1e-6 }, "n = \(n): \(ours) vs \(theirs)")
        }
    }

    @Test func smoothingMatchesScipyGaussianFilter() throws {
        var rng = RandomGenerator(seed: 5)
        let x = (0..<72).map { _ in rng.normal() }
        let ours = MNIST1D.gaussianSmooth(x, sigma: 2)
        let theirs = try Python.floats("""
            import sys, numpy as np
            from scipy.ndimage import gaussian_filter
            print(*gaussian_filter(np.array([float(v) for v in sys.argv[1:]]), 2).astype(np.float32))
            """, x.map { "\($0)" })
        #expect(theirs.count == 72 && zip(ours, theirs).allSatisfy { abs($0 - $1) < 1e-5 })
        // Short signals reflect more than once: 3 samples under a radius-8 kernel.
        let short = try Python.floats("""
            import numpy as np
            from scipy.ndimage import gaussian_filter
            print(*gaussian_filter(np.array([1.0, -2.0, 0.5]), 2).astype(np.float32))
            """)
        #expect(zip(MNIST1D.gaussianSmooth([1, -2, 0.5], sigma: 2), short).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}
