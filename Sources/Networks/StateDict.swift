import Tensors

/// One named tensor of a state dict, with the type it is stored as.
public struct StateEntry {
    public let name: String
    public let tensor: Tensor
    public let storedType: Buffer.StoredType

    public init(name: String, tensor: Tensor, storedType: Buffer.StoredType = .float32) {
        self.name = name
        self.tensor = tensor
        self.storedType = storedType
    }
}

/// A problem loading a state dict into a network; `description` names the key.
public struct StateDictError: Error, CustomStringConvertible {
    public let description: String
    /// Whether the entry names and shapes fit but a value is NaN or infinite.
    public var isNonFinite = false
}

extension Network {
    /// Parameters then buffers, copied, named as in PyTorch's `state_dict()` keys.
    public func stateDict() -> [StateEntry] {
        parameters.map { StateEntry(name: $0.name, tensor: $0.parameter.valueTensor()) }
            + buffers.map { StateEntry(name: $0.name, tensor: $0.buffer.tensor.copy(), storedType: $0.buffer.storedType) }
    }

    /// Copies matching entries into the parameters and buffers. With `strict`, a missing or
    /// unexpected key is an error; a shape mismatch or a NaN/infinite value is always an error
    /// (naming the key and the first bad index). Nothing is modified
    /// unless every check passes. A state dict named as before the mlp always began with its
    /// Flatten (see `legacyRenaming(of:)`) loads too.
    public func load(_ entries: [StateEntry], strict: Bool = true) throws {
        let rename = legacyRenaming(of: entries.map(\.name)) ?? { $0 }
        var byName: [String: StateEntry] = [:]
        for e in entries.map({ StateEntry(name: rename($0.name), tensor: $0.tensor, storedType: $0.storedType) }) {
            guard byName.updateValue(e, forKey: e.name) == nil else {
                throw StateDictError(description: "duplicate key '\(e.name)'")
            }
        }
        var targets: [(String, UnsafeMutablePointer<Float>, Shape)] = []
        for (name, p) in parameters { targets.append((name, p.value, p.shape)) }
        for (name, b) in buffers { targets.append((name, b.tensor.data, b.tensor.shape)) }
        var plan: [(name: String, pointer: UnsafeMutablePointer<Float>, tensor: Tensor)] = []
        for (name, pointer, shape) in targets {
            guard let e = byName.removeValue(forKey: name) else {
                if strict { throw StateDictError(description: "missing key '\(name)'") }
                continue
            }
            guard e.tensor.shape == shape || (e.tensor.count == 1 && shape.elementCount == 1) else {
                throw StateDictError(description: "key '\(name)' has shape \(e.tensor.shape), the network expects \(shape)")
            }
            plan.append((name, pointer, e.tensor))
        }
        if strict, let extra = byName.keys.sorted().first {
            throw StateDictError(description: "unexpected key '\(extra)'")
        }
        for (name, _, t) in plan {
            if let i = (0..<t.count).first(where: { !t.data[$0].isFinite }) {
                throw StateDictError(description: "key '\(name)' holds \(t.data[i]) at flat index \(i) of \(t.count): parameters and buffers must be finite",
                                     isNonFinite: true)
            }
        }
        for (_, pointer, t) in plan { pointer.update(from: t.data, count: t.count) }
    }
}

extension Network {
    /// The renaming that makes a state dict written under older names fit this network, or nil
    /// when `names` need none (or no renaming makes them fit).
    ///
    /// Until an mlp always began with its parameterless Flatten, an mlp on vectors had no
    /// Flatten and its layers were numbered from `layers.0` (images: `layers.1`). When this
    /// network's names are exactly `names` with every `<prefix>.<i>` index raised by one, the
    /// renaming raises them (in a name such as `utility.layers.0` too, the form hooks key their
    /// checkpoint state by). Exact equality of the two name sets keeps this unambiguous: a dict
    /// that fits as it is, or fits neither way, is not renamed.
    public func legacyRenaming(of names: [String]) -> ((String) -> String)? {
        let own = Set(parameters.map(\.name) + buffers.map(\.name)), given = Set(names)
        guard !prefix.isEmpty, given != own else { return nil }
        let prefix = self.prefix
        let rename = { (name: String) in Self.raisingLayerIndex(in: name, prefix: prefix) }
        return Set(names.map(rename)) == own ? rename : nil
    }

    /// `name` with the index after its first `<prefix>.` component raised by one.
    private static func raisingLayerIndex(in name: String, prefix: String) -> String {
        var parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let i = parts.indices.dropLast().first(where: { parts[$0] == prefix }), let index = Int(parts[i + 1]) else {
            return name
        }
        parts[i + 1] = String(index + 1)
        return parts.joined(separator: ".")
    }
}
