import Interventions
import Networks
import Tensors
import Training

/// A DQN run as the `TrainingContext` of catalogue interventions (`InterventionCatalog`).
///
/// The context's network and optimiser are the agent's online network and Adam; its tasks
/// are the run's game segments (one per game played, its steps the updates of that segment):
/// hooks get `taskWillStart` at each game start, `gradientsComputed` after each TD backward
/// pass (before the Adam step), `stepDidFinish` after it, and `taskDidFinish` at each switch
/// and at the end. `batchInputs` is the update's replay states (ReDo scores units on them);
/// `computeGradients` recomputes the TD loss of the same batch against the same targets (SAM).
/// Values hooks report are merged into the next metrics record. Plasticity injection (it
/// rebuilds the network) is not available here.
final class AgentTrainingContext: TrainingContext {
    static let unsupported = ["plasticity-injection"]
    let hooks: [any TrainingHook]
    var rng: RandomGenerator
    private(set) var position = StreamPosition()
    let taskSteps: Int
    let taskCount: Int
    private let agent: DQNAgent
    private var pending = MetricsRecord()

    /// The catalogue interventions `specs`, then `diagnostics` (last, so its task-start
    /// reference is the network the segment trains), as hooks on `agent`.
    init(_ specs: [InterventionSpec], agent: DQNAgent, segments: Int, updatesPerSegment: Int, seed: UInt64,
         diagnostics: (any TrainingHook)? = nil) throws {
        if let bad = specs.first(where: { Self.unsupported.contains($0.name) }) {
            throw RLError("intervention '\(bad.name)' is not available for the DQN (not supported: \(Self.unsupported.joined(separator: ", ")))")
        }
        hooks = try InterventionCatalog.make(specs) + (diagnostics.map { [$0] } ?? [])
        self.agent = agent
        taskCount = segments
        taskSteps = updatesPerSegment
        rng = RandomGenerator(seed: seed, stream: 4)
    }

    var network: Network { agent.online }
    var optimizer: any Optimizer { agent.optimizer }
    var batchInputs: Tensor { agent.states }

    func report(_ name: String, _ value: MetricValue) { pending[name] = value }
    func reported(_ name: String) -> MetricValue? { pending[name] }

    func announceUnitReset(layer: String, units: [Int]) {
        guard !units.isEmpty else { return }
        for h in hooks { h.unitsWereReset(self, layer: layer, units: units) }
    }

    @discardableResult
    func computeGradients() -> Float { agent.computeTDGradients() }

    /// Moves to `position` (when resuming from a checkpoint).
    func restore(position: StreamPosition) { self.position = position }

    func segmentWillStart(_ segment: Int) throws {
        position = StreamPosition(task: segment, step: 0, globalStep: agent.updates)
        for h in hooks { try h.taskWillStart(self) }
    }

    func gradientsComputed() throws {
        for h in hooks { try h.gradientsComputed(self) }
    }

    func updateDidFinish() throws {
        position = StreamPosition(task: position.task, step: position.step + 1, globalStep: agent.updates)
        for h in hooks { try h.stepDidFinish(self) }
    }

    func segmentDidFinish() throws {
        for h in hooks { try h.taskDidFinish(self) }
    }

    /// Takes what hooks reported since the last call.
    func takeMetrics() -> MetricsRecord {
        defer { pending = MetricsRecord() }
        return pending
    }
}
