import Networks

/// How the paths are sampled and evaluated.
public struct ConnectivityOptions: Sendable, Equatable {
    /// The α grid; `grid(21)` = 0, 0.05, …, 1 by default.
    public var alphas: [Double] = ConnectivityOptions.grid(21)
    /// Recompute BatchNorm running statistics on the training set at every θ(α) (no effect
    /// without BatchNorm). When off, running statistics are interpolated like parameters.
    public var recomputeBatchNorm = true
    /// Examples per forward pass.
    public var batchSize = 500
    /// Single-layer paths with the other layers at A, at B, or both.
    public var others: [Endpoint] = [.a, .b]
    /// Include the cumulative `first k` and `last k` paths (others at A).
    public var cumulative = true

    public init() {}

    /// `points` equally spaced values from 0 to 1 (both included).
    public static func grid(_ points: Int) -> [Double] {
        precondition(points >= 2, "an α grid needs at least 2 points")
        return (0..<points).map { Double($0) / Double(points - 1) }
    }
}

/// Every interpolation path of one network pair with its barriers (and optional robustness).
public struct ConnectivityReport: Sendable, Codable, Equatable {
    public let alphas: [Double]
    public let curves: [InterpolationCurve]
    public var robustness: [RobustnessResult]

    public init(alphas: [Double], curves: [InterpolationCurve], robustness: [RobustnessResult]) {
        self.alphas = alphas
        self.curves = curves
        self.robustness = robustness
    }

    /// The whole-network curve.
    public var whole: InterpolationCurve? { curves.first { $0.kind == .whole } }
    /// The single-layer curves.
    public var layers: [InterpolationCurve] { curves.filter { $0.kind == .layer } }
    /// The `first k` curves, k = 1, 2, ….
    public var firstLayers: [InterpolationCurve] { curves.filter { $0.kind == .first } }
}

/// Evaluates loss and accuracy along linear paths between two networks, for the whole
/// network, each layer alone (others at A, and at B), cumulative groups and user groups
/// (Adilova et al. 2024, ICLR, "Layer-wise Linear Mode Connectivity", Sec. 3–4).
///
/// ```swift
/// let analysis = ConnectivityAnalysis(pair: pair, train: trainSet, test: testSet)
/// let report = try analysis.run()
/// for c in report.curves { print(c.label, c.train.lossBarrier) }
/// ```
public final class ConnectivityAnalysis {
    public let pair: EndpointPair
    public let train: EvaluationSet
    public let test: EvaluationSet?
    public let options: ConnectivityOptions
    let evaluator: SetEvaluator

    public init(pair: EndpointPair, train: EvaluationSet, test: EvaluationSet?, options: ConnectivityOptions = .init()) {
        self.pair = pair
        self.train = train
        self.test = test
        self.options = options
        evaluator = SetEvaluator(batchSize: options.batchSize)
    }

    /// Whole network, every layer (others at each of `options.others`), `first k` and
    /// `last k` with the other layers at A when `options.cumulative` (k = L would be the
    /// whole path), then `custom` groups (others at each of `options.others`). The network
    /// holds θ_A afterwards.
    public func run(custom: [ParameterGroup] = []) throws -> ConnectivityReport {
        let net = pair.network
        let whole = try curve(ParameterGroup.all(net), kind: .whole, others: .a)
        var curves = [whole]
        for layer in ParameterGroup.layers(net) {
            for o in options.others { curves.append(try curve(layer, kind: .layer, others: o, reference: whole)) }
        }
        if options.cumulative {
            for g in ParameterGroup.firstLayers(net) { curves.append(try curve(g, kind: .first, others: .a, reference: whole)) }
            for g in ParameterGroup.lastLayers(net) { curves.append(try curve(g, kind: .last, others: .a, reference: whole)) }
        }
        for g in custom {
            for o in options.others { curves.append(try curve(g, kind: .custom, others: o, reference: whole)) }
        }
        pair.load(.a)
        return ConnectivityReport(alphas: options.alphas, curves: curves, robustness: [])
    }

    /// One path: `group` interpolated, everything else at `others`; `reference` (the whole
    /// network's curve) supplies L(θ_A) and L(θ_B) for the midpoint barrier.
    public func curve(_ group: ParameterGroup, kind: InterpolationCurve.Kind, others: Endpoint,
                      reference: InterpolationCurve? = nil) throws -> InterpolationCurve {
        var trainLoss: [Double] = [], trainAcc: [Double] = [], testLoss: [Double] = [], testAcc: [Double] = []
        for alpha in options.alphas {
            try pair.interpolate(group, alpha: Float(alpha), others: others)
            prepare()
            let r = evaluator.evaluate(pair.network, on: train)
            trainLoss.append(r.loss)
            if let a = r.accuracy { trainAcc.append(a) }
            if let test {
                let t = evaluator.evaluate(pair.network, on: test)
                testLoss.append(t.loss)
                if let a = t.accuracy { testAcc.append(a) }
            }
        }
        let a = options.alphas
        return InterpolationCurve(
            group: group.name, kind: kind, others: others,
            parameterCount: try pair.ranges(of: group).reduce(0) { $0 + $1.count }, distance: try pair.distance(group), alphas: a,
            train: PathMetrics(alphas: a, loss: trainLoss, accuracy: trainAcc.isEmpty ? nil : trainAcc, reference: reference?.train),
            test: test == nil ? nil : PathMetrics(alphas: a, loss: testLoss, accuracy: testAcc.isEmpty ? nil : testAcc,
                                                  reference: reference?.test))
    }

    /// Recomputes BatchNorm statistics for the parameters now in the network, if asked to.
    func prepare() {
        if options.recomputeBatchNorm { BatchNormStatistics.recompute(pair.network, on: train, batchSize: options.batchSize) }
    }

    /// Mean training loss of the parameters now in the network (after `prepare`).
    func trainLoss() -> Double {
        prepare()
        return evaluator.evaluate(pair.network, on: train).loss
    }
}
