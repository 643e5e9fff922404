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
        Network(Sequential(try assemble(inputShape: inputShape, outputs: outputs, rng: &rng, materialize: true).layers))
    }

    /// What `build` would allocate, counted without allocating it; throws as `build` does.
    public func footprint(inputShape: Shape, outputs: Int) throws -> ArchitectureFootprint {
        var unused = RandomGenerator(seed: 0)
        return try assemble(inputShape: inputShape, outputs: outputs, rng: &unused, materialize: false).footprint
    }

    /// The layers in order, or (`materialize` false) only their shapes and sizes: no layer is
    /// created and `rng` is not drawn from.
    private func assemble(inputShape: Shape, outputs: Int, rng: inout RandomGenerator,
                          materialize: Bool) throws -> ArchitectureBuilder {
        try validate()
        guard outputs > 0 else { throw ArchitectureError("outputs", "\(outputs) (must be 1 or more)") }
        let dims = inputShape.dimensions
        guard !dims.isEmpty, dims.allSatisfy({ $0 > 0 }) else {
            throw ArchitectureError("inputShape", "\(inputShape) (needs rank ≥ 1 and positive sizes)")
        }
        if family != .mlp && dims.count != 3 {
            throw ArchitectureError("inputShape", "\(inputShape) has rank \(dims.count) (\(family.rawValue) needs [C, H, W])")
        }
        var b = ArchitectureBuilder(architecture: self, shape: dims, materialize: materialize)
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
        return b
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

/// Appends layers to a list while tracking one example's shape ([F] or [C, H, W]) and the
/// footprint; with `materialize` false it only tracks (no layer is created).
private struct ArchitectureBuilder {
    let architecture: Architecture
    let materialize: Bool
    var shape: [Int]
    var layers: [any Layer] = []
    var footprint = ArchitectureFootprint()

    init(architecture: Architecture, shape: [Int], materialize: Bool) {
        self.architecture = architecture
        self.shape = shape
        self.materialize = materialize
    }

    /// Floats in one example at the current shape.
    private var size: Double { shape.reduce(1.0) { $0 * Double($1) } }

    private mutating func append(_ layer: @autoclosure () -> any Layer, parameters: Double = 0) {
        if materialize { layers.append(layer()) }
        footprint.parameters += parameters
    }

    mutating func flatten() {
        append(Flatten())
        shape = [shape.reduce(1, *)]
    }

    mutating func linear(_ out: Int, rng: inout RandomGenerator) {
        let inputs = shape[0]
        append(Linear(inputs, out, rng: &rng), parameters: (Double(inputs) + 1) * Double(out))
        shape = [out]
        footprint.activationsPerExample += size
    }

    /// `nn.Conv2d(C, out, k, stride, padding=k/2)`, bias only when no batchnorm follows.
    mutating func conv(_ out: Int, kernel: Int = 3, stride: Int = 1, rng: inout RandomGenerator) {
        let bias = architecture.norm != .batchnorm
        let outputSize = { (n: Int) in (n + 2 * (kernel / 2) - kernel) / stride + 1 }
        let channels = shape[0], patch = Double(channels) * Double(kernel * kernel)
        append(Conv2d(channels, out, kernelSize: kernel, stride: stride, padding: kernel / 2, bias: bias, rng: &rng),
               parameters: (patch + (bias ? 1 : 0)) * Double(out))
        shape = [out, outputSize(shape[1]), outputSize(shape[2])]
        footprint.activationsPerExample += size
        footprint.workspacePerExample += patch * Double(shape[1]) * Double(shape[2])
    }

    /// The norm for the current shape (LayerNorm over the whole example, BatchNorm per channel).
    mutating func normalize() {
        let current = shape
        switch architecture.norm {
        case .none: return
        case .layernorm: append(LayerNorm(Shape(current)), parameters: 2 * size)
        case .batchnorm: append(BatchNorm(current[0]), parameters: 4 * Double(current[0]) + 1)
        }
        footprint.activationsPerExample += size
    }

    /// The activation; crelu and fourier double the feature axis.
    mutating func activate() {
        switch architecture.activation {
        case "crelu":
            append(CReLU())
            shape[0] *= 2
        case "fourier":
            append(FourierActivation())
            shape[0] *= 2
        case "leaky_relu": append(Activation(.leakyReLU()))
        case "tanh": append(Activation(.tanh))
        case "sigmoid": append(Activation(.sigmoid))
        case "gelu": append(Activation(.gelu))
        case "identity": append(Activation(.identity))
        default: append(Activation(.relu))
        }
        footprint.activationsPerExample += size
    }

    mutating func normalizeAndActivate() {
        normalize()
        activate()
    }

    mutating func maxPool(input: Shape) throws {
        append(MaxPool2d(kernelSize: 2))
        shape = [shape[0], shape[1] / 2, shape[2] / 2]
        guard shape[1] > 0 && shape[2] > 0 else {
            throw ArchitectureError("inputShape", "\(input) is too small for \(architecture.family.rawValue) (a 2×2 max-pool leaves an empty feature map)")
        }
        footprint.activationsPerExample += size
    }

    mutating func globalAveragePool() {
        append(GlobalAvgPool2d())
        shape = [shape[0]]
        footprint.activationsPerExample += size
    }

    /// A ResNet basic block (He et al. 2016) without its final activation.
    mutating func basicBlock(_ out: Int, stride: Int, rng: inout RandomGenerator) {
        var body = ArchitectureBuilder(architecture: architecture, shape: shape, materialize: materialize)
        body.conv(out, stride: stride, rng: &rng)
        body.normalizeAndActivate()
        body.conv(out, rng: &rng)
        body.normalize()
        var shortcut: ArchitectureBuilder?
        if stride != 1 || out != shape[0] {
            var s = ArchitectureBuilder(architecture: architecture, shape: shape, materialize: materialize)
            s.conv(out, kernel: 1, stride: stride, rng: &rng)
            s.normalize()
            shortcut = s
        }
        let parts = [body.footprint] + (shortcut.map { [$0.footprint] } ?? [])
        for part in parts {
            footprint.parameters += part.parameters
            footprint.activationsPerExample += part.activationsPerExample
            footprint.workspacePerExample += part.workspacePerExample
        }
        shape = body.shape
        footprint.activationsPerExample += size  // the sum body + shortcut
        if materialize { layers.append(Residual(Sequential(body.layers), shortcut: shortcut.map { Sequential($0.layers) })) }
    }
}
