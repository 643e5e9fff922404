import Foundation
import Tensors

/// MNIST-1D-style procedural data (Greydanus 2020, "Scaling down deep learning",
/// github.com/greydanus/mnist1d): ten one-dimensional digit templates of 12 points, each
/// example a randomly transformed, noisy copy resampled to `length` points.
///
/// Templates: ten hand-drawn curves (`rawTemplates`), each standardised to mean 0 and std 1,
/// shifted so that it starts (and ends) at 0, and divided by 6. One example of class c, with
/// M = 12 + `padding.upperBound` working samples and u ~ U[0, 1) drawn afresh each time:
/// 1. pad:       append p zeros to template c, p uniform in `padding`;
/// 2. dilate:    resample the 12 + p points linearly to M (the template fills 12/(12+p) of it);
/// 3. scale:     multiply by 1 + `scaleCoefficient`·(u − ½);
/// 4. translate: roll right (circularly) by k, k uniform in 0..<`maxTranslation`;
/// 5. noise:     samples outside the template become correlated noise, `correlatedNoiseScale`·N(0, 1)
///               smoothed by a Gaussian filter with σ = 2 samples; then every sample gets
///               `iidNoiseScale`·N(0, 1);
/// 6. shear:     subtract a·(i/(M−1) − ½) from sample i, a = `shearScale`·(u − ½);
/// 7. resample linearly to `length` points.
/// Classes are balanced (example i has class i mod 10 before a shuffle), and the whole data set
/// is finally standardised to mean 0 and std 1 over all its values, as in the original.
/// The defaults are the original's; it uses 5000 examples split 4000 / 1000.
///
/// ```swift
/// let train = MNIST1D(count: 4000).generate(seed: 0)   // exampleShape [1, 40], classCount 10
/// let test = MNIST1D(count: 1000).generate(seed: 1)
/// ```
public struct MNIST1D: Sendable {
    /// Number of examples.
    public var count: Int
    /// Points per example.
    public var length: Int
    /// Range of the number of zeros appended before dilation.
    public var padding: ClosedRange<Int>
    /// Amplitude scales are uniform in 1 ± `scaleCoefficient`/2.
    public var scaleCoefficient: Float
    /// Circular shifts are uniform in 0..<`maxTranslation` working samples.
    public var maxTranslation: Int
    /// Standard deviation of the background noise before smoothing.
    public var correlatedNoiseScale: Float
    /// Standard deviation of the white noise added everywhere.
    public var iidNoiseScale: Float
    /// Shear slopes are uniform in ±`shearScale`/2.
    public var shearScale: Float

    public init(count: Int = 5000, length: Int = 40, padding: ClosedRange<Int> = 36...60,
                scaleCoefficient: Float = 0.4, maxTranslation: Int = 48, correlatedNoiseScale: Float = 0.25,
                iidNoiseScale: Float = 0.02, shearScale: Float = 0.75) {
        precondition(count >= 0 && length >= 2 && padding.lowerBound >= 0 && maxTranslation >= 1,
                     "MNIST1D needs count ≥ 0, length ≥ 2, padding ≥ 0 and maxTranslation ≥ 1")
        self.count = count
        self.length = length
        self.padding = padding
        self.scaleCoefficient = scaleCoefficient
        self.maxTranslation = maxTranslation
        self.correlatedNoiseScale = correlatedNoiseScale
        self.iidNoiseScale = iidNoiseScale
        self.shearScale = shearScale
    }

    /// The ten digits as drawn, before normalisation (Greydanus 2020).
    public static let rawTemplates: [[Double]] = [
        [5, 6, 6.5, 6.75, 7, 7, 7, 7, 6.75, 6.5, 6, 5],
        [5, 3, 3, 3.4, 3.8, 4.2, 4.6, 5, 5.4, 5.8, 5, 5],
        [5, 6, 6.5, 6.5, 6, 5.25, 4.75, 4, 3.5, 3.5, 4, 5],
        [5, 6, 6.5, 6.5, 6, 5, 5, 6, 6.5, 6.5, 6, 5],
        [5, 4.4, 3.8, 3.2, 2.6, 2.6, 5, 5, 5, 5, 5, 5],
        [5, 3, 3, 3, 3, 5, 6, 6.5, 6.5, 6, 4.5, 5],
        [5, 4, 3.5, 3.25, 3, 3, 3, 3, 3.25, 3.5, 4, 5],
        [5, 7, 7, 6.6, 6.2, 5.8, 5.4, 5, 4.6, 4.2, 5, 5],
        [5, 4, 3.5, 3.5, 4, 5, 5, 4, 3.5, 3.5, 4, 5],
        [5, 4, 3.5, 3.5, 4, 5, 5, 5, 5, 4.7, 4.3, 5],
    ]

