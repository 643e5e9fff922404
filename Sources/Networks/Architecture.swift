import Tensors

/// A network architecture chosen by name, as written in an experiment config, that builds a
/// `Network` for a given input shape and number of outputs.
///
/// Every family builds one flat `Sequential` held as `layers`, so state-dict keys are
/// `layers.<i>.weight` exactly as a PyTorch module holding `self.layers = nn.Sequential(…)`.
/// Below, `norm(·)` is left out when `norm == .none`, `act` is the activation layer and
/// `conv3×3(c)` is `nn.Conv2d(·, c, 3, padding=1)`.
///
/// - `mlp` (widths = hidden widths, default [256, 256]):
///   `Flatten, Linear(·, w₀), norm(w₀), act, …, Linear(·, outputs)`. The Flatten comes first
///   whatever the example's rank (on vectors it changes nothing), so an mlp's parameter names
///   are the same on images and on vectors: the first Linear is always `layers.1`.
///   The norm sits between Linear and activation (pre-activation norm, as [Lyle et al. 2024]):
///   `nn.LayerNorm(w)` or `nn.BatchNorm1d(w)`.
/// - `cnn` (widths = [conv₀, conv₁, hidden], default [32, 64, 128], workload W3 generalised):
///   `conv3×3(w₀), norm, act, MaxPool2d(2), conv3×3(w₁), norm, act, MaxPool2d(2), Flatten,
///   Linear(·, w₂), norm(w₂), act, Linear(w₂, outputs)`.
/// - `cnn-deep` (widths = [c₀, c₁, c₂, c₃, hidden], default [32, 32, 64, 64, 128]):
///   `conv3×3(w₀), norm, act, conv3×3(w₁), norm, act, MaxPool2d(2), conv3×3(w₂), norm, act,
///   conv3×3(w₃), norm, act, MaxPool2d(2), Flatten, Linear(·, w₄), norm, act, Linear(w₄, outputs)`.
/// - `resnet` (widths = stage widths, default [16, 32, 64]; ResNet-8 style with
///   `blocksPerStage` 1, ResNet-18-like with 4 stages of 2): stem `conv3×3(w₀), norm, act`,
///   then for each stage s and each of its blocks
///   `Residual(body: Sequential(conv3×3(wₛ, stride), norm, act, conv3×3(wₛ), norm),
///   shortcut: Sequential(Conv2d(·, wₛ, 1, stride), norm))` followed by `act`, where the
///   stride is 2 in the first block of every stage after the first and the shortcut exists only
///   when channels or stride change (identity otherwise); then `GlobalAvgPool2d`,
///   `Linear(w_last, outputs)`.
///
/// Conv-layer norms are `nn.BatchNorm2d(C)`, or `nn.LayerNorm([C, H, W])` over the whole
/// feature map of one example (so a layernorm conv net is tied to its input size). A conv
/// followed by batchnorm has no bias (as torchvision); every other conv and every Linear has one.
/// `crelu` (`[relu(z), relu(−z)]`) doubles the width the next layer sees: the next Linear or
/// Conv takes 2·w inputs; it is rejected for resnet, whose residual sums need equal widths.
/// PyTorch equivalents of the remaining layers: `Residual` is a module with children `body`
/// and `shortcut` returning `body(x) + shortcut(x)`; `GlobalAvgPool2d` is one module computing
/// `x.mean((2, 3))`; `CReLU` is `torch.cat([relu(x), relu(-x)], 1)`. Parameters use
/// PyTorch's default initialisation. `Tests/NetworksTests/Fixtures/make_architecture_names.py`
/// builds these modules and checks the state-dict names and shapes.
///
/// ```swift
/// let arch = try Architecture(family: .cnn, norm: .layernorm)
/// var rng = RandomGenerator(seed: 0)
/// let net = try arch.build(inputShape: [1, 28, 28], outputs: 10, rng: &rng)
/// print(arch)                                // cnn[32,64,128] relu norm=layernorm
/// ```
public struct Architecture: Sendable, Equatable, CustomStringConvertible {
    /// The network family, by its config name.
    public enum Family: String, Sendable, CaseIterable { case mlp, cnn, cnnDeep = "cnn-deep", resnet }
    /// The normalisation layer inserted before every hidden activation.
    public enum Norm: String, Sendable, CaseIterable { case none, layernorm, batchnorm }

