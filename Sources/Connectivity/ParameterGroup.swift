import Networks

/// A named set of parameters interpolated together, e.g. one layer (`layers.2` = its weight
/// and bias), the first k layers, or any list of state-dict names.
///
/// Layers follow Adilova et al. 2024 (ICLR, "Layer-wise Linear Mode Connectivity"): a layer is
/// every parameter sharing the module name left after removing the last dotted component
/// (`layers.2.weight`, `layers.2.bias` → `layers.2`). A BatchNorm or LayerNorm's affine
/// parameters therefore form a layer of their own.
public struct ParameterGroup: Sendable, Equatable, Codable {
    /// A label for tables and charts: `all`, `layers.2`, `first 3`, `last 2`, or user-given.
    public let name: String
    /// State-dict names of the parameters in the group, in network order.
    public let parameterNames: [String]

    public init(name: String, parameterNames: [String]) {
        self.name = name
        self.parameterNames = parameterNames
    }

    /// Every parameter of `network`.
    public static func all(_ network: Network) -> ParameterGroup {
        ParameterGroup(name: "all", parameterNames: network.parameters.map(\.name))
    }

    /// One group per layer (module) of `network`, in network order.
    public static func layers(_ network: Network) -> [ParameterGroup] {
        var order: [String] = [], members: [String: [String]] = [:]
        for (name, _) in network.parameters {
            let module = name.split(separator: ".").dropLast().joined(separator: ".")
            if members[module] == nil { order.append(module) }
            members[module, default: []].append(name)
        }
        return order.map { ParameterGroup(name: $0.isEmpty ? "root" : $0, parameterNames: members[$0]!) }
    }

    /// The cumulative groups `first k` (layers 1…k) for k = 1…L−1: where along the depth the
    /// whole-network barrier appears (Adilova et al. 2024, Sec. 4). k = L is the whole network.
    public static func firstLayers(_ network: Network) -> [ParameterGroup] {
        cumulative(layers(network), label: "first", order: network)
    }

    /// The cumulative groups `last k` (the k deepest layers) for k = 1…L−1.
    public static func lastLayers(_ network: Network) -> [ParameterGroup] {
        cumulative(layers(network).reversed(), label: "last", order: network)
    }

    private static func cumulative(_ layers: [ParameterGroup], label: String, order network: Network) -> [ParameterGroup] {
        guard layers.count > 1 else { return [] }
        return (1..<layers.count).map { k in
            let chosen = Set(layers.prefix(k).flatMap(\.parameterNames))
            return ParameterGroup(name: "\(label) \(k)", parameterNames: network.parameters.map(\.name).filter(chosen.contains))
        }
    }

    /// A user-given group; every name must be a parameter of `network` (or a layer name,
    /// which stands for all its parameters).
    public static func custom(name: String, members: [String], in network: Network) throws -> ParameterGroup {
        let known = network.parameters.map(\.name)
        var chosen = Set<String>()
        for m in members {
            let matches = known.filter { $0 == m || $0.hasPrefix(m + ".") }
            guard !matches.isEmpty else {
                throw ConnectivityError("group '\(name)': '\(m)' is not a parameter or layer of the network (parameters: \(known.joined(separator: ", ")))")
            }
            chosen.formUnion(matches)
        }
        return ParameterGroup(name: name, parameterNames: known.filter(chosen.contains))
    }
}

/// A problem with connectivity inputs (checkpoints, groups, data); one line naming it.
public struct ConnectivityError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
