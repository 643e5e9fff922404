import Testing
@testable import Experiments

/// Sizes beyond `ConfigLimits` and non-finite numbers are one-line config errors, so a typo
/// or hostile file cannot ask for an impossible allocation or an overflowing step count.
@Suite struct ConfigLimitTests {
    func error(_ text: String) -> String? {
        do { _ = try ExperimentConfig.parse(text, file: "c.toml") } catch { return "\(error)" }
        return nil
    }

    @Test func oversizedValuesAreRefused() {
        #expect(error("[stream]\nsteps_per_task = 4611686018427387904\n")
            == "c.toml:2: stream.steps_per_task: must be ≤ 1000000000, got 4611686018427387904")
        #expect(error("[stream]\ntasks = 2000000\n") == "c.toml:2: stream.tasks: must be ≤ 1000000, got 2000000")
        #expect(error("[model]\nwidths = [256, 100000]\n") == "c.toml:2: model.widths: width 100000 exceeds 16384")
        #expect(error("[train]\nbatch_size = 9999999999\n") == "c.toml:2: train.batch_size: must be ≤ 1048576, got 9999999999")
        #expect(error("[data]\ndataset = \"gaussian-clusters\"\ncount = 100000000\ndimension = 16384\n")
            == "c.toml:4: data.dimension: count × dimension = 1638400000000 values exceeds 268435456")
        #expect(error("[stream]\ntasks = 1000000\nsteps_per_task = 1000000000\n") == nil)
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(error("[optimizer]\nlr = inf\n") == "c.toml:2: optimizer.lr: must be a finite number, got inf")
        #expect(error("[optimizer]\nmomentum = nan\n") == "c.toml:2: optimizer.momentum: must be a finite number, got nan")
        #expect(error("[loss]\nmax = -inf\n") == "c.toml:2: loss.max: must be a finite number, got -inf")
    }

    @Test func negativeAndWronglyTypedSizesAreRefused() {
        #expect(error("[train]\nbatch_size = -5\n") == "c.toml:2: train.batch_size: must be ≥ 1, got -5")
        #expect(error("[stream]\nsubset = 1.5\n") == "c.toml:2: stream.subset: expected an integer, got float 1.5")
        #expect(error("[model]\nwidths = [\"wide\"]\n") == "c.toml:2: model.widths: expected an array of integers, found string \"wide\"")
    }

    /// Regression: found by `scripts/fuzz.sh config`; toml++ aborted on these headers.
    @Test func tableHeadersThatAbortedTheTOMLParserAreOneLineErrors() {
        let message = "invalid TOML: a table header's key must start with a letter, digit, '_', '-' or a quote"
        #expect(error("seed = 3\n\n[@data]\ndataset = \"mnist\"\n") == "c.toml:3: " + message)
        #expect(error("[\n") == "c.toml:1: " + message)
        #expect(error("[[ @x]]\n") == "c.toml:1: " + message)
        #expect(error("[ \"quoted\" ]\n")?.contains("unknown key") == true)
        #expect(error("[model]\nwidths = [16, }}}8]\n") == "c.toml:2: invalid TOML: '}' does not close a '{'")
        // Braces in strings, multi-line strings and comments are not counted.
        #expect(error("name = \"}\" # }\nx = '''\n}\n'''\n[model]\nwidths = [\n  16, # }\n]\n")?.hasPrefix("c.toml:2: x: unknown key") == true)
    }

    /// Issue 45: a NUL byte after line 1 made toml++ stop reading, so the run silently used the
    /// defaults for everything after it; every control character TOML forbids is refused.
    @Test func controlCharactersAreOneLineErrors() {
        #expect(error("seed = 3\n\u{0}[train]\nbatch_size = 8\n") == "c.toml:2: invalid TOML: control character U+0000 is not allowed")
        #expect(error("[train]\nbatch_size = 8 # bell \u{7}\n") == "c.toml:2: invalid TOML: control character U+0007 is not allowed")
        #expect(error("seed = 3\n\n\n\u{7F}\n") == "c.toml:4: invalid TOML: control character U+007F is not allowed")
        #expect(error("seed = 3\rtasks = 2\n") == "c.toml:1: invalid TOML: control character U+000D is not allowed")
        // Tabs and CRLF line ends are TOML.
        #expect(error("[train]\r\n\tbatch_size = 8\r\n") == nil)
        let sweep = "name = \"s\"\n[grid]\n\u{1B}x = [1]\n"
        #expect(throws: ConfigError(file: "s.toml", line: 3, "invalid TOML: control character U+001B is not allowed")) {
            try SweepPlan(text: sweep, file: "s.toml")
        }
    }
}
