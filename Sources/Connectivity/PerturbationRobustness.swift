import Networks
import Tensors

/// Training-loss increase at θ_A under random perturbations of norm r restricted to one
/// group's subspace, against the same norm spread over the whole network and against the
/// averaging direction (Adilova et al. 2024, ICLR, "Layer-wise Linear Mode Connectivity",
/// Sec. 5, robustness).
///
/// For a group G with r = ‖θ_A,G − θ_B,G‖ (or a given radius), each sample draws
/// u ~ N(0, I) on G's coordinates, sets θ = θ_A + r·u/‖u‖ and records L(θ) − L(θ_A); the
/// whole-network samples draw u on all coordinates. `averaging` is the increase at θ_A with
/// G replaced by θ_B's values (the endpoint of the layer-wise path, at distance r).
public struct RobustnessResult: Sendable, Codable, Equatable {
    public let group: String
    public let radius: Double
    /// L(θ_A) on the training set.
    public let baseLoss: Double
    /// Loss increases of the perturbations inside the group.
    public let groupIncreases: [Double]
    /// Loss increases of perturbations of the same norm over the whole network.
    public let wholeIncreases: [Double]
    /// Loss increase from moving the group to θ_B (nil when a radius was given).
    public let averagingIncrease: Double?

    public var meanGroupIncrease: Double { groupIncreases.reduce(0, +) / Double(Swift.max(groupIncreases.count, 1)) }
    public var meanWholeIncrease: Double { wholeIncreases.reduce(0, +) / Double(Swift.max(wholeIncreases.count, 1)) }
}

extension ConnectivityAnalysis {
    /// Robustness of each group in `groups` (default: every layer): `samples` random
    /// directions inside the group and over the whole network, from a PCG32 generator seeded
    /// with `seed`. `radius` nil uses each group's A–B distance.
    public func robustness(groups: [ParameterGroup]? = nil, radius: Double? = nil, samples: Int = 5,
                           seed: UInt64 = 0) throws -> [RobustnessResult] {
        let net = pair.network, whole = ParameterGroup.all(net)
        var rng = RandomGenerator(seed: seed, stream: 11)
        pair.load(.a)
        let base = trainLoss()
        var out: [RobustnessResult] = []
        for group in groups ?? ParameterGroup.layers(net) {
            let r = try radius ?? pair.distance(group)
            var inside: [Double] = [], spread: [Double] = []
            for _ in 0..<samples {
                try perturb(group, radius: r, rng: &rng)
                inside.append(trainLoss() - base)
                try perturb(whole, radius: r, rng: &rng)
                spread.append(trainLoss() - base)
            }
            var averaging: Double?
            if radius == nil {
                try pair.interpolate(group, alpha: 1, others: .a)
                averaging = trainLoss() - base
            }
            out.append(RobustnessResult(group: group.name, radius: r, baseLoss: base, groupIncreases: inside,
                                        wholeIncreases: spread, averagingIncrease: averaging))
        }
        pair.load(.a)
        return out
    }

    /// Writes θ_A + r·u/‖u‖ into the network, u Gaussian on `group`'s coordinates only.
    private func perturb(_ group: ParameterGroup, radius: Double, rng: inout RandomGenerator) throws {
        pair.load(.a)
        let ranges = try pair.ranges(of: group)
        let count = ranges.reduce(0) { $0 + $1.count }
        var direction = [Float](repeating: 0, count: count)
        direction.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
        let norm = direction.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let scale = Float(norm > 0 ? radius / norm : 0)
        let dst = pair.network.storage.values
        var k = 0
        for r in ranges {
            for i in r { dst[i] += scale * direction[k]; k += 1 }
        }
    }
}
