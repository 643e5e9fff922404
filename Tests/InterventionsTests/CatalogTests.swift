import Testing
@testable import Interventions

/// Building interventions from names and parameters.
@Suite struct CatalogTests {
    @Test func everyEntryBuildsWithItsDefaults() throws {
        for info in InterventionCatalog.entries {
            let hook = try InterventionCatalog.make(InterventionSpec(info.name))
            #expect(hook.name == info.name)
            #expect(Set(info.parameters.map(\.name)).count == info.parameters.count)
            for p in info.parameters where Double(p.defaultValue) == nil { #expect(p.name == "layers") }
        }
        #expect(Set(InterventionCatalog.entries.map(\.name)).count == InterventionCatalog.entries.count)
    }

    @Test func defaultsComeFromTheInfo() throws {
        let redo = try ReDo.make()
        #expect(redo.tau == 0.1 && redo.every == 1000)
        let sp = try ShrinkAndPerturb.make(["sigma": 0.5])
        #expect(sp.lambda == 0.8 && sp.sigma == 0.5)
    }

    @Test func commandLineSpecsReadNumbersAndText() throws {
        #expect(try InterventionSpec(commandLine: "redo:tau=0.1,every=1000") == InterventionSpec("redo", ["tau": 0.1, "every": 1000]))
        #expect(try InterventionSpec(commandLine: "layer-reset:layers=layers.2") == InterventionSpec("layer-reset", ["layers": "layers.2"]))
        #expect(try InterventionSpec(commandLine: "sam") == InterventionSpec("sam"))
        #expect(throws: InterventionError("--intervention 'redo:tau': 'tau' is not key=value")) { try InterventionSpec(commandLine: "redo:tau") }
    }

    @Test func unknownNamesAndKeysAreOneLineErrors() {
        #expect(throws: InterventionError("redo: unknown parameter 'tua' (valid: tau, every, passes)")) {
            try InterventionCatalog.make(InterventionSpec("redo", ["tua": 0.1]))
        }
        #expect(throws: InterventionError("optimizer-reset: unknown parameter 'k' (it takes no parameters)")) {
            try InterventionCatalog.make(InterventionSpec("optimizer-reset", ["k": 1]))
        }
        do {
            _ = try InterventionCatalog.make(InterventionSpec("redox"))
            Issue.record("no error")
        } catch {
            #expect("\(error)".hasPrefix("unknown intervention 'redox' (valid: l2, weight-decay"))
        }
    }

    @Test func badValuesAreRejected() {
        #expect(throws: InterventionError.self) { try ReDo.make(["every": 0]) }
        #expect(throws: InterventionError.self) { try ReDo.make(["every": 2.5]) }
        #expect(throws: InterventionError.self) { try InterventionCatalog.make(InterventionSpec("sam", ["rho": "big"])) }
        #expect(throws: InterventionError.self) { try InterventionCatalog.make(InterventionSpec("layer-reset", ["layers": 3])) }
    }

    @Test func repeatedNamesGetDistinctHookNames() throws {
        let hooks = try InterventionCatalog.make([InterventionSpec("l2"), InterventionSpec("redo"), InterventionSpec("l2", ["lambda": 1e-3])])
        #expect(hooks.map(\.name) == ["l2", "redo", "l2-2"])
        #expect((hooks[2] as? L2Regularization)?.lambda == 1e-3)
    }

    @Test func prepareWrapsTheHeadOnlyForInjection() throws {
        let net = Fixture.deepMLP()
        #expect(try InterventionCatalog.prepare(net, for: [InterventionSpec("redo")]) === net)
        let wrapped = try InterventionCatalog.prepare(net, for: [InterventionSpec("plasticity-injection")])
        #expect(wrapped.parameters.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.2.head.0.weight",
                                                   "layers.2.head.0.bias", "layers.2.head.2.weight", "layers.2.head.2.bias"])
        #expect(wrapped.buffers.map(\.name) == ["layers.2.old_head", "layers.2.fresh_head", "layers.2.injected"])
    }
}
