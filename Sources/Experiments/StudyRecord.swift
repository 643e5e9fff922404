import Foundation
import Tensors

/// What a study directory remembers about how it was started (`study.toml` plus the scale
/// and seed count in its first comment lines), so `plasticity report` can rebuild the plan.
public struct StudyRecord: Sendable {
    public static let fileName = "study.toml"
    public let text: String
    public let scale: String
    public let seeds: Int

    public init(text: String, scale: String, seeds: Int) {
        self.text = text
        self.scale = scale
        self.seeds = seeds
    }

    public func write(to directory: URL) throws {
        let header = "# plasticity study: scale = \(scale)\n# plasticity study: seeds = \(seeds)\n"
        try FileSystem.write(header + text + "\n", to: directory.appendingPathComponent(Self.fileName))
    }

    public static func read(from directory: URL) throws -> StudyRecord {
        let url = directory.appendingPathComponent(fileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ConfigError(file: url.path, "no such file: not a study directory")
        }
        var scale: String?, seeds: Int?
        for line in text.split(separator: "\n").prefix(2) {
            if line.hasPrefix("# plasticity study: scale = ") { scale = String(line.dropFirst("# plasticity study: scale = ".count)) }
            if line.hasPrefix("# plasticity study: seeds = ") { seeds = Int(line.dropFirst("# plasticity study: seeds = ".count)) }
        }
        guard let scale, let seeds else { throw ConfigError(file: url.path, "missing the scale/seeds header lines") }
        return StudyRecord(text: text, scale: scale, seeds: seeds)
    }
}
