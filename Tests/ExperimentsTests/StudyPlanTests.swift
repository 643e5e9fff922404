import Testing
import Streams
@testable import Experiments

/// Study files: merging base ← scale ← group ← variant, seeds, and errors.
@Suite struct StudyPlanTests {
    @Test func swissCheesePresetPlans() throws {
        let plan = try StudyPlan(text: StudyPresets.named("swiss-cheese")!, file: "swiss-cheese", scale: "quick")
        #expect(plan.runs.count == 4 * 7 * 4 && plan.groupMargins["random labels"] == StudyMargin(value: 0.1, isRelative: false))
        #expect(plan.groupMargins["target offset, class accuracy"] == StudyMargin(value: 0.1, isRelative: false))
        #expect(plan.groups == ["random labels", "label permutation", "input permutation", "target offset, class accuracy"])
        #expect(plan.variants == ["baseline", "fresh", "layernorm", "L2", "ReDo", "shrink & perturb", "layernorm + L2"])
        let run = try #require(plan.runs.first { $0.group == "target offset, class accuracy" && $0.variant == "layernorm + L2" && $0.seed == 1 })
        #expect(run.experiment!.stream.protocolName == .targetOffset && run.experiment!.stream.shiftPerTask == 2)
        #expect(run.experiment!.model.norm == .layernorm && run.experiment!.optimizer.weightDecay == 1e-5)
        #expect(run.experiment!.stream.tasks == 6 && run.experiment!.model.widths == [128, 128] && run.experiment!.seed == 1)
        #expect(run.relativePath == "runs/target-offset-class-accuracy/layernorm-l2/seed-1")
        #expect(plan.groupMetrics["random labels"] == "train_accuracy" && plan.groupMetrics["target offset, class accuracy"] == "train_accuracy")
        #expect(plan.runs.first { $0.variant == "L2" }!.experiment!.optimizer.weightDecay == 1e-3)
        let redo = plan.runs.first { $0.variant == "ReDo" }!
        #expect(redo.experiment!.interventions.map(\.name) == ["redo"] && redo.experiment!.interventions[0].parameters["every"] == .number(200))
        #expect(redo.experiment!.diagnostics.groups == ["units", "preactivations", "parameters", "features", "probe"])
        #expect(redo.experiment!.diagnostics.probeTarget == "random_labels" && redo.experiment!.diagnostics.probeSteps == 250)
        #expect(plan.runs.first { $0.variant == "fresh" }!.experiment!.interventions.map(\.name) == ["full-reset"])
        let full = try StudyPlan(text: StudyPresets.named("swiss-cheese")!, file: "swiss-cheese", scale: "full", seeds: 5)
        #expect(full.runs.count == 8 * 7 * 5 && full.runs[0].experiment!.stream.tasks == 30 && full.runs[0].experiment!.model.widths == [256, 256, 256])
        let standard = try StudyPlan(text: StudyPresets.named("swiss-cheese")!, file: "swiss-cheese", scale: "standard")
        let mlp = standard.runs.first { $0.group == "input permutation" && $0.variant == "layernorm" }!.experiment!
        #expect(standard.runs.count == 4 * 7 * 8 && standard.seeds == 8 && standard.groups.filter { $0.hasSuffix(", CNN") }.isEmpty)
        #expect(mlp.stream.tasks == 20 && mlp.stream.stepsPerTask == 2000 && mlp.stream.subset == 1000 && mlp.model.norm == .layernorm)
        // Standard keeps the 2026-12-07 target-offset group (train_loss); standard-offset runs
        // only the class-accuracy group on seeds 100–107, with its own manipulation check.
        #expect(standard.groups.last == "target offset" && standard.groupMetrics["target offset"] == "train_loss")
        let offset = try StudyPlan(text: StudyPresets.named("swiss-cheese")!, file: "swiss-cheese", scale: "standard-offset")
        #expect(offset.groups == ["target offset, class accuracy"] && offset.runs.count == 7 * 8)
        #expect(offset.runs.map(\.seed).min() == 100 && offset.runs.map(\.seed).max() == 107)
        #expect(offset.runs[0].experiment!.stream.tasks == 20 && offset.runs[0].experiment!.stream.stepsPerTask == 2000)
        #expect(offset.checks.map(\.group) == ["target offset, class accuracy"])
        #expect(full.runs.first { $0.group == "random labels, CNN" }!.experiment!.model.widths == [32, 64, 128])
        // The pilot: seed 1000 only, the standard design with the weight-decay grid instead of
        // the two chosen L2 variants.
        let pilot = try StudyPlan(text: StudyPresets.named("swiss-cheese")!, file: "swiss-cheese", scale: "pilot")
        #expect(pilot.firstSeed == 1000 && pilot.seeds == 1 && pilot.runs.allSatisfy { $0.seed == 1000 && $0.experiment!.seed == 1000 })
        #expect(pilot.variants.count == 11 && !pilot.variants.contains("L2") && pilot.variants.contains("layernorm + L2 1e-3"))
        #expect(pilot.runs[0].relativePath == "runs/random-labels/baseline/seed-1000" && pilot.runs[0].experiment!.stream.tasks == 20)
    }

