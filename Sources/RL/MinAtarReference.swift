import Foundation
import Subprocesses

/// The reference MinAtar (`minatar==1.0.15`) measured by `scripts/minatar-reference.py`, so
/// `plasticity rl bench --python PATH` can print our frames/s beside it from one run.
public enum MinAtarReference {
    /// Runs `scripts/minatar-reference.py` (relative to the working directory: the repository
    /// root) with `python` and returns its steps/s per game name.
    public static func framesPerSecond(python: String, episodes: Int) throws -> [String: Double] {
        let child: Subprocess
        do {
            child = try Subprocess(python, ["scripts/minatar-reference.py", "--episodes", String(episodes)], standardOutput: .capture)
        } catch { throw RLError("\(error)") }
        let result = child.finish()
        guard result.status == 0 else {
            throw RLError("scripts/minatar-reference.py failed (\(result.termination)); run from the repository root")
        }
        var rates: [String: Double] = [:]
        for line in result.standardOutput.split(separator: "\n") {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let game = object["game"] as? String, let rate = object["steps_per_s"] as? Double {
                rates[game] = rate
            }
        }
        return rates
    }
}
