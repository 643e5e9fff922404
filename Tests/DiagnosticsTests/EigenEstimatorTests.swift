import Testing
import Tensors
@testable import Diagnostics

/// Lanczos, power iteration, Hutchinson and stochastic Lanczos quadrature on explicit
/// symmetric matrices with known spectra, through the `SymmetricOperator` (matvec) API.
@Suite struct EigenEstimatorTests {
    /// 200 eigenvalues: five separated outliers and a bulk in [−1, 1].
    static let spectrum: [Double] = [50, 30, 20, 12, 8] + (0..<195).map { -1 + 2 * Double($0) / 194 }

    @Test func lanczosFindsTheTopFive() throws {
        let a = try CurvatureMath.symmetricMatrix(eigenvalues: Self.spectrum, seed: 41)
        let r = try lanczosEigenpairs(SymmetricOperator(matrix: a, size: 200), options: LanczosOptions(eigenvalueCount: 5))
        #expect(r.converged && r.iterations < 50)
        #expect(r.pairs.map(\.value).enumerated().allSatisfy { abs($1 - Self.spectrum[$0]) <= 1e-4 * 50 })
        #expect(r.pairs.allSatisfy { $0.residual <= 1e-3 * r.scale })
        #expect(r.pairs.allSatisfy { abs(DoubleVector.norm($0.vector) - 1) < 1e-12 })
    }

    @Test func lanczosReportsNonConvergence() throws {
        let a = try CurvatureMath.symmetricMatrix(eigenvalues: Self.spectrum, seed: 42)
        let r = try lanczosEigenpairs(SymmetricOperator(matrix: a, size: 200),
                                      options: LanczosOptions(eigenvalueCount: 5, tolerance: 1e-12, maxIterations: 4))
        #expect(!r.converged && r.iterations == 4 && r.pairs.count == 4)
    }

    @Test func lambdaMaxIsAlgebraicAndPowerIterationIsByMagnitude() throws {
        let values = [-10.0, 5, 4] + (0..<47).map { Double($0) / 47 }
        let op = SymmetricOperator(matrix: try CurvatureMath.symmetricMatrix(eigenvalues: values, seed: 43), size: 50)
        let lanczos = try lanczosEigenpairs(op, options: LanczosOptions(eigenvalueCount: 1, tolerance: 1e-8))
        #expect(abs(lanczos.pairs[0].value - 5) < 1e-8)
        let power = powerIteration(op, options: PowerIterationOptions(tolerance: 1e-8, maxIterations: 1000))
        #expect(power.converged && abs(power.eigenvalue + 10) < 1e-7)
    }

    @Test func powerIterationDoesNotConvergeOnOppositePair() throws {
        let values = [3.0, -3, 1, 0.5] + [Double](repeating: 0.1, count: 16)
        let op = SymmetricOperator(matrix: try CurvatureMath.symmetricMatrix(eigenvalues: values, seed: 44), size: 20)
        let power = powerIteration(op, options: PowerIterationOptions(maxIterations: 200))
        #expect(!power.converged && power.iterations == 200 && power.residual > 0.1)
    }

    @Test func hutchinsonStopsOnItsToleranceAndCoversTheTrace() throws {
        let values = (0..<100).map { 1 + Double($0 % 7) }
        let op = SymmetricOperator(matrix: try CurvatureMath.symmetricMatrix(eigenvalues: values, seed: 45), size: 100)
        let exact = values.reduce(0, +)
        let loose = hutchinsonTrace(op, options: HutchinsonOptions(relativeTolerance: 0.05, minSamples: 5, maxSamples: 500, seed: 1))
        #expect(loose.trace.converged && loose.trace.samples < 500)
        #expect(loose.trace.standardError <= 0.05 * loose.trace.value)
        #expect(abs(loose.trace.value - exact) <= 3 * loose.trace.standardError)
        let capped = hutchinsonTrace(op, options: HutchinsonOptions(relativeTolerance: 1e-9, maxSamples: 20, seed: 2))
        #expect(!capped.trace.converged && capped.trace.samples == 20)
    }

    @Test func spectralDensityPutsItsMassAtTheEigenvalues() throws {
        let values = [Double](repeating: -1, count: 20) + [Double](repeating: 2, count: 30) + [Double](repeating: 5, count: 50)
        let op = SymmetricOperator(matrix: try CurvatureMath.symmetricMatrix(eigenvalues: values, seed: 46), size: 100)
        let esd = try spectralDensity(op, options: SpectralDensityOptions(steps: 10, vectors: 20, gridPoints: 2000, seed: 3))
        // Three distinct eigenvalues: every Krylov space is invariant after three steps.
        for (theta, tau) in zip(esd.nodes, esd.weights) {
            #expect(theta.count == 3 && abs(tau.reduce(0, +) - 1) < 1e-12)
            #expect(zip(theta, [-1.0, 2, 5]).allSatisfy { abs($0 - $1) < 1e-9 })
        }
        let spacing = esd.grid[1] - esd.grid[0]
        #expect(abs(esd.density.reduce(0, +) * spacing - 1) < 1e-3)
        for (lambda, fraction) in [(-1.0, 0.2), (2, 0.3), (5, 0.5)] {
            let mass = zip(esd.grid, esd.density).filter { abs($0.0 - lambda) < 0.5 }.reduce(0) { $0 + $1.1 } * spacing
            #expect(abs(mass - fraction) < 0.06, "mass \(mass) at \(lambda)")
        }
        #expect(abs(esd.sigma - 0.01 * 6) < 1e-12)
    }
}
