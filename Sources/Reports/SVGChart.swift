import Foundation

/// A line chart rendered as standalone SVG: one line per series (the mean across seeds) with
/// a shaded band from the minimum to the maximum seed.
public struct LineChart: Sendable {
    /// One series: points (x, mean, low, high).
    public struct Series: Sendable {
        public let name: String
        public let points: [(x: Double, y: Double, low: Double, high: Double)]
        public init(name: String, points: [(x: Double, y: Double, low: Double, high: Double)]) {
            self.name = name
            self.points = points
        }
    }

    public let title: String
    public let xLabel: String
    public let yLabel: String
    public let series: [Series]

    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    /// The chart as an `<svg>` element, `width`×`height` pixels.
    public func svg(width: Double = 560, height: Double = 340) -> String {
        let left = 64.0, right = 150.0, top = 34.0, bottom = 48.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.flatMap { [$0.low, $0.high, $0.y] } }.filter(\.isFinite)
        var (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1), (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
        if x1 == x0 { x1 = x0 + 1 }
        if y1 == y0 { y0 -= 0.5; y1 += 0.5 }
        let yTicks = niceTicks(y0, y1), xTicks = niceTicks(x0, x1, count: 6).filter { $0 == $0.rounded() || x1 - x0 < 5 }
        y0 = Swift.min(y0, yTicks.first ?? y0); y1 = Swift.max(y1, yTicks.last ?? y1)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        s += "<text x=\"\(left)\" y=\"20\" font-size=\"13\" font-weight=\"bold\">\(escapeXML(title))</text>"
        for t in yTicks {
            s += "<line x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\(q(py(t))) y2=\(q(py(t))) stroke=\"#e5e5e5\"/>"
            s += "<text x=\"\(left - 6)\" y=\(q(py(t) + 4)) text-anchor=\"end\">\(format(t))</text>"
        }
        for t in xTicks {
            s += "<text x=\(q(px(t))) y=\(q(top + plotH + 16)) text-anchor=\"middle\">\(format(t))</text>"
        }
        s += "<rect x=\"\(left)\" y=\"\(top)\" width=\(q(plotW)) height=\(q(plotH)) fill=\"none\" stroke=\"#888\"/>"
        s += "<text x=\(q(left + plotW / 2)) y=\(q(height - 10)) text-anchor=\"middle\">\(escapeXML(xLabel))</text>"
        s += "<text transform=\"translate(16 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">\(escapeXML(yLabel))</text>"
        for (i, serie) in series.enumerated() {
            let color = Self.palette[i % Self.palette.count]
            let pts = serie.points.filter { $0.y.isFinite }
            guard !pts.isEmpty else { continue }
            let band = pts.map { "\(r(px($0.x))),\(r(py($0.high)))" } + pts.reversed().map { "\(r(px($0.x))),\(r(py($0.low)))" }
            s += "<polygon points=\"\(band.joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.15\" stroke=\"none\"/>"
            s += "<polyline points=\"\(pts.map { "\(r(px($0.x))),\(r(py($0.y)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            for p in pts { s += "<circle cx=\(q(px(p.x))) cy=\(q(py(p.y))) r=\"2.5\" fill=\"\(color)\"/>" }
            let ly = top + 8 + Double(i) * 16
            s += "<line x1=\(q(left + plotW + 10)) x2=\(q(left + plotW + 26)) y1=\(q(ly)) y2=\(q(ly)) stroke=\"\(color)\" stroke-width=\"2\"/>"
            s += "<text x=\(q(left + plotW + 30)) y=\(q(ly + 4))>\(escapeXML(serie.name))</text>"
        }
        return s + "</svg>"
    }

    private func q(_ v: Double) -> String { "\"\(r(v))\"" }
    private func r(_ v: Double) -> String { String(format: "%.1f", v) }
}

/// About `count` round tick values spanning [lo, hi].
func niceTicks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
    let span = hi - lo
    guard span > 0, span.isFinite else { return [lo] }
    let raw = span / Double(count), magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var t = floor(lo / step) * step, out: [Double] = []
    while t <= hi + step * 0.5 { out.append(t); t += step }
    return out
}

func format(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
    return abs(v) >= 100 ? String(format: "%.0f", v) : (abs(v) >= 1 ? String(format: "%.2f", v) : String(format: "%.3g", v))
}

/// Escapes text for XML/HTML content and attributes.
public func escapeXML(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
