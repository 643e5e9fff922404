import Tensors

/// Output churn (after Tang & Berseth 2024, "Improving deep reinforcement learning by reducing
/// the chain effect of value and policy churn"): how much one update moves the network's
/// outputs on a fixed reference batch that the update did not train on,
/// `churn = (1/(N·K)) Σ_x Σ_k |f_θ'(x)_k − f_θ(x)_k|`, the mean absolute change over all N
/// examples and K outputs, with θ before and θ' after the update (evaluation-mode forwards).
/// Tang & Berseth's value churn is the change of Q-values on states outside the update batch;
/// this reports its mean absolute value for any output (policy churn, the fraction of changed
/// greedy actions, Schaul et al. 2022, is a different quantity).
///
/// ```swift
/// let before = net.forward(reference, mode: .evaluation).copy()
/// optimizer.step()
/// let c = outputChurn(before: before, after: net.forward(reference, mode: .evaluation))
/// ```
public func outputChurn(before: Tensor, after: Tensor) -> Double {
    precondition(before.shape == after.shape && before.count > 0, "churn: outputs \(before.shape) and \(after.shape) differ or are empty")
    let a = before.data, b = after.data
    var sum = 0.0
    for i in 0..<before.count { sum += Swift.abs(Double(b[i]) - Double(a[i])) }
    return sum / Double(before.count)
}
