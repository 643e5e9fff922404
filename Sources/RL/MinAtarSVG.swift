import Tensors

/// SVG frames of MinAtar observations for reports: the 10×10 grid, each non-empty cell
/// filled with the colour of its highest active channel (as the reference's `display_state`
/// and `MinAtarText` pick the top channel), one `<rect class="cell">` per non-empty cell,
/// and a legend with one colour swatch per channel.
///
/// ```swift
/// let svg = MinAtarSVG.render(envs.frame(0), channelNames: envs.game.channelNames, title: "breakout")
/// ```
public enum MinAtarSVG {
    /// One colour per channel index (10 channels at most, Seaquest's count).
    public static let palette = ["#1f77b4", "#d62728", "#ff7f0e", "#2ca02c", "#9467bd",
                                 "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]

    /// Renders a [C, 10, 10] observation (C ≤ 10; channels past `channelNames` are padding
    /// and ignored) with `cell`-pixel cells.
    public static func render(_ observation: Tensor, channelNames: [String], title: String, cell: Int = 24) -> String {
        precondition(observation.shape.count == 3 && observation.shape[1] == 10 && observation.shape[2] == 10,
                     "MinAtar observation must be [C, 10, 10], got \(observation.shape)")
        let channels = min(observation.shape[0], channelNames.count, palette.count)
        let grid = 10 * cell, legendX = grid + 20, top = 28
        let height = max(top + grid + 8, top + channels * 20 + 8)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(legendX + 150)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"12\">"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        s += "<text x=\"0\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(escaped(title))</text>"
        s += "<rect x=\"0\" y=\"\(top)\" width=\"\(grid)\" height=\"\(grid)\" fill=\"#111\"/>"
        for y in 0..<10 {
            for x in 0..<10 {
                guard let c = (0..<channels).last(where: { observation.data[$0 * 100 + y * 10 + x] != 0 }) else { continue }
                s += "<rect class=\"cell\" data-channel=\"\(c)\" x=\"\(x * cell + 1)\" y=\"\(top + y * cell + 1)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"\(palette[c])\"/>"
            }
        }
        for c in 0..<channels {
            let y = top + c * 20
            s += "<rect class=\"swatch\" x=\"\(legendX)\" y=\"\(y)\" width=\"14\" height=\"14\" fill=\"\(palette[c])\"/>"
            s += "<text x=\"\(legendX + 20)\" y=\"\(y + 12)\">\(c) \(escaped(channelNames[c]))</text>"
        }
        return s + "</svg>"
    }

    private static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension EnvironmentBatch {
    /// Environment `index`'s current observation as a [C, 10, 10] tensor (a copy).
    public func frame(_ index: Int) -> Tensor {
        precondition(index >= 0 && index < count, "environment \(index) outside 0..<\(count)")
        let planes = channelCount * 100
        let t = Tensor(shape: Shape(channelCount, 10, 10))
        t.data.update(from: observations.data + index * planes, count: planes)
        return t
    }
}
