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
}

extension Network {
    /// Parameters then buffers, copied, named as in PyTorch's `state_dict()` keys.
    public func stateDict() -> [StateEntry] {
        parameters.map { StateEntry(name: $0.name, tensor: $0.parameter.valueTensor()) }
            + buffers.map { StateEntry(name: $0.name, tensor: $0.buffer.tensor.copy(), storedType: $0.buffer.storedType) }
    }

    /// Copies matching entries into the parameters and buffers. With `strict`, a missing or
    /// unexpected key is an error; a shape mismatch is always an error. Nothing is modified
    /// unless every check passes.
    public func load(_ entries: [StateEntry], strict: Bool = true) throws {
        var byName: [String: StateEntry] = [:]
        for e in entries {
            guard byName.updateValue(e, forKey: e.name) == nil else {
                throw StateDictError(description: "duplicate key '\(e.name)'")
            }
        }
        var targets: [(String, UnsafeMutablePointer<Float>, Shape)] = []
        for (name, p) in parameters { targets.append((name, p.value, p.shape)) }
        for (name, b) in buffers { targets.append((name, b.tensor.data, b.tensor.shape)) }
        var plan: [(UnsafeMutablePointer<Float>, Tensor)] = []
        for (name, pointer, shape) in targets {
            guard let e = byName.removeValue(forKey: name) else {
                if strict { throw StateDictError(description: "missing key '\(name)'") }
                continue
            }
            guard e.tensor.shape == shape || (e.tensor.count == 1 && shape.elementCount == 1) else {
                throw StateDictError(description: "key '\(name)' has shape \(e.tensor.shape), the network expects \(shape)")
            }
            plan.append((pointer, e.tensor))
        }
        if strict, let extra = byName.keys.sorted().first {
            throw StateDictError(description: "unexpected key '\(extra)'")
        }
        for (pointer, t) in plan { pointer.update(from: t.data, count: t.count) }
    }
}
