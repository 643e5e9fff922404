import Dispatch
import Experiments
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag that training checks between steps (at its safe
/// points), so an interrupted run writes a final checkpoint and exits cleanly. The signals
/// are ignored at the process level and delivered to a dispatch source, so no code runs in
/// a signal handler; the source's handler only records the signal. A second signal while
/// the first is being honoured exits at once with status 128 + signal. A study's run also
/// treats the study's death as SIGTERM (see `watchStudy`).
final class InterruptSignals: Sendable {
    private let number = Atomic<Int32>(0)
    private nonisolated(unsafe) var sources: [DispatchSourceSignal] = []

    private nonisolated(unsafe) var parentWatch: DispatchSourceTimer?

    init() {
        watchStudy()
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

    /// A run started by a study (`StudyRunner.parentVariable` set) counts its study's death —
    /// its parent pid changing, checked every second — as a SIGTERM, so it checkpoints and
    /// stops instead of running on as an orphan.
    private func watchStudy() {
        guard let text = ProcessInfo.processInfo.environment[StudyRunner.parentVariable], let study = Int32(text) else { return }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now(), repeating: 1.0)
        timer.setEventHandler { [self] in
            if getppid() != study { _ = self.number.compareExchange(expected: 0, desired: SIGTERM, ordering: .relaxed) }
        }
        timer.resume()
        parentWatch = timer
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
