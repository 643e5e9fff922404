import Networks

/// The reference points drift metrics compare with: a snapshot before the first training
/// step (`initial`, θ₀) and one at the start of the current task (`taskStart`).
///
/// A snapshot holds the parameter vector (network order) and every hidden layer's
/// pre-activation statistics on the probe batch, after and before normalisation, rounded to
/// Float so that a checkpoint (`checkpointState`, Float vectors) restores it bit for bit.
public struct DiagnosticReferences: Sendable, Equatable {
    /// One reference point.
    public struct Snapshot: Sendable, Equatable {
        /// θ in network order.
        public var parameters: [Float]
        /// Per hidden layer, in `network.hiddenLayers` order, Float-rounded.
        public var preactivations: [PreactivationStatistics]
        /// The same before normalisation (equal to `preactivations` for a layer without one);
        /// empty in a snapshot restored from a checkpoint written before they were kept.
        public var prenormalization: [PreactivationStatistics]

        public init(parameters: [Float], preactivations: [PreactivationStatistics], prenormalization: [PreactivationStatistics] = []) {
            self.parameters = parameters
            self.preactivations = preactivations.map(\.roundedToFloat)
            self.prenormalization = prenormalization.map(\.roundedToFloat)
        }

        /// θ and the pre-activation statistics of `context`.
        public init(_ context: DiagnosticContext) {
            self.init(parameters: context.network.parameterVector(),
                      preactivations: context.layers.map { PreactivationStatistics($0) },
                      prenormalization: context.layers.map { PreactivationStatistics(prenormalization: $0) })
        }
    }

    public var initial: Snapshot?
    public var taskStart: Snapshot?

    public init(initial: Snapshot? = nil, taskStart: Snapshot? = nil) {
        self.initial = initial
        self.taskStart = taskStart
    }

    /// Flat vectors: `<init|task_start>.parameters`, `<init|task_start>.preactivations` and
    /// `<init|task_start>.preactivations_prenorm` (mean, std pairs in hidden-layer order).
    public func checkpointState() -> [String: [Float]] {
        var state: [String: [Float]] = [:]
        for (key, snapshot) in [("init", initial), ("task_start", taskStart)] {
            guard let s = snapshot else { continue }
            state[key + ".parameters"] = s.parameters
            state[key + ".preactivations"] = s.preactivations.flatMap { [Float($0.mean), Float($0.std)] }
            if !s.prenormalization.isEmpty {
                state[key + ".preactivations_prenorm"] = s.prenormalization.flatMap { [Float($0.mean), Float($0.std)] }
            }
        }
        return state
    }

    /// Restores what `checkpointState` wrote; keys it did not write are ignored.
    public init(checkpointState state: [String: [Float]]) throws {
        func statistics(_ name: String, _ pairs: [Float]) throws -> [PreactivationStatistics] {
            guard pairs.count % 2 == 0 else { throw DiagnosticError("diagnostics checkpoint: '\(name)' has an odd length") }
            return stride(from: 0, to: pairs.count, by: 2).map {
                PreactivationStatistics(mean: Double(pairs[$0]), std: Double(pairs[$0 + 1]))
            }
        }
        func snapshot(_ key: String) throws -> Snapshot? {
            guard let parameters = state[key + ".parameters"] else { return nil }
            guard let pairs = state[key + ".preactivations"] else {
                throw DiagnosticError("diagnostics checkpoint: '\(key).preactivations' is missing")
            }
            let before = try state[key + ".preactivations_prenorm"].map { try statistics(key + ".preactivations_prenorm", $0) } ?? []
            return Snapshot(parameters: parameters, preactivations: try statistics(key + ".preactivations", pairs), prenormalization: before)
        }
        self.init(initial: try snapshot("init"), taskStart: try snapshot("task_start"))
    }
}
