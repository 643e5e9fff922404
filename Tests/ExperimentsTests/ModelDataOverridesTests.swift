import Networks
import Testing
@testable import Experiments

/// Command-line replacements of a config's model and data, validated as a config file is.
@Suite struct ModelDataOverridesTests {
    @Test func aFamilyWithFieldsReplacesTheModelAndKeepsTheRest() throws {
        var base = ExperimentConfig()
        base.seed = 41
        var o = ModelDataOverrides()
        (o.architecture, o.widths, o.activation, o.norm) = ("mlp", "32, 16", "tanh", "layernorm")
        let c = try o.applied(to: base)
        #expect(c.model.family == .mlp && c.model.widths == [32, 16] && c.model.activation == "tanh" && c.model.norm == .layernorm)
        #expect(c.data == base.data && c.seed == 41)
    }

    @Test func aOneLineSpecAndADatasetReplaceBoth() throws {
        var o = ModelDataOverrides()
        (o.architecture, o.dataset, o.dataCount, o.dataSeed) = ("mlp[8,8] relu norm=batchnorm", "mnist1d", 300, 5)
        #expect(o.architectureIsSpec)
        let c = try o.applied(to: ExperimentConfig())
        #expect(c.model == (try Architecture(parsing: "mlp[8,8] relu norm=batchnorm")))
        #expect(c.data.dataset == "mnist1d" && c.data.count == 300 && c.data.seed == 5)
    }

    @Test func aBadValueIsNamedAsACommandLineOption() {
        var o = ModelDataOverrides()
        (o.architecture, o.norm) = ("mlp", "groupnorm")
        #expect { try o.applied(to: ExperimentConfig()) } throws: { "\($0)".hasPrefix("command-line options") && "\($0)".contains("groupnorm") }
    }
}
