import Interventions
import Networks
import Streams
import Tensors
import Training

/// Runs catalogue interventions (`InterventionCatalog`, `TrainerHook`) inside a DQN run.
///
/// Hooks see the agent through a `Trainer` whose network and optimiser are the agent's online
/// network and Adam, and whose tasks are the run's game segments (one task per game played,
/// its steps the updates of that segment): `taskWillStart` at each game start,
/// `gradientsComputed` after each TD backward pass (before the Adam step), `stepDidFinish`
/// after it, and `taskDidFinish` at each switch and at the end. `trainer.batchInputs` holds the
/// update's replay states (ReDo scores units on them). Values hooks report are merged into the
/// next metrics record. SAM (it re-computes a supervised loss) and plasticity injection (it
/// rebuilds the network) are not available here.
final class AgentHooks {
    static let unsupported = ["sam", "plasticity-injection"]
    let hooks: [any TrainerHook]
    let trainer: Trainer
    private let agent: DQNAgent

    init(_ specs: [InterventionSpec], agent: DQNAgent, segments: Int, updatesPerSegment: Int, seed: UInt64) throws {
        if let bad = specs.first(where: { Self.unsupported.contains($0.name) }) {
            throw RLError("intervention '\(bad.name)' is not available for the DQN (not supported: \(Self.unsupported.joined(separator: ", ")))")
        }
        hooks = try InterventionCatalog.make(specs)
        self.agent = agent
        let stream = SegmentStream(taskCount: segments, steps: updatesPerSegment,
                                   exampleShape: Shape(agent.channels, 10, 10), outputWidth: agent.actionCount)
        trainer = Trainer(network: agent.online, optimizer: agent.optimizer, stream: stream, loss: .huber(),
                          rng: RandomGenerator(seed: seed, stream: 4))
        trainer.hooks = hooks
    }

    private var position: StreamPosition { trainer.position }

    func segmentWillStart(_ segment: Int) throws {
        trainer.restore(position: StreamPosition(task: segment, step: 0, globalStep: agent.updates))
        for h in hooks { try h.taskWillStart(trainer) }
    }

    func gradientsComputed() throws {
        trainer.batchInputs.assign(agent.states)
        for h in hooks { try h.gradientsComputed(trainer) }
    }

    func updateDidFinish() throws {
        let p = position
        trainer.restore(position: StreamPosition(task: p.task, step: p.step + 1, globalStep: agent.updates))
        for h in hooks { try h.stepDidFinish(trainer) }
    }

    func segmentDidFinish() throws {
        for h in hooks { try h.taskDidFinish(trainer) }
    }

    /// Takes what hooks reported since the last call.
    func takeMetrics() -> MetricsRecord {
        let m = trainer.pendingMetrics
        trainer.pendingMetrics = MetricsRecord()
        return m
    }
}

/// The run's game segments as a task stream for `AgentHooks`' trainer: tasks carry no data
/// (the replay buffer is the data), only their index and length.
struct SegmentStream: TaskStream {
    let name = "minatar"
    let taskCount: Int
    let steps: Int
    let exampleShape: Shape
    let outputWidth: Int

    func task(_ index: Int) -> StreamTask {
        StreamTask(index: index, train: TaskData(exampleShape: exampleShape, inputs: [], targets: .values([], width: outputWidth)),
                   evaluation: [], steps: steps)
    }
}
