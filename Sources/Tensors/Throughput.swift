import Foundation

/// Timed windows for throughput benchmarks (`plasticity bench`, `plasticity rl bench`).
public enum Throughput {
    /// Calls `body` repeatedly for `repeats` windows of at least `seconds` each and returns
    /// each window's calls per second, ascending (the median is `rates[rates.count / 2]`).
    public static func sortedRates(repeats: Int, seconds: Double, _ body: () -> Void) -> [Double] {
        var rates: [Double] = []
        for _ in 0..<Swift.max(repeats, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            var calls = 0, elapsed = 0.0
            repeat {
                body()
                calls += 1
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < seconds
            rates.append(Double(calls) / elapsed)
        }
        return rates.sorted()
    }
}
