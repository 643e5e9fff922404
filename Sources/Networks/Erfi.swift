import Foundation

/// The imaginary error function erfi(x) = −i·erf(ix) = (2/√π) ∫₀ˣ e^{t²} dt, in Double.
///
/// |x| ≤ 6: the Taylor series (2/√π) Σₙ x^{2n+1} / (n!(2n+1)) (all terms positive, no
/// cancellation); |x| > 6: the asymptotic series e^{x²}/(x√π) · Σₖ (2k−1)!!/(2x²)^k,
/// truncated before its smallest term (relative error about e^{−x²} < e^{−36} ≈ 2e−16).
/// Overflows to ±∞ beyond |x| ≈ 26.6, where e^{x²} leaves the Double range.
func erfi(_ x: Double) -> Double {
    let a = abs(x)
    var result: Double
    if a <= 6 {
        let x2 = a * a
        var power = a, sum = 0.0, n = 0.0
        var term = a
        repeat {
            term = power / (2 * n + 1)
            sum += term
            n += 1
            power *= x2 / n
        } while term > sum * 1e-17
        result = sum * 2 / Double.pi.squareRoot()
    } else {
        let r = 1 / (2 * a * a)
        var term = 1.0, sum = 1.0, k = 1.0
        while k < a * a {
            let next = term * (2 * k - 1) * r
            if next >= term || next < sum * 1e-17 { break }
            term = next
            sum += term
            k += 1
        }
        result = exp(a * a) / (a * Double.pi.squareRoot()) * sum
    }
    return x < 0 ? -result : result
}
