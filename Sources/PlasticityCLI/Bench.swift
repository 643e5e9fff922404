import ArgumentParser

/// `plasticity bench`: throughput of the peer workloads W1–W5.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure training steps/s on the peer workloads W1–W5.")
    func run() throws {}
}