    public var family: Family
    /// Hidden widths; their meaning and count depend on the family (see the type's doc).
    public var widths: [Int]
    /// One of `activationNames`.
    public var activation: String
    public var norm: Norm
    /// Residual blocks per stage (resnet only).
    public var blocksPerStage: Int

    /// The accepted activation names.
    public static let activationNames = ["relu", "leaky_relu", "tanh", "sigmoid", "gelu", "identity", "crelu", "fourier"]

    /// The widths used when a config gives none.
    public static func defaultWidths(_ family: Family) -> [Int] {
        switch family {
        case .mlp: [256, 256]
        case .cnn: [32, 64, 128]
        case .cnnDeep: [32, 32, 64, 64, 128]
        case .resnet: [16, 32, 64]
        }
    }

    /// Validates the fields; throws an `ArchitectureError` naming the first bad one.
    public init(family: Family, widths: [Int]? = nil, activation: String = "relu", norm: Norm = .none,
                blocksPerStage: Int = 1) throws {
        self.family = family
        self.widths = widths ?? Self.defaultWidths(family)
        self.activation = activation
        self.norm = norm
        self.blocksPerStage = blocksPerStage
        try validate()
    }

    /// For example `mlp[256,256] relu norm=none` or `resnet[16,32,64] relu norm=batchnorm blocks=1`.
    public var description: String {
        "\(family.rawValue)[\(widths.map(String.init).joined(separator: ","))] \(activation) norm=\(norm.rawValue)"
            + (family == .resnet ? " blocks=\(blocksPerStage)" : "")
    }

    /// Throws an `ArchitectureError` if a field is invalid (the fields are mutable).
    public func validate() throws {
        guard Self.activationNames.contains(activation) else {
            throw ArchitectureError("activation", "unknown '\(activation)' (valid: \(Self.activationNames.joined(separator: ", ")))")
        }
        if family == .resnet && (activation == "crelu" || activation == "fourier") {
            let valid = Self.activationNames.filter { $0 != "crelu" && $0 != "fourier" }.joined(separator: ", ")
            throw ArchitectureError("activation", "'\(activation)' is not supported for resnet (valid: \(valid))")
        }
        let list = "[" + widths.map(String.init).joined(separator: ", ") + "]"
        let needed: (count: Int?, meaning: String) = switch family {
        case .mlp: (nil, "mlp needs one or more hidden widths")
        case .cnn: (3, "cnn needs 3: conv, conv, hidden")
        case .cnnDeep: (5, "cnn-deep needs 5: conv ×4, hidden")
        case .resnet: (nil, "resnet needs one or more stage widths")
        }
        if widths.isEmpty || (needed.count.map { $0 != widths.count } ?? false) {
            throw ArchitectureError("widths", "\(list) has \(widths.count) values (\(needed.meaning))")
        }
        guard widths.allSatisfy({ $0 > 0 }) else {
            throw ArchitectureError("widths", "\(list) contains a width ≤ 0 (all must be positive)")
        }
        guard blocksPerStage > 0 else {
            throw ArchitectureError("blocksPerStage", "\(blocksPerStage) (must be 1 or more)")
        }
    }

    /// Builds the network with fresh PyTorch-default parameters drawn from `rng`.
    ///
    /// `inputShape` is one example's shape: any rank for mlp (flattened), [C, H, W] for the
    /// conv families. Throws if the fields are invalid, the rank is wrong or pooling shrinks
    /// the feature map to nothing.
    public func build(inputShape: Shape, outputs: Int, rng: inout RandomGenerator) throws -> Network {
        try validate()
        guard outputs > 0 else { throw ArchitectureError("outputs", "\(outputs) (must be 1 or more)") }
        let dims = inputShape.dimensions
        guard !dims.isEmpty, dims.allSatisfy({ $0 > 0 }) else {
            throw ArchitectureError("inputShape", "\(inputShape) (needs rank ≥ 1 and positive sizes)")
        }
        if family != .mlp && dims.count != 3 {
            throw ArchitectureError("inputShape", "\(inputShape) has rank \(dims.count) (\(family.rawValue) needs [C, H, W])")
        }
        var b = ArchitectureBuilder(architecture: self, shape: dims)
        switch family {
        case .mlp:
            b.flatten()
            for w in widths { b.linear(w, rng: &rng); b.normalizeAndActivate() }
        case .cnn, .cnnDeep:
            let groups = family == .cnn ? [[widths[0]], [widths[1]]] : [[widths[0], widths[1]], [widths[2], widths[3]]]
            for group in groups {
                for c in group { b.conv(c, rng: &rng); b.normalizeAndActivate() }
                try b.maxPool(input: inputShape)
            }
            b.flatten()
            b.linear(widths.last!, rng: &rng)
            b.normalizeAndActivate()
        case .resnet:
            b.conv(widths[0], rng: &rng)
            b.normalizeAndActivate()
            for (stage, c) in widths.enumerated() {
                for block in 0..<blocksPerStage {
                    b.basicBlock(c, stride: stage > 0 && block == 0 ? 2 : 1, rng: &rng)
                    b.activate()
                }
            }
            b.globalAveragePool()
        }
        b.linear(outputs, rng: &rng)
        return Network(Sequential(b.layers))
    }
}

