import Foundation
import Networks

/// Which endpoint the parameters outside an interpolated group keep.
public enum Endpoint: String, Sendable, Codable {
    case a = "A", b = "B"
}

/// Two parameter sets θ_A and θ_B of one architecture, and the network they are written into.
///
/// θ(α) for a group G is θ_base outside G and `θ_A + α·(θ_B − θ_A)` = (1−α)θ_A + αθ_B inside
/// G (exactly θ_A at α = 0 and θ_B at α = 1), as in Adilova et al. 2024 (ICLR, "Layer-wise
/// Linear Mode Connectivity", Def. 2, layer-wise interpolation). Writing θ(α) is one copy of
/// the base vector into the network's flat parameter buffer and one loop over G's contiguous
/// ranges of it, so every parameter outside G stays bit-identical to the base endpoint.
///
/// ```swift
/// let pair = try EndpointPair(network: net, a: URL(fileURLWithPath: "A.safetensors"),
///                             b: URL(fileURLWithPath: "B.safetensors"))
/// try pair.interpolate(ParameterGroup.layers(net)[1], alpha: 0.5, others: .a)
/// ```
public final class EndpointPair {
    /// The network whose parameters and buffers hold θ(α) after `interpolate`.
    public let network: Network
    /// θ_A and θ_B as flat vectors in network order (`network.storage` layout).
    public let a: [Float], b: [Float]
    /// Buffer values (BatchNorm running statistics) of A and B, aligned with `network.buffers`.
    let buffersA: [[Float]], buffersB: [[Float]]
    /// Each parameter's range in the flat buffer, by name.
    private let offsets: [String: Range<Int>]

    /// Loads A and B from state-dict entries into `network`'s layout. Every name and shape
    /// must match the network (a missing, unexpected or misshapen key is an error naming
    /// `sourceA` or `sourceB`). The network is left holding θ_A.
    public init(network: Network, a entriesA: [StateEntry], b entriesB: [StateEntry],
                sourceA: String = "A", sourceB: String = "B") throws {
        self.network = network
        var offsets: [String: Range<Int>] = [:], offset = 0
        for (name, p) in network.parameters {
            offsets[name] = offset..<(offset + p.count)
            offset += p.count
        }
        self.offsets = offsets
        func capture(_ entries: [StateEntry], _ source: String) throws -> ([Float], [[Float]]) {
            do { try network.load(entries, strict: true) } catch let e as StateDictError {
                throw ConnectivityError("\(source): \(e.description)")
            }
            return (network.parameterVector(), network.buffers.map(\.buffer.tensor.values))
        }
        let loadedB = try capture(entriesB, sourceB)
        let loadedA = try capture(entriesA, sourceA)
        (b, buffersB) = loadedB
        (a, buffersA) = loadedA
    }

    /// Loads A and B from safetensors files: run checkpoints (their optimiser and hook
    /// entries are skipped), `model.safetensors` of a run, or PyTorch `state_dict`s saved with
    /// `safetensors.torch.save_file` under the network's names.
    public convenience init(network: Network, a: URL, b: URL) throws {
        try self.init(network: network, a: try Self.modelEntries(a), b: try Self.modelEntries(b),
                      sourceA: a.path, sourceB: b.path)
    }

    /// The model entries of a safetensors file; drops the `optimizer.` and `hook.` entries of
    /// a PlasticityLab run checkpoint (metadata format `plasticitylab-checkpoint-1`).
    public static func modelEntries(_ url: URL) throws -> [StateEntry] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ConnectivityError("\(url.path): no such file") }
        return try SafetensorsFile.read(contentsOf: url).networkEntries()
    }

    /// The contiguous index ranges of `group` in the flat parameter buffer.
    public func ranges(of group: ParameterGroup) throws -> [Range<Int>] {
        var out: [Range<Int>] = []
        for name in group.parameterNames {
            guard let r = offsets[name] else { throw ConnectivityError("group '\(group.name)': no parameter named '\(name)'") }
            if let last = out.last, last.upperBound == r.lowerBound { out[out.count - 1] = last.lowerBound..<r.upperBound } else { out.append(r) }
        }
        return out
    }

    /// Writes θ(α) into the network: `others` everywhere, (1−α)θ_A + αθ_B on `group`'s
    /// parameters. Float buffers (running statistics) of the group's layers are interpolated
    /// the same way and the rest copied from `others`; recompute them afterwards with
    /// `BatchNormStatistics.recompute` for the usual protocol.
    public func interpolate(_ group: ParameterGroup, alpha: Float, others: Endpoint) throws {
        let ranges = try ranges(of: group)
        let base = others == .a ? a : b
        let dst = network.storage.values
        base.withUnsafeBufferPointer { dst.update(from: $0.baseAddress!, count: $0.count) }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for r in ranges { mix(dst, pa.baseAddress!, pb.baseAddress!, r, alpha) }
            }
        }
        let modules = Set(group.parameterNames.map(moduleName))
        for (i, (name, buffer)) in network.buffers.enumerated() {
            let t = buffer.tensor
            let source = others == .a ? buffersA[i] : buffersB[i]
            source.withUnsafeBufferPointer { t.data.update(from: $0.baseAddress!, count: t.count) }
            guard buffer.storedType == .float32, modules.contains(moduleName(name)) else { continue }
            buffersA[i].withUnsafeBufferPointer { pa in
                buffersB[i].withUnsafeBufferPointer { pb in mix(t.data, pa.baseAddress!, pb.baseAddress!, 0..<t.count, alpha) }
            }
        }
    }

    /// Writes θ_A or θ_B (parameters and buffers) into the network.
    public func load(_ endpoint: Endpoint) {
        network.setParameterVector(endpoint == .a ? a : b)
        for (i, (_, buffer)) in network.buffers.enumerated() {
            let source = endpoint == .a ? buffersA[i] : buffersB[i]
            source.withUnsafeBufferPointer { buffer.tensor.data.update(from: $0.baseAddress!, count: buffer.tensor.count) }
        }
    }

    /// ‖θ_A − θ_B‖₂ over `group`'s parameters.
    public func distance(_ group: ParameterGroup) throws -> Double {
        var sum = 0.0
        for r in try ranges(of: group) {
            for i in r { let d = Double(b[i] - a[i]); sum += d * d }
        }
        return sum.squareRoot()
    }
}

/// dst[i] = a[i] + α(b[i] − a[i]) on `range`; exactly a at α = 0 and b at α = 1.
private func mix(_ dst: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                 _ range: Range<Int>, _ alpha: Float) {
    if alpha == 0 { (dst + range.lowerBound).update(from: a + range.lowerBound, count: range.count); return }
    if alpha == 1 { (dst + range.lowerBound).update(from: b + range.lowerBound, count: range.count); return }
    for i in range { dst[i] = a[i] + alpha * (b[i] - a[i]) }
}

/// The module a state-dict name belongs to (`layers.2.weight` → `layers.2`).
func moduleName(_ name: String) -> String {
    name.split(separator: ".").dropLast().joined(separator: ".")
}
