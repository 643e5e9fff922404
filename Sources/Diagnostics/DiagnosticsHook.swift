import Networks

/// Computes diagnostic groups on a fixed probe batch during training and writes the values
/// into the training loop's next metrics record (`TrainingContext.report`, `.double` or `.null`),
/// together with `diagnostics.global_step`, the global step they were measured at.
///
/// Schedule: after every `every`-th step of a task (task-local steps, as
/// `TrainerOptions.logEvery`; choose a multiple of `logEvery` so that the values land in that
/// step's record) and, if `atTaskEnds`, at each task end (merged into that task's "task_end" record).
/// A step measurement that falls on a task's last step is left to the task-end one. Groups
/// with cadence `.taskEnds` (the probe task) run only at task ends.
///
/// References: at every task start the hook snapshots θ and the pre-activation statistics
/// (`DiagnosticReferences`); the snapshot at global step 0 is also the initial one. Place the
/// hook after interventions that act at task boundaries, so the task-start reference is the
/// network the task actually trains. `checkpointState`/`restore` save the references and the
/// pending unit resets, so a resumed run reports exactly what an uninterrupted one does.
///
/// Measuring does not change training: the probe forward runs in evaluation mode and the
/// gradient buffer is restored after the probe gradient (see `DiagnosticContext`).
///
/// A loop with its own schedule (the DQN measures every N frames, on a probe of replay
/// states it refills in place) installs the hook with `every = 0, atTaskEnds = false`, so the
/// hook keeps its references and pending resets, and asks for `values(_:isTaskEnd:)` when it
/// wants them; `snapshotsPreactivations = false` keeps parameters-only references (no probe
/// exists when the first task starts), so no pre-activation drifts are reported.
///
/// ```swift
/// let hook = DiagnosticsHook(probe: ProbeBatch(inputs: x, targets: .labels(y)),
///                            groups: [.units(), .preactivations, .parameters, .features()], every: 100)
/// training.hooks.append(hook)
/// ```
public final class DiagnosticsHook: TrainingHook {
    public let name = "diagnostics"
    public let probe: ProbeBatch
    public let groups: [DiagnosticGroup]
    /// Measure after every this many steps of a task; 0: only at task ends.
    public let every: Int
    public let atTaskEnds: Bool
    /// Whether task-start snapshots include the probe's pre-activation statistics.
    public let snapshotsPreactivations: Bool
    /// The initial and task-start snapshots.
    public private(set) var references = DiagnosticReferences()
    /// Unit resets not yet measured: the global step after which they happened, the hidden layer, the units.
    private var resets: [(step: Int, layer: String, units: [Int])] = []

    public init(probe: ProbeBatch, groups: [DiagnosticGroup], every: Int = 0, atTaskEnds: Bool = true,
                snapshotsPreactivations: Bool = true) {
        precondition(every >= 0, "diagnostics: every must be ≥ 0")
        self.probe = probe
        self.groups = groups
        self.every = every
        self.atTaskEnds = atTaskEnds
        self.snapshotsPreactivations = snapshotsPreactivations
    }

    /// Records that `units` of hidden layer `layer` were re-initialised after global step
    /// `globalStep`; the first measurement after that step reports `dormant_again`.
    public func noteReset(layer: String, units: [Int], globalStep: Int) {
        if let i = resets.firstIndex(where: { $0.step == globalStep && $0.layer == layer }) {
            resets[i].units = Array(Set(resets[i].units + units)).sorted()
        } else {
            resets.append((globalStep, layer, Array(Set(units)).sorted()))
        }
    }

    /// Notes a reset announced by an intervention (ReDo, continual backprop) at the current step.
    public func unitsWereReset(_ training: any TrainingContext, layer: String, units: [Int]) {
        noteReset(layer: layer, units: units, globalStep: training.position.globalStep)
    }

    public func taskWillStart(_ training: any TrainingContext) throws {
        let snapshot = snapshotsPreactivations
            ? DiagnosticReferences.Snapshot(DiagnosticContext(network: training.network, probe: probe, computeGradient: false))
            : DiagnosticReferences.Snapshot(parameters: training.network.parameterVector(), preactivations: [])
        if training.position.globalStep == 0 && references.initial == nil { references.initial = snapshot }
        references.taskStart = snapshot
    }

    public func stepDidFinish(_ training: any TrainingContext) throws {
        let step = training.position.step
        guard every > 0, step % every == 0, !(atTaskEnds && step == training.taskSteps) else { return }
        try measure(training, isTaskEnd: false)
    }

    public func taskDidFinish(_ training: any TrainingContext) throws {
        if atTaskEnds { try measure(training, isTaskEnd: true) }
    }

    /// Computes the groups due now and reports their values (`TrainingContext.report`).
    func measure(_ training: any TrainingContext, isTaskEnd: Bool) throws {
        guard let values = try values(training, isTaskEnd: isTaskEnd) else { return }
        training.report("diagnostics.global_step", .int(training.position.globalStep))
        for (name, value) in values.entries { training.report(name, value) }
    }

    /// The values of the groups due now (every group at a task end, the `.everyMeasurement`
    /// ones otherwise) against the references, with `dormant_again` for the units reset since
    /// the last measurement; nil when no group is due.
    public func values(_ training: any TrainingContext, isTaskEnd: Bool) throws -> DiagnosticValues? {
        let due = groups.filter { $0.cadence == .everyMeasurement || isTaskEnd }
        guard !due.isEmpty else { return nil }
        let now = training.position.globalStep
        var resetUnits: [String: [Int]] = [:]
        for r in resets where r.step < now { resetUnits[r.layer, default: []] += r.units }
        resets.removeAll { $0.step < now }
        let context = DiagnosticContext(network: training.network, probe: probe, references: references,
                                        resetUnits: resetUnits, isTaskEnd: isTaskEnd,
                                        computeGradient: due.contains { $0.usesGradient })
        var values = DiagnosticValues()
        for group in due { values.merge(try group.compute(context)) }
        return values
    }

    /// The references (`DiagnosticReferences.checkpointState`) and each pending reset as
    /// `resets.<global step>.<layer>` = unit indices.
    public func checkpointState() -> [String: [Float]] {
        var state = references.checkpointState()
        for r in resets { state["resets.\(r.step).\(r.layer)"] = r.units.map(Float.init) }
        return state
    }

    public func restore(_ state: [String: [Float]]) throws {
        references = try DiagnosticReferences(checkpointState: state)
        resets = try state.filter { $0.key.hasPrefix("resets.") }.sorted { $0.key < $1.key }.map { key, units in
            let rest = key.dropFirst("resets.".count)
            let indices = units.compactMap { Int(exactly: $0) }
            guard let dot = rest.firstIndex(of: "."), let step = Int(rest[..<dot]), indices.count == units.count else {
                throw DiagnosticError("diagnostics checkpoint: malformed reset entry '\(key)'")
            }
            return (step, String(rest[rest.index(after: dot)...]), indices)
        }
    }
}
