/// Loss (and accuracy) of θ(α) on one evaluation set along one path, with its barriers.
public struct PathMetrics: Sendable, Codable, Equatable {
    /// L(θ(α)) at each α of the grid.
    public let loss: [Double]
    /// Top-1 accuracy at each α, for classification data.
    public let accuracy: [Double]?
    /// `Barrier.loss` of `loss`.
    public let lossBarrier: Double
    /// `Barrier.accuracy` of `accuracy` (a drop is positive).
    public let accuracyBarrier: Double?
    /// `Barrier.midpoint` of `loss` against the whole network's endpoint losses L(θ_A), L(θ_B).
    public let midpointBarrier: Double

    /// Metrics of one path; `reference` is the whole-network path on the same data (nil for
    /// the whole-network path itself), whose endpoints anchor `midpointBarrier`.
    public init(alphas: [Double], loss: [Double], accuracy: [Double]?, reference: PathMetrics? = nil) {
        self.loss = loss
        self.accuracy = accuracy
        lossBarrier = Barrier.loss(alphas: alphas, values: loss).value
        accuracyBarrier = accuracy.map { Barrier.accuracy(alphas: alphas, values: $0).value }
        let ends = reference?.loss ?? loss
        midpointBarrier = Barrier.midpoint(alphas: alphas, values: loss, endpoints: (ends[0], ends[ends.count - 1]))
    }
}

/// One interpolation path: a parameter group moved from A to B while the rest stays at
/// `others`, measured on the train and (optionally) test sets.
public struct InterpolationCurve: Sendable, Codable, Equatable {
    /// What kind of group this is, for tables and claims.
    public enum Kind: String, Sendable, Codable {
        case whole, layer, first, last, custom
    }

    public let group: String
    public let kind: Kind
    /// The endpoint the other parameters keep (irrelevant for `whole`, reported as A).
    public let others: Endpoint
    /// Number of parameters interpolated.
    public let parameterCount: Int
    /// ‖θ_A − θ_B‖₂ over the group.
    public let distance: Double
    public let alphas: [Double]
    public let train: PathMetrics
    public let test: PathMetrics?

    public init(group: String, kind: Kind, others: Endpoint, parameterCount: Int, distance: Double, alphas: [Double],
                train: PathMetrics, test: PathMetrics?) {
        self.group = group
        self.kind = kind
        self.others = others
        self.parameterCount = parameterCount
        self.distance = distance
        self.alphas = alphas
        self.train = train
        self.test = test
    }

    /// `group` for the whole network, `group (others at A)` otherwise.
    public var label: String { kind == .whole ? group : "\(group) (others at \(others.rawValue))" }
}
