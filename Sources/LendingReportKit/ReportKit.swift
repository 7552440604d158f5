/// The pieces of a self-contained HTML report: escaping and fixed-decimal numbers that never
/// depend on a platform formatter (so the same report renders to the same bytes), and inline-SVG
/// chart parts (axes, legends, lines, bars). Used by the training report and the portfolio report.
public enum ReportKit {
    /// A rectangle of the SVG canvas mapped to a data domain.
    public struct Plot: Sendable {
        public var left: Double
        public var top: Double
        public var width: Double
        public var height: Double
        public var xMin: Double
        public var xMax: Double
        public var yMin: Double
        public var yMax: Double

        public init(left: Double, top: Double, width: Double, height: Double, xMin: Double, xMax: Double, yMin: Double, yMax: Double) {
            self.left = left
            self.top = top
            self.width = width
            self.height = height
            self.xMin = xMin
            self.xMax = xMax
            self.yMin = yMin
            self.yMax = yMax
        }

        public var right: Double { left + width }
        public var bottom: Double { top + height }

        public func x(_ value: Double) -> Double {
            let span = xMax - xMin
            return span > 0 ? left + (min(max(value, xMin), xMax) - xMin) / span * width : left
        }

        public func y(_ value: Double) -> Double {
            let span = yMax - yMin
            return span > 0 ? bottom - (min(max(value, yMin), yMax) - yMin) / span * height : bottom
        }

        public func point(_ x: Double, _ y: Double) -> String { "\(coordinate(self.x(x))),\(coordinate(self.y(y)))" }
    }

    public static func svgOpen(width: Double, height: Double, label: String) -> String {
        "<svg class=\"chart\" width=\"\(coordinate(width))\" height=\"\(coordinate(height))\" "
            + "viewBox=\"0 0 \(coordinate(width)) \(coordinate(height))\" role=\"img\" aria-label=\"\(label)\">\n"
            + "<title>\(label)</title>\n"
    }

    /// Grid, axes, tick marks, tick labels and axis titles.
    public static func axes(_ plot: Plot, xTicks: [(Double, String)], yTicks: [(Double, String)], xTitle: String, yTitle: String) -> String {
        var svg = "<g class=\"grid\">"
        for (value, _) in yTicks {
            let y = coordinate(plot.y(value))
            svg += "<line x1=\"\(coordinate(plot.left))\" y1=\"\(y)\" x2=\"\(coordinate(plot.right))\" y2=\"\(y)\"/>"
        }
        for (value, _) in xTicks {
            let x = coordinate(plot.x(value))
            svg += "<line x1=\"\(x)\" y1=\"\(coordinate(plot.top))\" x2=\"\(x)\" y2=\"\(coordinate(plot.bottom))\"/>"
        }
        svg += "</g>\n<g class=\"axis\">"
        svg += "<line x1=\"\(coordinate(plot.left))\" y1=\"\(coordinate(plot.bottom))\" x2=\"\(coordinate(plot.right))\" y2=\"\(coordinate(plot.bottom))\"/>"
        svg += "<line x1=\"\(coordinate(plot.left))\" y1=\"\(coordinate(plot.top))\" x2=\"\(coordinate(plot.left))\" y2=\"\(coordinate(plot.bottom))\"/>"
        for (value, label) in xTicks {
            let x = coordinate(plot.x(value))
            svg += "<line x1=\"\(x)\" y1=\"\(coordinate(plot.bottom))\" x2=\"\(x)\" y2=\"\(coordinate(plot.bottom + 4))\"/>"
            svg += "<text x=\"\(x)\" y=\"\(coordinate(plot.bottom + 16))\" text-anchor=\"middle\">\(label)</text>"
        }
        for (value, label) in yTicks {
            let y = coordinate(plot.y(value))
            svg += "<line x1=\"\(coordinate(plot.left - 4))\" y1=\"\(y)\" x2=\"\(coordinate(plot.left))\" y2=\"\(y)\"/>"
            svg += "<text x=\"\(coordinate(plot.left - 7))\" y=\"\(coordinate(plot.y(value) + 3.5))\" text-anchor=\"end\">\(label)</text>"
        }
        svg += "</g>\n"
        svg += "<text class=\"axis-title\" x=\"\(coordinate(plot.left + plot.width / 2))\" y=\"\(coordinate(plot.bottom + 33))\" "
        svg += "text-anchor=\"middle\">\(xTitle)</text>\n"
        let yMid = coordinate(plot.top + plot.height / 2)
        let yX = coordinate(plot.left - 40)
        svg += "<text class=\"axis-title\" x=\"\(yX)\" y=\"\(yMid)\" text-anchor=\"middle\" "
        svg += "transform=\"rotate(-90 \(yX) \(yMid))\">\(yTitle)</text>\n"
        return svg
    }

