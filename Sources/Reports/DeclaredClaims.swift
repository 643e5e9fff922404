import Experiments

/// Judges a study file's declared claims (`DeclaredClaim`: fresh-referenced or trend, from
/// task 2 on) on its runs: one effect per seed, then a one-sample t over seeds.
enum DeclaredClaims {
    static func evaluate(_ results: StudyResults) -> [ClaimResult] {
        results.plan.declaredClaims.compactMap { evaluate($0, results) }
    }

    /// The claim's result; nil when fewer than two seeds have a value.
    static func evaluate(_ c: DeclaredClaim, _ results: StudyResults) -> ClaimResult? {
        let perSeed = effects(c, results).sorted { $0.key < $1.key }.map(\.value)
        guard perSeed.count >= 2 else { return nil }
        return ClaimResult(claim: c.claim, citation: c.citation, effect: description(c), perSeed: perSeed,
                           paired: c.kind == .freshReferenced)
    }

    /// The oriented effect per seed (positive: worse), as docs/studies.md defines it.
    static func effects(_ c: DeclaredClaim, _ results: StudyResults) -> [Int: Double] {
        let orientation = c.higherIsBetter ? -1.0 : 1.0
        let first = c.fromTask - 1
        var out: [Int: Double] = [:]
        for run in results.runs(group: c.group, variant: c.variant) where run.tasks.count > first {
            let judged = Array(first..<run.tasks.count)
            // The fresh value of task k: another metric of this run, or this metric of the fresh
            // variant's run with the same seed.
            let fresh: (Int) -> Double?
            switch c.reference {
            case nil:
                let points = judged.compactMap { k in run.tasks[k][c.metric].map { (x: Double(k + 1), y: $0) } }
                if let slope = Statistics.leastSquaresSlope(points) { out[run.seed] = orientation * slope }
                continue
            case .metric(let name)?:
                fresh = { run.tasks[$0][name] }
            case .variant(let variant)?:
                guard let twin = results.runs(group: c.group, variant: variant).first(where: { $0.seed == run.seed }) else { continue }
                fresh = { $0 < twin.tasks.count ? twin.tasks[$0][c.metric] : nil }
            }
            let diffs = judged.compactMap { k -> Double? in
                guard let trained = run.tasks[k][c.metric], let reference = fresh(k) else { return nil }
                return trained - reference
            }
            if !diffs.isEmpty { out[run.seed] = orientation * Statistics.mean(diffs) }
        }
        return out
    }

    static func description(_ c: DeclaredClaim) -> String {
        let tasks = "tasks \(c.fromTask)–T"
        let negated = c.higherIsBetter ? " (negated: higher is better)" : ""
        switch c.reference {
        case .metric(let fresh)?: return "\(c.variant) \(c.metric) − \(fresh), mean over \(tasks)" + negated
        case .variant(let fresh)?: return "\(c.variant) − \(fresh) \(c.metric), paired by seed and task, mean over \(tasks)" + negated
        case nil: return "least-squares slope of \(c.variant) \(c.metric) per task over \(tasks)" + negated
        }
    }
}
