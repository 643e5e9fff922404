/// Persistence of dormancy after a reset: of the units re-initialised at some step (ReDo,
/// continual backprop), the fraction that are τ-dormant again at the next measurement after
/// that step, `|reset ∩ dormant| / |reset|` (nil for an empty reset set). High values mean
/// resets do not restore activity (Sokar et al. 2023 report how often reset neurons become
/// dormant again).
public func dormantAgainFraction(reset: [Int], dormant: [Int]) -> Double? {
    let counts = dormantAgainCounts(reset: reset, dormant: dormant)
    return counts.reset == 0 ? nil : Double(counts.again) / Double(counts.reset)
}

/// |reset ∩ dormant| and |reset| (each unit counted once).
func dormantAgainCounts(reset: [Int], dormant: [Int]) -> (again: Int, reset: Int) {
    let units = Set(reset)
    return (units.intersection(dormant).count, units.count)
}
