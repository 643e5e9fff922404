/// A seeded, reproducible random number generator: PCG32 (PCG-XSH-RR 64/32, O'Neill 2014).
///
/// Algorithm, fixed so that every run can be replayed from its seed:
/// - state update: `state = state &* 6364136223846793005 &+ increment` (64-bit LCG);
/// - output: `rotr32(UInt32(((old >> 18) ^ old) >> 27), UInt32(old >> 59))`;
/// - seeding (pcg32_srandom): `increment = (stream << 1) | 1; state = 0; next();
///   state &+= seed; next()`;
/// - `uniform()`: `Float(next() >> 8) · 2⁻²⁴`, in [0, 1);
/// - `normal()`: Box–Muller on two uniforms, `√(−2 ln(1 − u₁)) · cos(2π u₂)` (one draw per
///   call, the sine half is discarded so the state alone determines the future);
/// - `below(n)`: Lemire's unbiased multiply-shift rejection on 32-bit outputs;
/// - `permutation(n)`: Fisher–Yates from the last index down, with `below(i + 1)`.
///
/// The whole state is two `UInt64`s (`state`, `increment`), saved in checkpoints.
public struct RandomGenerator: Sendable, Equatable {
    /// The 64-bit LCG state.
    public var state: UInt64
    /// The odd LCG increment (selects the stream).
    public var increment: UInt64

    /// A generator for `seed` on stream `stream`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        increment = (stream << 1) | 1
        state = 0
        _ = next()
        state &+= seed
        _ = next()
    }

    /// Restores a generator from a saved state.
    public init(state: UInt64, increment: UInt64) {
        self.state = state
        self.increment = increment | 1
    }

    /// The next 32 random bits.
    @inlinable public mutating func next() -> UInt32 {
        let old = state
        state = old &* 6364136223846793005 &+ increment
        let xorshifted = UInt32(truncatingIfNeeded: ((old >> 18) ^ old) >> 27)
        let rot = UInt32(truncatingIfNeeded: old >> 59)
        return (xorshifted >> rot) | (xorshifted << ((~rot &+ 1) & 31))
    }

    /// A uniform Float in [0, 1).
    @inlinable public mutating func uniform() -> Float {
        Float(next() >> 8) * 0x1p-24
    }

    /// A uniform Float in [low, high).
    @inlinable public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * uniform()
    }

    /// A standard normal Float (Box–Muller, computed in Double).
    @inlinable public mutating func normal() -> Float {
        let u1 = Double(next() >> 8) * 0x1p-24
        let u2 = Double(next() >> 8) * 0x1p-24
        let r = (-2 * _log(1 - u1)).squareRoot()
        return Float(r * _cos(2 * Double.pi * u2))
    }

    /// A uniform integer in 0..<n, unbiased (Lemire 2019).
    @inlinable public mutating func below(_ n: Int) -> Int {
        precondition(n > 0 && n <= Int(UInt32.max), "below(\(n)) out of range")
        let bound = UInt32(n)
        var m = UInt64(next()) * UInt64(bound)
        if UInt32(truncatingIfNeeded: m) < bound {
            let threshold = (0 &- bound) % bound
            while UInt32(truncatingIfNeeded: m) < threshold {
                m = UInt64(next()) * UInt64(bound)
            }
        }
        return Int(m >> 32)
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }

    /// Shuffles `array` in place (Fisher–Yates).
    public mutating func shuffle<T>(_ array: inout [T]) {
        var i = array.count - 1
        while i > 0 {
            array.swapAt(i, below(i + 1))
            i -= 1
        }
    }

    /// Fills `buffer` with uniform values in [low, high).
    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, _ low: Float, _ high: Float) {
        for i in buffer.indices { buffer[i] = uniform(low, high) }
    }

    /// Fills `buffer` with normal values of the given mean and standard deviation.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, std: Float = 1) {
        for i in buffer.indices { buffer[i] = mean + std * normal() }
    }

    /// A new generator derived from this one's next outputs (for independent sub-streams).
    public mutating func split() -> RandomGenerator {
        let seed = UInt64(next()) << 32 | UInt64(next())
        let stream = UInt64(next()) << 32 | UInt64(next())
        return RandomGenerator(seed: seed, stream: stream)
    }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _log(_ x: Double) -> Double { Glibc.log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Foundation
@usableFromInline func _log(_ x: Double) -> Double { Foundation.log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Foundation.cos(x) }
#endif
