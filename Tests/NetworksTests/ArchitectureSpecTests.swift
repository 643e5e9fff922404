import Testing
@testable import Networks

/// One-line architecture specs (`--arch`): round trip with `description`, defaults, errors.
@Suite struct ArchitectureSpecTests {
    @Test func descriptionsParseBackToTheSameArchitecture() throws {
        let cases = [
            try Architecture(family: .mlp),
            try Architecture(family: .mlp, widths: [64, 32, 16], activation: "tanh", norm: .layernorm),
            try Architecture(family: .cnn, widths: [8, 16, 32], activation: "crelu", norm: .batchnorm),
            try Architecture(family: .cnnDeep),
            try Architecture(family: .resnet, widths: [8, 16], norm: .batchnorm, blocksPerStage: 2),
        ]
        for arch in cases { #expect(try Architecture(parsing: arch.description) == arch) }
    }

    @Test func omittedFieldsTakeTheDefaults() throws {
        #expect(try Architecture(parsing: "cnn") == Architecture(family: .cnn))
        #expect(try Architecture(parsing: "  mlp[ 10 , 20 ]  norm=batchnorm ")
                == Architecture(family: .mlp, widths: [10, 20], norm: .batchnorm))
        #expect(try Architecture(parsing: "mlp activation=gelu") == Architecture(family: .mlp, activation: "gelu"))
    }

    @Test func badSpecsNameTheField() {
        func error(_ s: String) -> String? {
            do { _ = try Architecture(parsing: s); return nil } catch { return "\(error)" }
        }
        #expect(error("") == "arch: empty (e.g. \"mlp[256,256] relu norm=none\")")
        #expect(error("transformer") == "family: unknown 'transformer' (valid: mlp, cnn, cnn-deep, resnet)")
        #expect(error("mlp[64,x]") == "widths: 'x' in 'mlp[64,x]' is not an integer")
        #expect(error("mlp[64") == "widths: 'mlp[64' lacks its closing ']'")
        #expect(error("mlp norm=group") == "norm: unknown 'group' (valid: none, layernorm, batchnorm)")
        #expect(error("mlp depth=3") == "arch: unknown field 'depth=3' (valid: ACTIVATION, norm=…, blocks=…)")
        #expect(error("cnn[8,16]")?.hasPrefix("widths: [8, 16] has 2 values") == true)
        #expect(error("mlp swish")?.hasPrefix("activation: unknown 'swish'") == true)
    }
}