    @Test func layerwiseLMCPresetPairsSeedsAcrossDataDraws() throws {
        let plan = try StudyPlan(text: StudyPresets.named("layerwise-lmc")!, file: "layerwise-lmc", scale: "quick")
        #expect(plan.groups == ["data A", "data B"] && plan.seeds == 10 && plan.runs.count == 20)
        for seed in 0..<3 {
            let a = plan.runs.first { $0.group == "data A" && $0.seed == seed }!.experiment!
            let b = plan.runs.first { $0.group == "data B" && $0.seed == seed }!.experiment!
            // Same initialisation and batch order (both follow `seed`), different data draws.
            #expect(a.seed == UInt64(seed) && b.seed == UInt64(seed) && a.model == b.model && a.optimizer == b.optimizer)
            #expect(a.data.seed == 0 && b.data.seed == 2 && a.data.dataset == "mnist1d")
            #expect(a.stream.protocolName == .warmStart && a.stream.fraction == 1 && a.stream.stepsPerTask == 1000)
        }
        let full = try StudyPlan(text: StudyPresets.named("layerwise-lmc")!, file: "layerwise-lmc", scale: "full")
        #expect(full.runs[0].experiment!.model.widths == [256, 256, 256, 256] && full.runs[0].experiment!.stream.stepsPerTask == 5000)
    }

