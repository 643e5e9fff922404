import Tensors

/// A layer of hidden units as diagnostics and interventions see it: the Linear/Conv2d that
/// produces the units (`incoming`), an optional normalisation, the activation whose input is
/// the pre-activation z and whose output is h, and the next Linear/Conv2d that reads h
/// (`outgoing`). Named by the incoming layer's state-dict prefix (`layers.0`), as the
/// research spec's conventions require.
///
/// A unit is an output feature of a Linear or an output channel of a Conv2d; statistics over
/// a unit pool the batch and, for convolutions, all spatial positions.
public struct HiddenLayer {
    public let name: String
    public let incoming: any UnitLayer
    public let normalization: (any Layer)?
    public let activation: any Layer
    public let outgoing: (any UnitLayer)?

    /// Number of units.
    public var unitCount: Int { incoming.unitCount }
    /// The activation as unit metrics see it; nil for Fourier features.
    public var nonlinearity: UnitNonlinearity? {
        if activation is CReLU { return .crelu }
        return (activation as? Activation).map { .elementwise($0.function) }
    }
    /// 2 for CReLU and Fourier features (each unit feeds two activation channels), else 1.
    public var activationMultiplier: Int { activation is CReLU || activation is FourierActivation ? 2 : 1 }
    /// Input features of `outgoing` per activation channel (spatial positions after Flatten).
    public var outgoingGroup: Int {
        guard let out = outgoing else { return 1 }
        let channels = unitCount * activationMultiplier
        return out is Linear ? Swift.max(out.inputUnitCount / channels, 1) : 1
    }

    /// Re-initialises `units`: incoming weights and biases re-drawn from the layer's
    /// initialiser, outgoing weights set to zero (ReDo, Sokar et al. 2023; continual backprop,
    /// Dohare et al. 2024). Returns the flat parameter indices that changed, so optimiser
    /// state can be reset for exactly those entries.
    @discardableResult
    public func resetUnits(_ units: [Int], rng: inout RandomGenerator) -> [Int] {
        guard !units.isEmpty else { return [] }
        incoming.reinitializeUnits(units, rng: &rng)
        var changed = incomingIndices(units)
        if let out = outgoing {
            let channels = units + (activationMultiplier == 2 ? units.map { $0 + unitCount } : [])
            out.setInputWeights(of: channels, group: outgoingGroup, to: 0)
            changed += outgoingIndices(channels)
        }
        return changed
    }

    /// Flat storage indices of the incoming weights and biases of `units`.
    public func incomingIndices(_ units: [Int]) -> [Int] {
        let params = incoming.localParameters
        guard let w = params.first(where: { $0.name == "weight" })?.parameter else { return [] }
        let perUnit = w.count / unitCount
        var out: [Int] = []
        for u in units { out += (0..<perUnit).map { w.offset + u * perUnit + $0 } }
        if let b = params.first(where: { $0.name == "bias" })?.parameter { out += units.map { b.offset + $0 } }
        return out
    }

    /// Flat storage indices of the outgoing weights that read the given activation channels.
    func outgoingIndices(_ channels: [Int]) -> [Int] {
        guard let out = outgoing, let w = out.localParameters.first(where: { $0.name == "weight" })?.parameter else { return [] }
        let inputs = out.inputUnitCount, rows = w.count / inputs
        var result: [Int] = []
        if out is Linear {
            let g = outgoingGroup
            for r in 0..<rows { for c in channels { result += (0..<g).map { w.offset + r * inputs + c * g + $0 } } }
        } else {
            let kk = w.count / (rows * inputs)
            for r in 0..<rows { for c in channels { result += (0..<kk).map { w.offset + (r * inputs + c) * kk + $0 } } }
        }
        return result
    }
}

extension Network {
    /// The hidden layers in forward order, found by walking every `Sequential` (including
    /// residual bodies): a Linear/Conv2d, optional LayerNorm/BatchNorm, then a non-identity
    /// activation or CReLU form a hidden layer; the next Linear/Conv2d in the same sequence
    /// (across pooling and Flatten) is its outgoing layer.
    public var hiddenLayers: [HiddenLayer] {
        var result: [HiddenLayer] = []
        for (name, layer) in namedLayers {
            guard let seq = layer as? Sequential else { continue }
            result += Self.hidden(in: seq, prefix: name)
        }
        return result
    }

    private static func hidden(in seq: Sequential, prefix: String) -> [HiddenLayer] {
        var found: [HiddenLayer] = []
        var pending: (name: String, layer: any UnitLayer, norm: (any Layer)?)?
        var open: (name: String, layer: any UnitLayer, norm: (any Layer)?, activation: any Layer)?
        for (i, layer) in seq.layers.enumerated() {
            let name = prefix.isEmpty ? String(i) : "\(prefix).\(i)"
            if let unit = layer as? any UnitLayer {
                if let o = open { found.append(HiddenLayer(name: o.name, incoming: o.layer, normalization: o.norm, activation: o.activation, outgoing: unit)) }
                open = nil
                pending = (name, unit, nil)
            } else if layer is LayerNorm || layer is BatchNorm {
                if pending != nil && pending?.norm == nil { pending?.norm = layer }
            } else if layer is CReLU || layer is FourierActivation || ((layer as? Activation).map { $0.function != .identity } ?? false) {
                if let p = pending { open = (p.name, p.layer, p.norm, layer) }
                pending = nil
            } else if !(layer is Flatten || layer is MaxPool2d || layer is AvgPool2d || layer is GlobalAvgPool2d) {
                if let o = open { found.append(HiddenLayer(name: o.name, incoming: o.layer, normalization: o.norm, activation: o.activation, outgoing: nil)) }
                open = nil
                pending = nil
            }
        }
        if let o = open { found.append(HiddenLayer(name: o.name, incoming: o.layer, normalization: o.norm, activation: o.activation, outgoing: nil)) }
        return found
    }
}
