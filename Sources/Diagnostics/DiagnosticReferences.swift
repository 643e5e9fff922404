import Networks

/// The reference points drift metrics compare with: a snapshot before the first training
/// step (`initial`, θ₀) and one at the start of the current task (`taskStart`).
///
/// A snapshot holds the parameter vector (network order) and every hidden layer's
/// pre-activation statistics on the probe batch, rounded to Float so that a checkpoint
/// (`checkpointState`, Float vectors) restores it bit for bit.
public struct DiagnosticReferences: Sendable, Equatable {
    /// One reference point.
    public struct Snapshot: Sendable, Equatable {
        /// θ in network order.
        public var parameters: [Float]
        /// Per hidden layer, in `network.hiddenLayers` order, Float-rounded.
        public var preactivations: [PreactivationStatistics]

        public init(parameters: [Float], preactivations: [PreactivationStatistics]) {
            self.parameters = parameters
            self.preactivations = preactivations.map(\.roundedToFloat)
        }

        /// θ and the pre-activation statistics of `context`.
        public init(_ context: DiagnosticContext) {
            self.init(parameters: context.network.parameterVector(),
                      preactivations: context.layers.map(PreactivationStatistics.init))
        }
    }

    public var initial: Snapshot?
    public var taskStart: Snapshot?

    public init(initial: Snapshot? = nil, taskStart: Snapshot? = nil) {
        self.initial = initial
        self.taskStart = taskStart
    }

    /// Flat vectors: `<init|task_start>.parameters` and `<init|task_start>.preactivations`
    /// (mean, std pairs in hidden-layer order).
    public func checkpointState() -> [String: [Float]] {
        var state: [String: [Float]] = [:]
        for (key, snapshot) in [("init", initial), ("task_start", taskStart)] {
            guard let s = snapshot else { continue }
            state[key + ".parameters"] = s.parameters
            state[key + ".preactivations"] = s.preactivations.flatMap { [Float($0.mean), Float($0.std)] }
        }
        return state
    }

    /// Restores what `checkpointState` wrote; keys it did not write are ignored.
    public init(checkpointState state: [String: [Float]]) throws {
        func snapshot(_ key: String) throws -> Snapshot? {
            guard let parameters = state[key + ".parameters"] else { return nil }
            guard let pairs = state[key + ".preactivations"], pairs.count % 2 == 0 else {
                throw DiagnosticError("diagnostics checkpoint: '\(key).preactivations' is missing or has an odd length")
            }
            let stats = stride(from: 0, to: pairs.count, by: 2).map {
                PreactivationStatistics(mean: Double(pairs[$0]), std: Double(pairs[$0 + 1]))
            }
            return Snapshot(parameters: parameters, preactivations: stats)
        }
        self.init(initial: try snapshot("init"), taskStart: try snapshot("task_start"))
    }
}