    /// One legend row: a line or a box in `colour`, then escaped-already `text`.
    public static func legendEntry(x: Double, y: Double, colour: String, text: String, dashed: Bool = false, box: Bool = false) -> String {
        var svg = ""
        if box {
            svg += "<rect x=\"\(coordinate(x))\" y=\"\(coordinate(y - 6))\" width=\"12\" height=\"10\" fill=\"\(colour)\"/>"
        } else {
            svg += "<line x1=\"\(coordinate(x))\" y1=\"\(coordinate(y - 1))\" x2=\"\(coordinate(x + 18))\" y2=\"\(coordinate(y - 1))\" "
            svg += "stroke=\"\(colour)\" stroke-width=\"2.5\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>"
        }
        svg += "<text x=\"\(coordinate(x + 24))\" y=\"\(coordinate(y + 3))\">\(text)</text>\n"
        return svg
    }

    /// Legend entries in one row, right-aligned at `right` (widths estimated from the text length).
    public static func legendRow(right: Double, y: Double, entries: [(colour: String, text: String)], box: Bool) -> String {
        let widths = entries.map { (box ? 18 : 24) + 6.3 * Double($0.text.count) + 14 }
        var x = right - widths.reduce(0, +)
        var svg = ""
        for (entry, width) in zip(entries, widths) {
            if box {
                svg += "<rect x=\"\(coordinate(x))\" y=\"\(coordinate(y - 6))\" width=\"12\" height=\"10\" fill=\"\(entry.colour)\"/>"
                svg += "<text x=\"\(coordinate(x + 17))\" y=\"\(coordinate(y + 3))\">\(entry.text)</text>\n"
            } else {
                svg += legendEntry(x: x, y: y, colour: entry.colour, text: entry.text)
            }
            x += width
        }
        return svg
    }

    public static func noData(_ plot: Plot, _ message: String) -> String {
        "<text class=\"no-data\" x=\"\(coordinate(plot.left + plot.width / 2))\" y=\"\(coordinate(plot.top + plot.height / 2))\" "
            + "text-anchor=\"middle\">\(message)</text>\n"
    }

    public static func polyline(_ points: [String], colour: String, width: Double = 2, extra: String = "") -> String {
        guard points.count >= 2 else { return "" }
        return "<polyline\(extra) fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(coordinate(width))\" "
            + "stroke-linejoin=\"round\" points=\"\(points.joined(separator: " "))\"/>\n"
    }

    public static func bar(x: Double, width: Double, top: Double, bottom: Double, colour: String, tip: String) -> String {
        let height = max(bottom - top, 0)
        return "<rect x=\"\(coordinate(x))\" y=\"\(coordinate(bottom - height))\" width=\"\(coordinate(width))\" "
            + "height=\"\(coordinate(height))\" fill=\"\(colour)\"><title>\(tip)</title></rect>\n"
    }

