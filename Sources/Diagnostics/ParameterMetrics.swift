import Networks

/// The `parameters` group (research spec §3: parameter norm and its growth [Lyle et al. 2024],
/// distance from initialisation, gradient norm, fraction of weights that changed sign). Layers are the layers owning parameters
/// (Linear, Conv2d, LayerNorm, BatchNorm), named by state-dict prefix, in network order (weight
/// before bias, never sorted); θ₀ is the initial snapshot and θ_task the task-start one.
///
/// | name | value |
/// |---|---|
/// | `param_norm` | ‖θ‖₂ over all parameters |
/// | `param_norm.<layer>` | ‖θ_layer‖₂ (weight and bias together) |
/// | `param_norm.<parameter>` | ‖θ_p‖₂ per tensor (`param_norm.layers.0.weight`) |
/// | `dist_from_init`, `dist_from_init.<layer>` | ‖θ − θ₀‖₂ |
/// | `dist_from_task_start`, `dist_from_task_start.<layer>` | ‖θ − θ_task‖₂ |
/// | `grad_norm`, `grad_norm.<layer>` | ‖∂L/∂θ‖₂ of the mean probe loss |
/// | `sign_flip_fraction.init`, `.init.<layer>` | fraction of Linear/Conv2d weights (not biases) with θ·θ₀ < 0 |
/// | `sign_flip_fraction.task_start`, `.task_start.<layer>` | the same against θ_task |
///
/// Distances and flips are left out when their reference is absent, gradient norms when there
/// is no gradient. Sums are accumulated in Double. A weight that is exactly zero in either
/// vector has not flipped.
public func parameterMetrics(network: Network, gradient: [Float]?, references: DiagnosticReferences) throws -> DiagnosticValues {
    let owners = parameterOwners(network)
    let theta = UnsafePointer(network.storage.values)
    var values = DiagnosticValues()

    let squares = owners.map { $0.parameters.map { sumOfSquares(theta + $0.parameter.offset, $0.parameter.count) } }
    values.set("param_norm", squares.joined().reduce(0, +).squareRoot())
    for (owner, perParameter) in zip(owners, squares) {
        values.set("param_norm." + owner.layer, perParameter.reduce(0, +).squareRoot())
        for (p, s) in zip(owner.parameters, perParameter) { values.set("param_norm." + p.name, s.squareRoot()) }
    }

    for (metric, snapshot) in [("dist_from_init", references.initial), ("dist_from_task_start", references.taskStart)] {
        guard let reference = snapshot?.parameters else { continue }
        try checkLength(reference, network, metric)
        reference.withUnsafeBufferPointer { r in
            emitNorms(metric, owners, into: &values) { sumOfSquaredDifferences(theta + $0.offset, r.baseAddress! + $0.offset, $0.count) }
        }
    }
    if let g = gradient {
        try checkLength(g, network, "grad_norm")
        g.withUnsafeBufferPointer { g in
            emitNorms("grad_norm", owners, into: &values) { sumOfSquares(g.baseAddress! + $0.offset, $0.count) }
        }
    }

    let weights = network.namedLayers.compactMap { entry -> (layer: String, weight: Parameter)? in
        guard entry.layer is any UnitLayer, let w = entry.layer.localParameters.first(where: { $0.name == "weight" }) else { return nil }
        return (entry.name, w.parameter)
    }
    for (label, snapshot) in [("init", references.initial), ("task_start", references.taskStart)] {
        guard let reference = snapshot?.parameters else { continue }
        try checkLength(reference, network, "sign_flip_fraction")
        let flips = reference.withUnsafeBufferPointer { r in
            weights.map { signFlips(theta + $0.weight.offset, r.baseAddress! + $0.weight.offset, $0.weight.count) }
        }
        let total = weights.reduce(0) { $0 + $1.weight.count }
        values.set("sign_flip_fraction." + label, Double(flips.reduce(0, +)) / Double(Swift.max(total, 1)))
        for (w, f) in zip(weights, flips) { values.set("sign_flip_fraction.\(label).\(w.layer)", Double(f) / Double(w.weight.count)) }
    }
    return values
}

/// `parameterMetrics` on a context's network, probe gradient and references.
public func parameterMetrics(_ context: DiagnosticContext) throws -> DiagnosticValues {
    try parameterMetrics(network: context.network, gradient: context.gradient, references: context.references)
}

/// Parameters grouped by the layer that owns them (name up to the last dot), network order.
func parameterOwners(_ network: Network) -> [(layer: String, parameters: [(name: String, parameter: Parameter)])] {
    var owners: [(layer: String, parameters: [(name: String, parameter: Parameter)])] = []
    for entry in network.parameters {
        let layer = entry.name.split(separator: ".").dropLast().joined(separator: ".")
        if owners.last?.layer == layer { owners[owners.count - 1].parameters.append(entry) } else { owners.append((layer, [entry])) }
    }
    return owners
}

/// Writes `metric` = √Σ over all parameters and `metric.<layer>` = √Σ per layer of `squaredSum(parameter)`.
private func emitNorms(_ metric: String, _ owners: [(layer: String, parameters: [(name: String, parameter: Parameter)])],
                       into values: inout DiagnosticValues, _ squaredSum: (Parameter) -> Double) {
    let perLayer = owners.map { $0.parameters.reduce(0) { $0 + squaredSum($1.parameter) } }
    values.set(metric, perLayer.reduce(0, +).squareRoot())
    for (owner, s) in zip(owners, perLayer) { values.set(MetricNames.perLayer(metric, owner.layer), s.squareRoot()) }
}

private func checkLength(_ vector: [Float], _ network: Network, _ metric: String) throws {
    guard vector.count == network.parameterCount else {
        throw DiagnosticError("\(metric): reference of \(vector.count) values for a network of \(network.parameterCount) parameters")
    }
}

func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
    var s = 0.0
    for i in 0..<n { s += Double(x[i]) * Double(x[i]) }
    return s
}

func sumOfSquaredDifferences(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Double {
    var s = 0.0
    for i in 0..<n { let d = Double(x[i]) - Double(y[i]); s += d * d }
    return s
}

private func signFlips(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Int {
    var count = 0
    for i in 0..<n where (x[i] > 0 && y[i] < 0) || (x[i] < 0 && y[i] > 0) { count += 1 }
    return count
}