/// An invalid architecture field; `description` is one line naming the field and the value.
public struct ArchitectureError: Error, CustomStringConvertible, Equatable {
    /// The offending field (`activation`, `widths`, `inputShape`, …).
    public let field: String
    /// What is wrong and what is valid.
    public let message: String

    init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Appends layers to a list while tracking one example's shape ([F] or [C, H, W]).
private struct ArchitectureBuilder {
    let architecture: Architecture
    var shape: [Int]
    var layers: [any Layer] = []

    init(architecture: Architecture, shape: [Int]) {
        self.architecture = architecture
        self.shape = shape
    }

    mutating func flatten() {
        layers.append(Flatten())
        shape = [shape.reduce(1, *)]
    }

    mutating func linear(_ out: Int, rng: inout RandomGenerator) {
        layers.append(Linear(shape[0], out, rng: &rng))
        shape = [out]
    }

    /// `nn.Conv2d(C, out, k, stride, padding=k/2)`, bias only when no batchnorm follows.
    mutating func conv(_ out: Int, kernel: Int = 3, stride: Int = 1, rng: inout RandomGenerator) {
        let conv = Conv2d(shape[0], out, kernelSize: kernel, stride: stride, padding: kernel / 2,
                          bias: architecture.norm != .batchnorm, rng: &rng)
        layers.append(conv)
        shape = [out, conv.outputSize(shape[1]), conv.outputSize(shape[2])]
    }

    /// The norm for the current shape (LayerNorm over the whole example, BatchNorm per channel).
    mutating func normalize() {
        switch architecture.norm {
        case .none: break
        case .layernorm: layers.append(LayerNorm(Shape(shape)))
        case .batchnorm: layers.append(BatchNorm(shape[0]))
        }
    }

    /// The activation; crelu and fourier double the feature axis.
    mutating func activate() {
        switch architecture.activation {
        case "crelu":
            layers.append(CReLU())
            shape[0] *= 2
        case "fourier":
            layers.append(FourierActivation())
            shape[0] *= 2
        case "leaky_relu": layers.append(Activation(.leakyReLU()))
        case "tanh": layers.append(Activation(.tanh))
        case "sigmoid": layers.append(Activation(.sigmoid))
        case "gelu": layers.append(Activation(.gelu))
        case "identity": layers.append(Activation(.identity))
        default: layers.append(Activation(.relu))
        }
    }

    mutating func normalizeAndActivate() {
        normalize()
        activate()
    }

    mutating func maxPool(input: Shape) throws {
        layers.append(MaxPool2d(kernelSize: 2))
        shape = [shape[0], shape[1] / 2, shape[2] / 2]
        guard shape[1] > 0 && shape[2] > 0 else {
            throw ArchitectureError("inputShape", "\(input) is too small for \(architecture.family.rawValue) (a 2×2 max-pool leaves an empty feature map)")
        }
    }

    mutating func globalAveragePool() {
        layers.append(GlobalAvgPool2d())
        shape = [shape[0]]
    }

    /// A ResNet basic block (He et al. 2016) without its final activation.
    mutating func basicBlock(_ out: Int, stride: Int, rng: inout RandomGenerator) {
        var body = ArchitectureBuilder(architecture: architecture, shape: shape)
        body.conv(out, stride: stride, rng: &rng)
        body.normalizeAndActivate()
        body.conv(out, rng: &rng)
        body.normalize()
        var shortcut: (any Layer)?
        if stride != 1 || out != shape[0] {
            var s = ArchitectureBuilder(architecture: architecture, shape: shape)
            s.conv(out, kernel: 1, stride: stride, rng: &rng)
            s.normalize()
            shortcut = Sequential(s.layers)
        }
        layers.append(Residual(Sequential(body.layers), shortcut: shortcut))
        shape = body.shape
    }
}
