import Networks

/// Continual backpropagation (Dohare et al. 2024, "Loss of plasticity in deep continual
/// learning", Nature): after every step each hidden unit i gets
/// - contribution utility u_i ← η·u_i + (1 − η)·|h_i|·Σ_k |w_ki|, with |h_i| the unit's mean
///   absolute activation on the step's batch and w_ki its outgoing weights (after the step);
///   a unit without an outgoing layer uses |h_i| alone;
/// - age a_i ← a_i + 1.
/// Per layer, ρ·(number of mature units, a_i > maturity) is added to an accumulator; its whole
/// part n is taken off and the n mature units of lowest utility (ties: lower index) are
/// re-initialised like ReDo (incoming re-drawn, outgoing zeroed, optimiser entries zeroed)
/// with u_i = a_i = 0. The paper's optional bias correction of the next layer is not applied.
///
/// State (utilities, ages, accumulators per layer) is saved in checkpoints. Reports
/// `cbp_replaced`, the units replaced since the last record.
public final class ContinualBackprop: ConfigurableIntervention {
    public static let info = InterventionInfo(
        name: "continual-backprop", summary: "each step re-initialises a fraction ρ of mature units with the lowest contribution utility",
        source: "Dohare et al. 2024",
        parameters: [("rho", "1e-4", "replacement rate ρ: fraction of mature units replaced per step (accumulated)"),
                     ("maturity", "100", "steps a unit must have lived before it can be replaced"),
                     ("decay", "0.99", "utility decay η of the running average")])
    public var name = ContinualBackprop.info.name
    public let rho: Float
    public let maturity: Float
    public let decay: Float
    /// Per hidden layer (by name): utilities, ages and the replacement accumulator.
    public private(set) var utility: [String: [Float]] = [:]
    public private(set) var age: [String: [Float]] = [:]
    public private(set) var accumulated: [String: Float] = [:]
    private var layers: [HiddenLayer]?

    public init(_ p: InterventionParameters) throws {
        rho = Float(try p.number("rho", in: 0...1))
        maturity = Float(try p.integer("maturity", in: 0...(1 << 24)))
        decay = Float(try p.number("decay", in: 0...1))
    }

    public func stepDidFinish(_ training: any TrainingContext) {
        if layers == nil { layers = training.network.hiddenLayers }
        var indices: [Int] = [], replaced = 0
        for layer in layers! {
            guard let activity = layer.meanAbsoluteActivation() else { continue }
            let out = layer.outgoingWeightMagnitudes() ?? activity.map { _ in 1 }
            var u = utility[layer.name] ?? activity.map { _ in 0 }
            var a = age[layer.name] ?? activity.map { _ in 0 }
            for i in u.indices {
                u[i] = decay * u[i] + (1 - decay) * activity[i] * out[i]
                a[i] += 1
            }
            let mature = a.indices.filter { a[$0] > maturity }
            var acc = (accumulated[layer.name] ?? 0) + rho * Float(mature.count)
            let n = Int(acc)
            if n > 0 {
                acc -= Float(n)
                let chosen = mature.sorted { (u[$0], $0) < (u[$1], $1) }.prefix(n).sorted()
                indices += layer.resetUnits(chosen, rng: &training.rng)
                training.announceUnitReset(layer: layer.name, units: Array(chosen))
                for i in chosen { u[i] = 0; a[i] = 0 }
                replaced += chosen.count
            }
            utility[layer.name] = u
            age[layer.name] = a
            accumulated[layer.name] = acc
        }
        guard replaced > 0 else { return }
        training.optimizer.resetState(indices: indices)
        if case .int(let earlier) = training.reported("cbp_replaced") { replaced += earlier }
        training.report("cbp_replaced", .int(replaced))
    }

    public func checkpointState() -> [String: [Float]] {
        var state: [String: [Float]] = [:]
        for (k, v) in utility { state["utility.\(k)"] = v }
        for (k, v) in age { state["age.\(k)"] = v }
        for (k, v) in accumulated { state["accumulated.\(k)"] = [v] }
        return state
    }

    public func restore(_ state: [String: [Float]]) throws {
        utility = [:]; age = [:]; accumulated = [:]
        for (key, v) in state {
            guard let dot = key.firstIndex(of: ".") else { throw InterventionError("\(name): unexpected checkpoint key '\(key)'") }
            let layer = String(key[key.index(after: dot)...])
            switch key[..<dot] {
            case "utility": utility[layer] = v
            case "age": age[layer] = v
            case "accumulated" where v.count == 1: accumulated[layer] = v[0]
            default: throw InterventionError("\(name): unexpected checkpoint key '\(key)'")
            }
        }
    }
}
