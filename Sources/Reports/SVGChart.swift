import Foundation

/// A line chart rendered as standalone SVG: one line per series (the mean across seeds) with
/// a shaded band (what the band is, the caller says in `caption`). Series are told apart by
/// colour (the Okabe–Ito colour-blind-safe palette), dash pattern and marker shape, so they
/// stay distinct in grey print and for readers with colour-vision deficiencies (markers on
/// every point up to 40 points, in the legend always).
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
    /// What the lines and bands show, for the figure caption.
    public let caption: String

    public init(title: String, xLabel: String, yLabel: String, series: [Series], caption: String = "") {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.caption = caption
    }

    /// Okabe & Ito (2008) colours, darkest-first, without the yellow that vanishes on white.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"]
    static let dashes = ["", "7 3", "2 2", "9 3 2 3", "4 4", "1 3", "12 4", "6 2 2 2 2 2"]

    /// The caption followed by a note naming series drawn (almost) exactly under another one.
    public var fullCaption: String {
        let hidden = hiddenSeries()
        guard !hidden.isEmpty else { return caption }
        return caption + " " + hidden.map { "\($0.hidden) lies under \($0.over) (equal within 0.5 % of the axis at every point)." }.joined(separator: " ")
    }

    /// Pairs (hidden, drawn over it) of series whose means coincide within 0.5 % of the y range.
    func hiddenSeries() -> [(hidden: String, over: String)] {
        let ys = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
        let range = Swift.max((ys.max() ?? 0) - (ys.min() ?? 0), 1e-12)
        var out: [(String, String)] = []
        for (i, a) in series.enumerated() {
            guard let j = series.indices.first(where: { $0 > i && coincide(a, series[$0], tolerance: 0.005 * range) }) else { continue }
            out.append((a.name, series[j].name))
        }
        return out
    }

    private func coincide(_ a: Series, _ b: Series, tolerance: Double) -> Bool {
        a.points.count == b.points.count && !a.points.isEmpty
            && zip(a.points, b.points).allSatisfy { $0.x == $1.x && Swift.abs($0.y - $1.y) <= tolerance }
    }

    /// The chart as an `<svg>` element, `width`×`height` pixels.
    public func svg(width: Double = 720, height: Double = 400) -> String {
        let left = 70.0, right = 190.0, top = 34.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.flatMap { [$0.low, $0.high, $0.y] } }.filter(\.isFinite)
        var (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1), (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
        if x1 == x0 { x1 = x0 + 1 }
        if y1 == y0 { y0 -= 0.5; y1 += 0.5 }
        let yTicks = niceTicks(y0, y1), xTicks = niceTicks(x0, x1, count: 6).filter { ($0 == $0.rounded() || x1 - x0 < 5) && $0 >= x0 && $0 <= x1 }
        y0 = Swift.min(y0, yTicks.first ?? y0); y1 = Swift.max(y1, yTicks.last ?? y1)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        s += "<text x=\"\(left)\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(escapeXML(title))</text>"
        for t in yTicks {
            s += "<line x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\(q(py(t))) y2=\(q(py(t))) stroke=\"#e5e5e5\"/>"
            s += "<text x=\"\(left - 6)\" y=\(q(py(t) + 4)) text-anchor=\"end\">\(format(t))</text>"
        }
        for t in xTicks {
            s += "<text x=\(q(px(t))) y=\(q(top + plotH + 16)) text-anchor=\"middle\">\(format(t))</text>"
        }
        s += "<rect x=\"\(left)\" y=\"\(top)\" width=\(q(plotW)) height=\(q(plotH)) fill=\"none\" stroke=\"#888\"/>"
        s += "<text x=\(q(left + plotW / 2)) y=\(q(height - 12)) text-anchor=\"middle\">\(escapeXML(xLabel))</text>"
        s += "<text transform=\"translate(18 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">\(escapeXML(yLabel))</text>"
        for (i, serie) in series.enumerated() {
            let color = Self.palette[i % Self.palette.count], dash = Self.dashes[i % Self.dashes.count]
            let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            let pts = serie.points.filter { $0.y.isFinite }
            guard !pts.isEmpty else { continue }
            let banded = pts.filter { $0.low.isFinite && $0.high.isFinite }
            if banded.count == pts.count {
                let band = pts.map { "\(r(px($0.x))),\(r(py($0.high)))" } + pts.reversed().map { "\(r(px($0.x))),\(r(py($0.low)))" }
                s += "<polygon points=\"\(band.joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.14\" stroke=\"none\"/>"
            }
            s += "<polyline points=\"\(pts.map { "\(r(px($0.x))),\(r(py($0.y)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashAttribute)/>"
            if pts.count <= 40 { for p in pts { s += marker(i, x: px(p.x), y: py(p.y), color: color) } }
            let ly = top + 10 + Double(i) * 18
            s += "<line x1=\(q(left + plotW + 10)) x2=\(q(left + plotW + 40)) y1=\(q(ly)) y2=\(q(ly)) stroke=\"\(color)\" stroke-width=\"2\"\(dashAttribute)/>"
            s += marker(i, x: left + plotW + 25, y: ly, color: color)
            s += "<text x=\(q(left + plotW + 46)) y=\(q(ly + 4))>\(escapeXML(serie.name))</text>"
        }
        return s + "</svg>"
    }

    /// Marker `index` (circle, square, triangle, diamond, down-triangle, cross, plus, ring) at (x, y).
    private func marker(_ index: Int, x: Double, y: Double, color: String) -> String {
        let k = 3.5
        switch index % 8 {
        case 0: return "<circle cx=\(q(x)) cy=\(q(y)) r=\"3\" fill=\"\(color)\"/>"
        case 1: return "<rect x=\(q(x - 3)) y=\(q(y - 3)) width=\"6\" height=\"6\" fill=\"\(color)\"/>"
        case 2: return "<polygon points=\"\(r(x)),\(r(y - k)) \(r(x - k)),\(r(y + k * 0.8)) \(r(x + k)),\(r(y + k * 0.8))\" fill=\"\(color)\"/>"
        case 3: return "<polygon points=\"\(r(x)),\(r(y - k)) \(r(x + k)),\(r(y)) \(r(x)),\(r(y + k)) \(r(x - k)),\(r(y))\" fill=\"\(color)\"/>"
        case 4: return "<polygon points=\"\(r(x)),\(r(y + k)) \(r(x - k)),\(r(y - k * 0.8)) \(r(x + k)),\(r(y - k * 0.8))\" fill=\"\(color)\"/>"
        case 5: return "<path d=\"M\(r(x - 3)) \(r(y - 3))L\(r(x + 3)) \(r(y + 3))M\(r(x - 3)) \(r(y + 3))L\(r(x + 3)) \(r(y - 3))\" stroke=\"\(color)\" stroke-width=\"1.8\"/>"
        case 6: return "<path d=\"M\(r(x - k)) \(r(y))L\(r(x + k)) \(r(y))M\(r(x)) \(r(y - k))L\(r(x)) \(r(y + k))\" stroke=\"\(color)\" stroke-width=\"1.8\"/>"
        default: return "<circle cx=\(q(x)) cy=\(q(y)) r=\"3\" fill=\"white\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
        }
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
