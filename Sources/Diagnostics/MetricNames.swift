/// How thresholds appear inside metric names: `tau0`, `tau0.025`, `tau0.1`, `delta0.01`.
///
/// A whole number is written without a fractional part (`tau0`, not `tau0.0`); any other value
/// is Swift's shortest round-tripping decimal (`0.025`). Names are otherwise
/// `<metric>[.<variant>][.<layer>]`, the layer being its Linear/Conv2d state-dict prefix.
enum MetricNames {
    /// `tau0.1` for ("tau", 0.1).
    static func threshold(_ symbol: String, _ value: Double) -> String {
        let text = value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int(value)) : String(value)
        return symbol + text
    }

    /// `metric.layer`.
    static func perLayer(_ metric: String, _ layer: String) -> String { metric + "." + layer }
}
