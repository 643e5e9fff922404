import Tensors

/// Settings of `hutchinsonTrace`.
public struct HutchinsonOptions: Sendable, Equatable {
    /// Stop once the standard error ≤ relativeTolerance · |estimate| …
    public var relativeTolerance: Double
    /// … but not before this many samples (at least 2, for a standard error) …
    public var minSamples: Int
    /// … and never after this many.
    public var maxSamples: Int
    /// Seed of the Rademacher vectors.
    public var seed: UInt64

    public init(relativeTolerance: Double = 1e-2, minSamples: Int = 10, maxSamples: Int = 100, seed: UInt64 = 0) {
        self.relativeTolerance = relativeTolerance
        self.minSamples = minSamples
        self.maxSamples = maxSamples
        self.seed = seed
    }
}

/// A Monte Carlo trace estimate: the sample mean and its standard error s/√n, with s the
/// sample standard deviation (ddof = 1).
public struct TraceEstimate: Sendable {
    public let value: Double
    public let standardError: Double
    public let samples: Int
    /// Whether standardError ≤ relativeTolerance · |value|.
    public let converged: Bool
}

/// The outcome of `hutchinsonTrace`: the whole trace and, from the same samples, the trace
/// of each diagonal block asked for.
public struct HutchinsonResult: Sendable {
    public let trace: TraceEstimate
    public let blocks: [TraceEstimate]
    public let relativeTolerance: Double
}

/// Hutchinson's estimator (Hutchinson 1990; Avron & Toledo 2011): for Rademacher vectors z
/// (entries ±1 with probability ½), E[zᵀAz] = tr A with variance 2(‖A‖²_F − Σᵢ A²ᵢᵢ); the
/// estimate is the mean of zᵀAz over samples. The same samples estimate the trace of each
/// diagonal block B, E[z_Bᵀ(Az)_B] = tr A_BB, at no extra products (with the variance of
/// the off-block terms). Sampling stops when the whole trace's standard error (ddof = 1) is
/// within `relativeTolerance` of |estimate| after `minSamples`, or at `maxSamples`.
/// PyHessian draws a fixed 100 samples (stopping earlier only if the running mean changes by
/// less than 1e-3 relative) and reports no standard error.
public func hutchinsonTrace(_ op: SymmetricOperator, blocks: [Range<Int>] = [],
                            options: HutchinsonOptions = HutchinsonOptions()) -> HutchinsonResult {
    precondition(options.maxSamples >= 2 && options.minSamples <= options.maxSamples, "Hutchinson needs 2 ≤ minSamples ≤ maxSamples")
    var rng = RandomGenerator(seed: options.seed)
    var whole = RunningMean()
    var parts = [RunningMean](repeating: RunningMean(), count: blocks.count)
    while whole.count < options.maxSamples {
        let z = (0..<op.dimension).map { _ in rng.next() & 1 == 0 ? 1.0 : -1.0 }
        let az = op(z)
        whole.add(DoubleVector.dot(z, az))
        for (b, range) in blocks.enumerated() {
            parts[b].add(zip(z[range], az[range]).reduce(0) { $0 + $1.0 * $1.1 })
        }
        if whole.count >= Swift.max(options.minSamples, 2), whole.isWithin(options.relativeTolerance) { break }
    }
    return HutchinsonResult(trace: whole.estimate(options.relativeTolerance),
                            blocks: parts.map { $0.estimate(options.relativeTolerance) },
                            relativeTolerance: options.relativeTolerance)
}

/// Welford's running mean and variance.
private struct RunningMean {
    private(set) var count = 0
    private var mean = 0.0
    private var squares = 0.0

    mutating func add(_ x: Double) {
        count += 1
        let d = x - mean
        mean += d / Double(count)
        squares += d * (x - mean)
    }

    /// s/√n with s² = Σ(x − x̄)²/(n − 1); infinite below two samples.
    var standardError: Double { count > 1 ? (squares / Double(count - 1) / Double(count)).squareRoot() : .infinity }

    func isWithin(_ relativeTolerance: Double) -> Bool { standardError <= relativeTolerance * Swift.abs(mean) }

    func estimate(_ relativeTolerance: Double) -> TraceEstimate {
        TraceEstimate(value: mean, standardError: standardError, samples: count, converged: isWithin(relativeTolerance))
    }
}
