import Testing
@testable import Interventions

@Suite struct InterventionInfoTests {
    @Test func infoKeepsParameters() {
        let info = InterventionInfo(name: "x", summary: "s", source: "p", parameters: [("lambda", "0.8", "shrink")])
        #expect(info.parameters.first?.defaultValue == "0.8")
    }
}
