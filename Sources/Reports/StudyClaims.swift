/// The claims each built-in study tests, by study name, with Holm's adjustment over them.
public enum StudyClaims {
    public static func evaluate(_ results: StudyResults) -> [ClaimResult] {
        var claims = unadjusted(results)
        let adjusted = Holm.verdicts(pHeld: claims.map(\.pHeld), pNotHeld: claims.map(\.pNotHeld))
        for i in claims.indices { claims[i].holmVerdict = adjusted[i] }
        return claims
    }

    /// The built-in claims of a study, then those its file declares (`[[claims]]`).
    static func unadjusted(_ results: StudyResults) -> [ClaimResult] {
        builtIn(results) + DeclaredClaims.evaluate(results)
    }

    static func builtIn(_ results: StudyResults) -> [ClaimResult] {
        switch results.plan.name {
        case "swiss-cheese": SwissCheeseClaims.evaluate(results)
        case "mechanisms": MechanismsClaims.evaluate(results)
        case "target-scale": TargetScaleClaims.evaluate(results)
        case "shift-smoothness": ShiftSmoothnessClaims.evaluate(results)
        case "warm-start": WarmStartClaims.evaluate(results)
        case LayerwiseLMCStudy.name: LayerwiseLMCClaims.evaluate(results)
        case RLStudy.name: RLClaims.evaluate(results)
        default: []
        }
    }
}
