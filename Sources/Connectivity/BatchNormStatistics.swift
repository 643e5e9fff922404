import Networks
import Tensors

/// Recomputes BatchNorm running statistics for the current parameters, as
/// `torch.optim.swa_utils.update_bn` does: reset, then a training-mode forward pass per batch,
/// and running_mean / running_var set to the plain average over batches of each batch's mean
/// and unbiased variance (momentum = None), `num_batches_tracked` = the number of batches.
///
/// Interpolated networks need this: the running statistics of θ_A and θ_B do not describe the
/// activations of θ(α), and stale statistics alone can create a barrier (Jordan et al. 2023,
/// "REPAIR"; Adilova et al. 2024 recompute them too).
public enum BatchNormStatistics {
    /// Recomputes every BatchNorm of `network` on `data`, `batchSize` examples at a time
    /// (the last partial batch is used when it has more than one example). Does nothing for
    /// a network without BatchNorm. Returns the number of batches used.
    @discardableResult
    public static func recompute(_ network: Network, on data: EvaluationSet, batchSize: Int = 500) -> Int {
        let norms = network.batchNormLayers
        guard !norms.isEmpty else { return 0 }
        var meanSums = norms.map { [Double](repeating: 0, count: $0.channels) }
        var varianceSums = meanSums
        let x = Tensor(shape: Shape(0)), values = Tensor(shape: Shape(0))
        var labels: [Int] = [], batches = 0, start = 0
        while start < data.count {
            let end = Swift.min(start + batchSize, data.count)
            defer { start = end }
            guard end - start > 1 else { continue }
            data.fill(start, end, x: x, labels: &labels, values: values)
            _ = network.forward(x, mode: .training)
            for (j, norm) in norms.enumerated() {
                guard let input = norm.lastInput else { continue }
                accumulate(input, channels: norm.channels, means: &meanSums[j], variances: &varianceSums[j])
            }
            batches += 1
        }
        for (j, norm) in norms.enumerated() {
            let rm = norm.runningMean.tensor.data, rv = norm.runningVariance.tensor.data
            for c in 0..<norm.channels {
                rm[c] = Float(meanSums[j][c] / Double(Swift.max(batches, 1)))
                rv[c] = batches > 0 ? Float(varianceSums[j][c] / Double(batches)) : 1
            }
            norm.batchesTracked.tensor.data[0] = Float(batches)
        }
        return batches
    }

    /// Adds each channel's mean and unbiased variance over N·H·W of `input` to the sums.
    private static func accumulate(_ input: Tensor, channels: Int, means: inout [Double], variances: inout [Double]) {
        let n = input.shape[0], spatial = input.shape.trailingCount / channels, m = Double(n * spatial)
        let x = input.data
        for c in 0..<channels {
            var s = 0.0, s2 = 0.0
            for i in 0..<n {
                let p = x + (i * channels + c) * spatial
                for k in 0..<spatial { s += Double(p[k]) }
            }
            let mean = s / m
            for i in 0..<n {
                let p = x + (i * channels + c) * spatial
                for k in 0..<spatial { let d = Double(p[k]) - mean; s2 += d * d }
            }
            means[c] += mean
            variances[c] += s2 / (m - 1)
        }
    }
}
