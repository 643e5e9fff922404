import Foundation
import Tensors

extension DQNRun {
    /// Environment 0's current observation as SVG (`MinAtarSVG`), titled "<game>, frame <n>";
    /// nil before the first frame.
    public var frameSVG: String? {
        currentEnvironments.map {
            MinAtarSVG.render($0.frame(0), channelNames: $0.game.channelNames, title: "\($0.game.rawValue), frame \(frame)")
        }
    }

    /// Writes `frameSVG` as `dir/frame-<frame, 9 digits>.svg` and returns its URL; nil before
    /// the first frame.
    @discardableResult
    public func writeFrame(into dir: URL) throws -> URL? {
        guard let svg = frameSVG else { return nil }
        try FileSystem.createDirectory(dir)
        let url = dir.appendingPathComponent(String(format: "frame-%09d.svg", frame))
        try FileSystem.write(svg, to: url)
        return url
    }
}
