/// Words for metric names in chart titles and axes: `dormant.tau0.1` → "dormant units (τ =
/// 0.1), fraction". The table is the one in docs/metrics.md ("Metric names in reports");
/// a per-layer name (`dead.layers.1`) gets its layer appended, an unknown name is shown as is.
public enum MetricLabels {
    public static let words: [(name: String, label: String)] = [
        ("train_accuracy", "training accuracy"),
        ("train_loss", "training loss"),
        ("test_accuracy", "test accuracy"),
        ("test_loss", "test loss"),
        ("task_mean_loss", "mean training loss over the task"),
        ("loss", "training loss (mini-batch)"),
        ("dead", "dead units, fraction"),
        ("dormant.tau0", "dormant units (τ = 0), fraction"),
        ("dormant.tau0.025", "dormant units (τ = 0.025), fraction"),
        ("dormant.tau0.1", "dormant units (τ = 0.1), fraction"),
        ("linearised", "linearised units, fraction"),
        ("saturated", "saturated units, fraction"),
        ("param_norm", "parameter norm ‖θ‖₂"),
        ("dist_from_init", "distance from initialisation ‖θ − θ₀‖₂"),
        ("srank.delta0.01", "feature srank (δ = 0.01)"),
        ("effective_rank", "feature effective rank"),
        ("preact.std", "pre-activation std"),
        ("preact.mean_drift_init", "pre-activation mean drift from init"),
        ("probe.loss", "probe-task loss after training"),
        ("probe.plasticity_loss", "probe-task plasticity loss (trained − fresh)"),
        ("hessian.lambda_max", "Hessian top eigenvalue λ_max"),
        ("hessian.trace", "Hessian trace"),
        ("entk.summed.condition_number", "eNTK condition number (summed)"),
        ("return_mean_100", "mean return of the last 100 episodes"),
        ("churn", "output churn"),
    ]

    /// The words for `name`, or `name` itself.
    public static func label(_ name: String) -> String {
        if let exact = words.first(where: { $0.name == name }) { return exact.label }
        if let base = words.filter({ name.hasPrefix($0.name + ".layers.") }).max(by: { $0.name.count < $1.name.count }) {
            return base.label + ", " + name.dropFirst(base.name.count + 1)
        }
        return name
    }
}