    /// A variant's `scales.<scale>` table overrides its config at that scale only.
    @Test func perScaleOverridesOfAVariant() throws {
        let text = """
            name = "s"
            title = "t"
            claim = "c"
            source = "p"
            [scales.quick.stream]
            tasks = 3
            steps_per_task = 10
            [[variants]]
            label = "long"
            [variants.config.stream]
            fraction = 0.25
            [variants.scales.full.stream]
            tasks = 9
            """
        let quick = try StudyPlan(text: text, file: "s.toml", scale: "quick").runs[0].experiment!.stream
        let full = try StudyPlan(text: text, file: "s.toml", scale: "full").runs[0].experiment!.stream
        #expect(quick.tasks == 3 && quick.stepsPerTask == 10 && quick.fraction == 0.25)
        #expect(full.tasks == 9 && full.stepsPerTask == StreamSpec(.randomLabels).stepsPerTask && full.fraction == 0.25)
        let bad = text.replacingOccurrences(of: "[variants.scales.full.stream]", with: "[variants.scales.fulll.stream]")
        #expect(throws: ConfigError(file: "s.toml", "[[variants]] 'long': unknown scale 'fulll' in its scales table")) {
            try StudyPlan(text: bad, file: "s.toml", scale: "quick")
        }
    }

    /// `only_at_scales` keeps an entry out of the other scales; its errors name the entry.
    @Test func entriesLimitedToSomeScales() throws {
        let text = """
            name = "s"
            title = "t"
            claim = "c"
            source = "p"
            seeds = 2
            [scales.quick.stream]
            tasks = 1
            [scales.standard.stream]
            tasks = 2
            [[groups]]
            label = "mlp"
            [[groups]]
            label = "cnn"
            only_at_scales = ["standard", "full"]
            [groups.config.model]
            arch = "cnn"
            """
        let quick = try StudyPlan(text: text, file: "s.toml", scale: "quick")
        let standard = try StudyPlan(text: text, file: "s.toml", scale: "standard")
        #expect(quick.groups == ["mlp"] && quick.runs.count == 2)
        #expect(standard.groups == ["mlp", "cnn"] && standard.runs.count == 4)
        #expect(standard.runs.last?.experiment?.model.family == .cnn && standard.runs.last?.experiment?.stream.tasks == 2)
        #expect(throws: ConfigError(file: "s.toml", "[[groups]] 'cnn': unknown scale 'huge' in only_at_scales")) {
            try StudyPlan(text: text.replacingOccurrences(of: "\"full\"]", with: "\"huge\"]"), file: "s.toml", scale: "quick")
        }
        #expect(throws: ConfigError(file: "s.toml", "[[groups]] 'cnn': only_at_scales must be a non-empty array of scale names")) {
            try StudyPlan(text: text.replacingOccurrences(of: "[\"standard\", \"full\"]", with: "[]"), file: "s.toml", scale: "quick")
        }
        let none = text.replacingOccurrences(of: "label = \"mlp\"", with: "label = \"mlp\"\nonly_at_scales = [\"full\"]")
        #expect(throws: ConfigError(file: "s.toml", "no [[groups]] entry runs at scale 'quick' (only_at_scales)")) {
            try StudyPlan(text: none, file: "s.toml", scale: "quick")
        }
    }

    @Test func errorsNameTheStudyAndTheVariant() throws {
        let original = try #require(try StudyPresets.file(named: "swiss-cheese")).text
        let text = original.replacingOccurrences(of: "weight_decay = 1e-3", with: "weight_decay = \"high\"")
        #expect(text != original)
        let url = StudyPresets.directory.appendingPathComponent("swiss-cheese.toml")
        let bad = try StudyFile(text: text, url: url).resolvedText
        #expect(throws: ConfigError.self) { try StudyPlan(text: bad, file: "s.toml", scale: "quick") }
        do { _ = try StudyPlan(text: bad, file: "s.toml", scale: "quick") } catch {
            #expect("\(error)".hasPrefix("s.toml: group 'random labels', variant 'L2': optimizer.weight_decay: expected a number"))
        }
        #expect(throws: ConfigError(file: "s.toml", "unknown scale 'huge' (full, pilot, quick, standard, standard-offset)")) {
            try StudyPlan(text: StudyPresets.named("swiss-cheese")!, file: "s.toml", scale: "huge")
        }
    }

    /// `margin` / `relative_margin` in a group entry, per-scale `seeds`, and their errors.
    @Test func marginsAndPerScaleSeeds() throws {
        func study(_ group: String, _ scales: String = "[scales.quick.stream]\ntasks = 1") -> String {
            """
            name = "s"
            title = "t"
            claim = "c"
            source = "p"
            seeds = 3
            \(scales)
            [[groups]]
            label = "g"
            \(group)
            """
        }
        let plan = try StudyPlan(text: study("margin = 0.02", "[scales.quick]\nseeds = 7"), file: "s.toml", scale: "quick")
        #expect(plan.groupMargins["g"] == StudyMargin(value: 0.02, isRelative: false) && plan.seeds == 7 && plan.runs.count == 7)
        #expect(try StudyPlan(text: study("margin = 0.02", "[scales.quick]\nseeds = 7"), file: "s.toml", scale: "full").seeds == 3)
        #expect(try StudyPlan(text: study("relative_margin = 0.05"), file: "s.toml", scale: "quick").groupMargins["g"]?.isRelative == true)
        // Seeds: an integer in 1…1000, from the file or the flag; at most 20,000 planned runs.
        for (seeds, message) in [("\"five\"", "seeds must be an integer"), ("7.9", "seeds must be an integer"),
                                 ("1e18", "seeds must be an integer"), ("0", "seeds must be between 1 and 1000, not 0"),
                                 ("1001", "seeds must be between 1 and 1000, not 1001")] {
            #expect(throws: ConfigError(file: "s.toml", message), "seeds = \(seeds)") {
                try StudyPlan(text: study("margin = 0.02").replacingOccurrences(of: "seeds = 3", with: "seeds = \(seeds)"), file: "s.toml", scale: "quick")
            }
        }
        // first_seed: per scale, an integer in 0…1,000,000; the runs take seeds first_seed…
        let offset = try StudyPlan(text: study("margin = 0.02", "[scales.quick]\nseeds = 2\nfirst_seed = 40"), file: "s.toml", scale: "quick")
        #expect(offset.runs.map(\.seed) == [40, 41] && offset.runs.map { $0.experiment!.seed } == [40, 41] && offset.firstSeed == 40)
        #expect(try StudyPlan(text: study("margin = 0.02", "[scales.quick]\nfirst_seed = 40"), file: "s.toml", scale: "full").firstSeed == 0)
        for (bad, message) in [("-1", "scales.quick.first_seed must be between 0 and 1000000, not -1"),
                               ("\"x\"", "scales.quick.first_seed must be an integer"),
                               ("1000001", "scales.quick.first_seed must be between 0 and 1000000, not 1000001")] {
            #expect(throws: ConfigError(file: "s.toml", message), "first_seed = \(bad)") {
                try StudyPlan(text: study("margin = 0.02", "[scales.quick]\nfirst_seed = \(bad)"), file: "s.toml", scale: "quick")
            }
        }
        #expect(throws: ConfigError(file: "s.toml", "scales.quick.seeds must be an integer")) {
            try StudyPlan(text: study("margin = 0.02", "[scales.quick]\nseeds = 2.5"), file: "s.toml", scale: "quick")
        }
        #expect(throws: ConfigError(file: "s.toml", "seeds must be between 1 and 1000, not 1000000000")) {
            try StudyPlan(text: study("margin = 0.02"), file: "s.toml", scale: "quick", seeds: 1_000_000_000)
        }
        let grid = study("margin = 0.02") + (0..<30).map { "\n[[variants]]\nlabel = \"v\($0)\"" }.joined()
        #expect(throws: ConfigError(file: "s.toml", "1 groups × 30 variants × 1000 seeds = 30000 runs, more than the 20000 a study may plan")) {
            try StudyPlan(text: grid, file: "s.toml", scale: "quick", seeds: 1_000)
        }
        for (bad, message) in [("margin = -1", "margin must be a finite number ≥ 0"), ("margin = \"x\"", "margin must be a finite number ≥ 0"),
                               ("margin = 0.1\nrelative_margin = 0.1", "give margin or relative_margin, not both")] {
            do {
                _ = try StudyPlan(text: study(bad), file: "s.toml", scale: "quick")
                Issue.record("\(bad) was accepted")
            } catch let e as ConfigError {
                #expect(e.description.contains("[[groups]] 'g': \(message)"), "\(e)")
            }
        }
    }
}