    /// The normalised templates: (t − mean(t)) / std(t), minus its first value, divided by 6.
    public static let templates: [[Float]] = rawTemplates.map { t in
        let mean = t.reduce(0, +) / Double(t.count)
        let std = (t.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(t.count)).squareRoot()
        let z = t.map { ($0 - mean) / std }
        return z.map { Float(($0 - z[0]) / 6) }
    }

    /// The data set drawn from `seed`: shape [1, `length`] per example, 10 classes.
    public func generate(seed: UInt64) -> LabelledDataset {
        var rng = RandomGenerator(seed: seed)
        var labels = (0..<count).map { $0 % 10 }
        rng.shuffle(&labels)
        var inputs: [Float] = []
        inputs.reserveCapacity(count * length)
        for label in labels { inputs += example(of: Self.templates[label], &rng) }
        // Standardise the whole data set (not each example or position).
        let n = Double(inputs.count)
        let mean = inputs.reduce(0) { $0 + Double($1) } / n
        let std = (inputs.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n).squareRoot()
        inputs = inputs.map { Float((Double($0) - mean) / std) }
        return LabelledDataset(exampleShape: [1, length], inputs: inputs, labels: labels, classCount: 10)
    }

    /// Steps 1–7 of the type's description for one template.
    func example(of template: [Float], _ rng: inout RandomGenerator) -> [Float] {
        let m = template.count + padding.upperBound
        let zeros = [Float](repeating: 0, count: padding.lowerBound + rng.below(padding.count))
        let dilated = Self.resample(template + zeros, to: m)
        // Where the dilated template lies: samples interpolated from at least one template point.
        let inTemplate = Self.resample([Float](repeating: 1, count: template.count) + zeros, to: m).map { $0 > 0 }
        let scale = 1 + scaleCoefficient * (rng.uniform() - 0.5)
        let shift = rng.below(maxTranslation)
        let background = Self.gaussianSmooth((0..<m).map { _ in correlatedNoiseScale * rng.normal() }, sigma: 2)
        var x = [Float](repeating: 0, count: m)
        for i in 0..<m {
            let source = (i - shift + m) % m
            x[i] = inTemplate[source] ? scale * dilated[source] : background[i]
            x[i] += iidNoiseScale * rng.normal()
        }
        let shear = shearScale * (rng.uniform() - 0.5)
        for i in 0..<m { x[i] -= shear * (Float(i) / Float(m - 1) - 0.5) }
        return Self.resample(x, to: length)
    }

    /// `x` sampled at n evenly spaced positions from its first to its last point, linearly
    /// interpolated (numpy: `interp1d(linspace(0, 1, len(x)), x)(linspace(0, 1, n))`).
    static func resample(_ x: [Float], to n: Int) -> [Float] {
        let step = Double(x.count - 1) / Double(n - 1)
        return (0..<n).map { j in
            let u = Double(j) * step
            let i = min(Int(u), x.count - 2)
            let f = Float(u - Double(i))
            return (1 - f) * x[i] + f * x[i + 1]
        }
    }

    /// A Gaussian filter as scipy's `gaussian_filter1d(x, sigma)` defaults: weights
    /// exp(−k²/2σ²) for |k| ≤ ⌊4σ + ½⌋, normalised to sum 1, with the signal mirrored at its
    /// ends ('reflect': x₋₁ = x₀, x₋₂ = x₁, …).
    static func gaussianSmooth(_ x: [Float], sigma: Float) -> [Float] {
        let radius = Int(4 * sigma + 0.5)
        let weights = (-radius...radius).map { exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        let n = x.count
        func mirrored(_ i: Int) -> Int {
            let j = ((i % (2 * n)) + 2 * n) % (2 * n)
            return j < n ? j : 2 * n - 1 - j
        }
        return (0..<n).map { i in
            (-radius...radius).reduce(0) { $0 + weights[$1 + radius] * x[mirrored(i + $1)] } / total
        }
    }
}
