import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag that training checks between steps (at its safe
/// points), so an interrupted run writes a final checkpoint and exits cleanly. The signals
/// are ignored at the process level and delivered to a dispatch source, so no code runs in
/// a signal handler; the source's handler only records the signal. A second signal while
/// the first is being honoured exits at once with status 128 + signal.
final class InterruptSignals: Sendable {
    private let number = Atomic<Int32>(0)
    private nonisolated(unsafe) var sources: [DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                if self.number.exchange(number, ordering: .relaxed) != 0 { exit(128 + number) }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal received so far, if any.
    var received: Int32? {
        let n = number.load(ordering: .relaxed)
        return n == 0 ? nil : n
    }

    /// Whether SIGINT or SIGTERM has arrived.
    var isSet: Bool { received != nil }

    /// The conventional exit status for the received signal (128 + its number).
    var exitCode: Int32 { 128 + (received ?? 0) }
}