    public static func figure(_ caption: String, _ svg: String) -> String {
        "<figure>\n<figcaption>\(caption)</figcaption>\n\(svg)</figure>\n"
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` for use in text and in quoted attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default:
                // Control characters other than tab and newline have no place in the page.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" {
                    escaped += " "
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }

    /// At most `limit` characters, with an ellipsis when cut.
    public static func truncated(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(limit - 1, 1))) + "…"
    }

    /// `value` rounded half away from zero to `decimals` places, written with a dot and no
    /// grouping; "n/a" for NaN and infinities. Uses only integer arithmetic on the rounded
    /// value, so the text never depends on a platform formatter.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "n/a" }
        let places = min(max(decimals, 0), 12)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        // Beyond 2^53 fixed decimals mean nothing: fall back to the shortest round-trip form.
        guard scaled < 9_007_199_254_740_992 else { return value.description }
        let units = UInt64(scaled)
        var digits = String(units)
        if places > 0 {
            if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
            let split = digits.index(digits.endIndex, offsetBy: -places)
            digits = String(digits[..<split]) + "." + String(digits[split...])
        }
        return value < 0 && units != 0 ? "-" + digits : digits
    }

    /// SVG coordinates: one decimal place.
    public static func coordinate(_ value: Double) -> String { fixed(value.isFinite ? value : 0, 1) }

    /// An integer with thin commas between thousands (`12,345`).
    public static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// About `count` round ticks (steps of 1, 2 or 5 times a power of ten) from the first
    /// multiple of the step at or above `low` to the first at or above `high`.
    public static func niceTicks(_ low: Double, _ high: Double, count: Int) -> (values: [Double], decimals: Int) {
        guard low.isFinite, high.isFinite, high > low, count > 0 else { return ([], 0) }
        let raw = (high - low) / Double(count)
        guard raw.isFinite, raw > 0 else { return ([], 0) }
        var magnitude = 1.0
        var decimals = 0
        while magnitude > raw && decimals < 300 { magnitude /= 10; decimals += 1 }
        while magnitude * 10 <= raw { magnitude *= 10 }
        var step = magnitude * 10
        for factor in [1.0, 2.0, 5.0] where factor * magnitude >= raw {
            step = factor * magnitude
            break
        }
        if step >= magnitude * 10 && decimals > 0 { decimals -= 1 }
        let first = (low / step).rounded(.up)
        var values: [Double] = []
        var k = first
        while values.count < 100 {
            let value = k * step
            values.append(abs(value) < step * 1e-9 ? 0 : value)
            if value >= high - step * 1e-9 { break }
            k += 1
        }
        return (values, min(decimals, 12))
    }

    /// The style every report shares: page, headings, tables, badges, figures and chart parts.
    public static let baseStyleSheet = """
    :root{--goods:#2b6cb0;--bads:#c53030;--test:#dd6b20;--ink:#1a202c;--muted:#718096;--line:#e2e8f0;--head:#f1f5f9}
    *{box-sizing:border-box}
    body{margin:0;background:#f4f6f8;color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
    main{max-width:1100px;margin:0 auto;padding:24px 24px 48px;background:#fff;min-height:100vh}
    header .eyebrow{margin:0;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.08em}
    h1{font-size:26px;margin:2px 0 10px;line-height:1.25;word-wrap:break-word}
    h2{font-size:19px;margin:30px 0 12px;padding-bottom:4px;border-bottom:2px solid var(--line)}
    h3{font-size:15px;margin:22px 0 8px}
    table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:6px 0;font-size:13px}
    th,td{border:1px solid var(--line);padding:3px 9px;vertical-align:top}
    th{background:var(--head);text-align:left;font-weight:600}
    tfoot td{background:#fafbfc;font-weight:600}
    .num{text-align:right;white-space:nowrap}
    .muted,.empty,.hint,.note{color:var(--muted)}
    .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:7px}
    .badge{display:inline-block;border-radius:8px;padding:0 7px;font-size:11.5px;font-weight:600}
    .badge.ok{background:#f0fff4;color:#276749}.badge.warn{background:#fffaf0;color:#9c4221}.badge.bad{background:#fff5f5;color:var(--bads)}
    .charts{display:flex;flex-wrap:wrap;gap:16px}
    figure{margin:0;border:1px solid var(--line);border-radius:4px;padding:6px}
    figcaption{font-weight:600;font-size:12.5px;margin:0 0 2px 4px}
    svg.chart{display:block;font-family:inherit;font-size:11px;fill:#2d3748}
    svg .grid line,svg line.gridline{stroke:#edf2f7;stroke-width:1}
    svg .axis line{stroke:#a0aec0;stroke-width:1}
    svg .axis text,svg text.tick{fill:#4a5568}
    svg .axis-title{fill:#2d3748;font-weight:600}
    svg line.reference{stroke:#a0aec0;stroke-width:1.5;stroke-dasharray:5 4}
    svg .no-data{fill:var(--muted);font-size:13px}

    """
}
