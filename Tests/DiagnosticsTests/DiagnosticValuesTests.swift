import Testing
@testable import Diagnostics

@Suite struct DiagnosticValuesTests {
    @Test func nonFiniteBecomesNullAndOrderIsKept() {
        var v = DiagnosticValues()
        v.set("b", 2)
        v.set("a", .nan)
        v.set("b", 3)
        #expect(v.entries.map(\.name) == ["b", "a"] && v["b"] == 3 && v["a"] == nil)
    }
}
