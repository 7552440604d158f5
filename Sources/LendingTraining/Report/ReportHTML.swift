import LendingReportKit

/// Renders a `TrainingReport` as one self-contained HTML5 page: inline CSS, charts as inline
/// SVG, no script and no reference to anything outside the page.
///
/// The output is a pure function of the report: every number is formatted here with fixed
/// decimals (no locale, no platform formatter), so the same report gives byte-identical HTML.
/// Values that are NaN or infinite are shown as "n/a" and left out of the charts.
public enum ReportHTML {
    /// Renders `report` as a complete HTML document (starting with `<!DOCTYPE html>`).
    /// - Parameter report: what `lending train` or `lending evaluate` measured.
    /// - Returns: the page, UTF-8 text with every report string HTML-escaped.
    public static func render(_ report: TrainingReport) -> String {
        var page = ""
        page.reserveCapacity(64 * 1024)
        page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<title>\(ReportKit.escape(report.title))</title>\n<style>\n\(styleSheet)</style>\n</head>\n<body>\n<main>\n"
        page += header(report)
        page += warnings(report.warnings)
        page += metrics(report)
        page += discrimination(report.samples)
        page += distributions(report.samples)
        page += calibration(report.samples)
        page += coefficients(report.coefficients)
        if let tuning = report.tuning { page += crossValidation(tuning) }
        page += characteristics(report.characteristics)
        page += stability(report.characteristicCSI)
        page += "</main>\n</body>\n</html>\n"
        return page
    }
}

// MARK: - Sections

extension ReportHTML {
    static func header(_ report: TrainingReport) -> String {
        var html = "<header>\n<p class=\"eyebrow\">Scorecard training report</p>\n<h1>\(ReportKit.escape(report.title))</h1>\n"
        if !report.settings.isEmpty {
            html += "<ul class=\"settings\">\n"
            for setting in report.settings { html += "<li>\(ReportKit.escape(setting))</li>\n" }
            html += "</ul>\n"
        }
        html += "<nav>"
        var links = [("metrics", "Metrics"), ("discrimination", "ROC &amp; KS"), ("distribution", "Distributions"),
                     ("calibration", "Calibration"), ("coefficients", "Coefficients"), ("characteristics", "Characteristics")]
        if report.tuning != nil { links.append(("cross-validation", "Cross-validation")) }
        if !report.characteristicCSI.isEmpty { links.append(("stability", "Stability")) }
        html += links.map { "<a href=\"#\($0.0)\">\($0.1)</a>" }.joined(separator: " · ")
        html += "</nav>\n</header>\n"
        return html
    }

    static func warnings(_ warnings: [String]) -> String {
        guard !warnings.isEmpty else { return "" }
        var html = "<section class=\"warnings\" id=\"warnings\">\n<h2>Warnings (\(warnings.count))</h2>\n<ul>\n"
        for warning in warnings { html += "<li>\(ReportKit.escape(warning))</li>\n" }
        return html + "</ul>\n</section>\n"
    }

    static func metrics(_ report: TrainingReport) -> String {
        var html = "<section id=\"metrics\">\n<h2>Metrics</h2>\n"
        guard !report.samples.isEmpty else { return html + emptyNote("No samples were evaluated.") + "</section>\n" }
        let showPSI = report.scorePSI != nil
        html += "<table class=\"metrics\">\n<thead><tr><th>Sample</th><th class=\"num\">Rows</th><th class=\"num\">Bads</th>"
        html += "<th class=\"num\">Bad rate %</th><th class=\"num\">KS</th><th class=\"num\">KS at score</th>"
        html += "<th class=\"num\">AUC</th><th class=\"num\">Gini</th>"
        if showPSI { html += "<th class=\"num\">Score PSI</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for (index, sample) in report.samples.enumerated() {
            let badRate = sample.rows > 0 ? Double(sample.bads) / Double(sample.rows) * 100 : .nan
            html += "<tr><td><span class=\"swatch\" style=\"background:\(sampleColour(index))\"></span>\(ReportKit.escape(sample.name))</td>"
            html += numberCell(ReportKit.integer(sample.rows)) + numberCell(ReportKit.integer(sample.bads)) + numberCell(ReportKit.fixed(badRate, 2))
            html += numberCell(ReportKit.fixed(sample.ks, 3)) + numberCell(ReportKit.fixed(sample.ksScore, 1))
            html += numberCell(ReportKit.fixed(sample.auc, 3)) + numberCell(ReportKit.fixed(sample.gini, 3))
            if let psi = report.scorePSI {
                if index == 0 {
                    html += "<td class=\"num muted\">reference</td>"
                } else if index == 1 {
                    html += "<td class=\"num\">\(ReportKit.fixed(psi, 4)) \(stabilityBadge(psi))</td>"
                } else {
                    html += "<td class=\"num muted\">—</td>"
                }
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if showPSI {
            html += "<p class=\"hint\">PSI of the score compares the second sample with the first: below 0.10 stable, "
            html += "0.10–0.25 a moderate shift, above 0.25 a major shift.</p>\n"
        }
        return html + "</section>\n"
    }

    static func discrimination(_ samples: [SampleReport]) -> String {
        var html = "<section id=\"discrimination\">\n<h2>Discrimination</h2>\n"
        guard !samples.isEmpty else { return html + emptyNote("No samples were evaluated.") + "</section>\n" }
        html += "<div class=\"charts\">\n"
        html += ReportKit.figure("ROC curve", rocChart(samples))
        html += ReportKit.figure("KS: cumulative bads and goods by score (\(ReportKit.escape(samples[0].name)))", ksChart(samples[0]))
        return html + "</div>\n</section>\n"
    }

    static func distributions(_ samples: [SampleReport]) -> String {
        var html = "<section id=\"distribution\">\n<h2>Score distribution</h2>\n"
        guard !samples.isEmpty else { return html + emptyNote("No samples were evaluated.") + "</section>\n" }
        html += "<div class=\"charts\">\n"
        for sample in samples.prefix(2) {
            html += ReportKit.figure("Goods and bads by score band (\(ReportKit.escape(sample.name)), share of each class)", distributionChart(sample))
        }
        return html + "</div>\n</section>\n"
    }

    static func calibration(_ samples: [SampleReport]) -> String {
        var html = "<section id=\"calibration\">\n<h2>Calibration</h2>\n"
        guard !samples.isEmpty else { return html + emptyNote("No samples were evaluated.") + "</section>\n" }
        html += "<div class=\"charts\">\n"
        for (index, sample) in samples.enumerated() {
            html += ReportKit.figure("Predicted vs observed bad rate by score decile (\(ReportKit.escape(sample.name)))",
                           calibrationChart(sample, colour: sampleColour(index)))
        }
        return html + "</div>\n</section>\n"
    }

    /// The cross-validation curve: the chosen setting, the profile table (each searched value
    /// with the best mean fold AUC it reaches), a chart of mean fold AUC against the first
    /// searched parameter, and which characteristics were allowed a peak or valley and why.
    static func crossValidation(_ tuning: TuningResult) -> String {
        var html = "<section id=\"cross-validation\">\n<h2>Cross-validation</h2>\n"
        html += "<p>\(tuning.folds) stratified folds of the \(tuning.rows) training rows (seed \(tuning.seed)); \(tuning.curve.count) settings. "
        html += "Chosen: <strong>\(ReportKit.escape(tuning.chosen.text))</strong>, mean fold AUC \(ReportKit.fixed(tuning.chosenMeanAUC, 4)) "
        html += "(sd \(ReportKit.fixed(tuning.chosenSdAUC, 4))). Rule: \(ReportKit.escape(tuning.rule)).</p>\n"
        html += crossValidationChart(tuning)
        let profile = tuning.profile
        if !profile.isEmpty {
            html += "<table class=\"cv-profile\">\n<thead><tr><th>Parameter</th><th class=\"num\">Value</th><th class=\"num\">Best mean fold AUC</th>"
            html += "<th class=\"num\">sd</th><th class=\"num\">Characteristics</th><th>With</th></tr></thead>\n<tbody>\n"
            for row in profile {
                html += "<tr\(row.chosen ? " class=\"chosen\"" : "")><td>\(ReportKit.escape(row.parameter))\(row.chosen ? " ✓" : "")</td>"
                html += numberCell(ReportKit.escape(row.value)) + numberCell(ReportKit.fixed(row.best.meanAUC, 4)) + numberCell(ReportKit.fixed(row.best.sdAUC, 4))
                html += numberCell(ReportKit.fixed(row.best.meanCharacteristics, 1)) + "<td>\(ReportKit.escape(row.best.setting.text))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        let top = tuning.curve.indices.sorted { (tuning.curve[$0].meanAUC, -$0) > (tuning.curve[$1].meanAUC, -$1) }.prefix(10)
        html += "<h3>Best settings</h3>\n<table class=\"cv-top\">\n<thead><tr><th>Setting</th><th class=\"num\">Mean fold AUC</th><th class=\"num\">sd</th>"
        html += "<th class=\"num\">Characteristics</th></tr></thead>\n<tbody>\n"
        for index in top {
            let point = tuning.curve[index]
            html += "<tr><td>\(ReportKit.escape(point.setting.text))\(point.setting == tuning.chosen ? " ✓" : "")</td>"
            html += numberCell(ReportKit.fixed(point.meanAUC, 4)) + numberCell(ReportKit.fixed(point.sdAUC, 4)) + numberCell(ReportKit.fixed(point.meanCharacteristics, 1)) + "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if !tuning.shapes.isEmpty {
            html += "<h3>Peaks and valleys</h3>\n<table class=\"cv-shapes\">\n<thead><tr><th>Characteristic</th><th>Allowed</th><th>Bins</th>"
            html += "<th class=\"num\">Fold AUC, monotone</th><th class=\"num\">with a turn</th><th class=\"num\">t</th><th>Why</th></tr></thead>\n<tbody>\n"
            for shape in tuning.shapes {
                html += "<tr><td>\(ReportKit.escape(shape.name))</td><td>\(shape.allowed == "peak-or-valley" ? "peak or valley" : "monotone")</td>"
                html += "<td>\(ReportKit.escape(shape.shape ?? "not in the model"))</td>"
                html += numberCell(ReportKit.fixed(shape.monotoneAUC, 4)) + numberCell(ReportKit.fixed(shape.turnAUC, 4)) + numberCell(ReportKit.fixed(shape.t, 1))
                html += "<td>\(ReportKit.escape(shape.reason))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
            html += "<p class=\"hint\">Each numeric characteristic alone (its WoE) on the left-out fold: a peak or valley is allowed when it raises the mean fold AUC by at least 0.005 with a paired t of at least 2.</p>\n"
        }
        return html + "</section>\n"
    }

    /// Mean fold AUC (with ±1 sd bars) against the first searched parameter, one line per value of
    /// the second, the others at their chosen values.
    static func crossValidationChart(_ tuning: TuningResult) -> String {
        let keys: [(String, (TuningSetting) -> Double)] = [("l2", { $0.l2 }), ("maxBins", { Double($0.maxBins) }),
                                                          ("ivThreshold", { $0.ivThreshold }), ("minBinShare", { $0.minBinShare })]
        let searched = keys.filter { tuning.searched.contains($0.0) }
        guard let xKey = searched.first else { return "" }
        let seriesKey = searched.dropFirst().first
        let fixed = searched.dropFirst(2)
        let points = tuning.curve.filter { point in fixed.allSatisfy { $0.1(point.setting) == $0.1(tuning.chosen) } }
        var xValues: [Double] = []
        for point in points where !xValues.contains(xKey.1(point.setting)) { xValues.append(xKey.1(point.setting)) }
        xValues.sort()
        var seriesValues: [Double] = []
        if let seriesKey { for point in points where !seriesValues.contains(seriesKey.1(point.setting)) { seriesValues.append(seriesKey.1(point.setting)) } }
        seriesValues.sort()
        guard xValues.count >= 2 else { return "" }
        let lows = points.map { $0.meanAUC - $0.sdAUC }.filter(\.isFinite)
        let highs = points.map { $0.meanAUC + $0.sdAUC }.filter(\.isFinite)
        let ticks = ReportKit.niceTicks(lows.min() ?? 0.5, highs.max() ?? 1, count: 4)
        let plot = ReportKit.Plot(left: 56, top: 14, width: 360, height: 220, xMin: -0.5, xMax: Double(xValues.count) - 0.5,
                                  yMin: ticks.values.first ?? 0.5, yMax: ticks.values.last ?? 1)
        var svg = ReportKit.svgOpen(width: 600, height: 280, label: "Mean fold AUC by \(xKey.0)")
        svg += ReportKit.axes(plot, xTicks: xValues.enumerated().map { (Double($0.offset), ReportText.number($0.element)) },
                              yTicks: ticks.values.map { ($0, ReportKit.fixed($0, ticks.decimals)) }, xTitle: xKey.0, yTitle: "Mean fold AUC")
        var legendY = plot.top + 10
        for (seriesIndex, value) in (seriesKey == nil ? [0] : seriesValues).enumerated() {
            let colour = sampleColour(seriesIndex)
            var line: [String] = []
            for (xIndex, x) in xValues.enumerated() {
                guard let point = points.first(where: { xKey.1($0.setting) == x && (seriesKey == nil || seriesKey!.1($0.setting) == value) }) else { continue }
                let offset = Double(xIndex) + (Double(seriesIndex) - Double(max(seriesValues.count, 1) - 1) / 2) * 0.06
                line.append(plot.point(offset, point.meanAUC))
                svg += "<line x1=\"\(ReportKit.coordinate(plot.x(offset)))\" y1=\"\(ReportKit.coordinate(plot.y(point.meanAUC - point.sdAUC)))\" "
                svg += "x2=\"\(ReportKit.coordinate(plot.x(offset)))\" y2=\"\(ReportKit.coordinate(plot.y(point.meanAUC + point.sdAUC)))\" stroke=\"\(colour)\" stroke-opacity=\"0.35\"/>"
                let isChosen = point.setting == tuning.chosen
                svg += "<circle cx=\"\(ReportKit.coordinate(plot.x(offset)))\" cy=\"\(ReportKit.coordinate(plot.y(point.meanAUC)))\" r=\"\(isChosen ? 5 : 2.5)\" "
                svg += "fill=\"\(isChosen ? "#ffffff" : colour)\" stroke=\"\(colour)\" stroke-width=\"\(isChosen ? 2.5 : 1)\"><title>\(ReportKit.escape(point.setting.text)): "
                svg += "\(ReportKit.fixed(point.meanAUC, 4)) ± \(ReportKit.fixed(point.sdAUC, 4))</title></circle>\n"
            }
            svg += ReportKit.polyline(line, colour: colour, width: 1.8)
            if let seriesKey {
                svg += ReportKit.legendEntry(x: plot.right + 22, y: legendY, colour: colour, text: "\(seriesKey.0) \(ReportText.number(value))")
                legendY += 20
            }
        }
        let others = fixed.map { "\($0.0) \(ReportText.number($0.1(tuning.chosen)))" }.joined(separator: ", ")
        let caption = "Mean fold AUC (bars: ±1 sd) by \(xKey.0)" + (others.isEmpty ? "" : "; \(others) as chosen") + "; the chosen setting is the open circle."
        return ReportKit.figure(ReportKit.escape(caption), svg + "</svg>\n")
    }

    static func coefficients(_ coefficients: [CoefficientReport]) -> String {
        var html = "<section id=\"coefficients\">\n<h2>Coefficients</h2>\n"
        guard !coefficients.isEmpty else { return html + emptyNote("No regression was fitted.") + "</section>\n" }
        html += "<table class=\"coefficients\">\n<thead><tr><th>Term</th><th class=\"num\">Estimate</th>"
        html += "<th class=\"num\">Std. error</th><th class=\"num\">z</th><th class=\"num\">p-value</th>"
        html += "<th class=\"num\">VIF</th></tr></thead>\n<tbody>\n"
        for coefficient in coefficients {
            html += "<tr><td>\(ReportKit.escape(coefficient.name))</td>"
            html += numberCell(ReportKit.fixed(coefficient.estimate, 4)) + numberCell(ReportKit.fixed(coefficient.standardError, 4))
            html += numberCell(ReportKit.fixed(coefficient.z, 2))
            let p = coefficient.pValue
            if p.isFinite && p > 0.05 {
                html += "<td class=\"num flag\" title=\"p-value above 0.05\">\(pValue(p)) ▲</td>"
            } else {
                html += numberCell(pValue(p))
            }
            if let vif = coefficient.vif {
                if vif.isFinite && vif <= 10 {
                    html += numberCell(ReportKit.fixed(vif, 2))
                } else {
                    html += "<td class=\"num flag\" title=\"variance inflation above 10\">\(ReportKit.fixed(vif, 2)) ▲</td>"
                }
            } else {
                html += "<td class=\"num muted\">—</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        html += "<p class=\"hint\"><span class=\"flag-key\">▲</span> p-value above 0.05 (not significant) or VIF above 10 "
        html += "(collinear). A positive estimate on WoE is expected: riskier bins raise the odds of bad.</p>\n"
        return html + "</section>\n"
    }

    static func characteristics(_ characteristics: [CharacteristicReport]) -> String {
        var html = "<section id=\"characteristics\">\n<h2>Characteristics</h2>\n"
        guard !characteristics.isEmpty else { return html + emptyNote("No characteristics were binned.") + "</section>\n" }
        let selected = characteristics.filter(\.selected)
        let others = characteristics.filter { !$0.selected }
        if selected.isEmpty { html += emptyNote("No characteristic was selected for the model.") }
        for characteristic in selected {
            html += "<article class=\"characteristic\">\n<h3>\(ReportKit.escape(characteristic.name)) "
            html += "<span class=\"kind\">\(ReportKit.escape(characteristic.kind))</span> "
            html += "<span class=\"iv\">IV \(ReportKit.fixed(characteristic.informationValue, 4)) · \(ivStrength(characteristic.informationValue))</span></h3>\n"
            if let note = characteristic.note { html += "<p class=\"note\">\(ReportKit.escape(note))</p>\n" }
            html += characteristicBody(characteristic)
            html += "</article>\n"
        }
        if !others.isEmpty {
            html += "<h3 class=\"subhead\">Not selected (\(others.count))</h3>\n"
            for characteristic in others {
                html += "<details class=\"characteristic\">\n<summary><span class=\"name\">\(ReportKit.escape(characteristic.name))</span> "
                html += "<span class=\"kind\">\(ReportKit.escape(characteristic.kind))</span> "
                html += "<span class=\"iv\">IV \(ReportKit.fixed(characteristic.informationValue, 4))</span>"
                if let note = characteristic.note { html += " <span class=\"note\">— \(ReportKit.escape(note))</span>" }
                html += "</summary>\n"
                html += characteristicBody(characteristic)
                html += "</details>\n"
            }
        }
        return html + "</section>\n"
    }

    static func characteristicBody(_ characteristic: CharacteristicReport) -> String {
        guard !characteristic.bins.isEmpty else { return emptyNote("No bins.") }
        var html = "<div class=\"bins\">\n<table class=\"bins-table\">\n<thead><tr><th>Bin</th><th class=\"num\">Count</th>"
        html += "<th class=\"num\">Goods</th><th class=\"num\">Bads</th><th class=\"num\">Bad rate %</th>"
        html += "<th class=\"num\">WoE</th><th class=\"num\">IV</th><th class=\"num\">Points</th></tr></thead>\n<tbody>\n"
        var count = 0, goods = 0, bads = 0
        var iv = 0.0
        for bin in characteristic.bins {
            count += bin.count
            goods += bin.goods
            bads += bin.bads
            if bin.iv.isFinite { iv += bin.iv }
            html += "<tr><td class=\"label\">\(ReportKit.escape(bin.label))</td>"
            html += numberCell(ReportKit.integer(bin.count)) + numberCell(ReportKit.integer(bin.goods)) + numberCell(ReportKit.integer(bin.bads))
            html += numberCell(ReportKit.fixed(bin.badRate * 100, 2))
            html += "<td class=\"num \(bin.woe > 0 ? "risk" : "safe")\">\(ReportKit.fixed(bin.woe, 3))</td>"
            html += numberCell(ReportKit.fixed(bin.iv, 4))
            html += bin.points.map { numberCell(ReportKit.fixed($0, 1)) } ?? "<td class=\"num muted\">—</td>"
            html += "</tr>\n"
        }
        let totalRate = count > 0 ? Double(bads) / Double(count) * 100 : .nan
        html += "</tbody>\n<tfoot><tr><td>Total</td>" + numberCell(ReportKit.integer(count)) + numberCell(ReportKit.integer(goods))
        html += numberCell(ReportKit.integer(bads)) + numberCell(ReportKit.fixed(totalRate, 2)) + "<td></td>" + numberCell(ReportKit.fixed(iv, 4))
        html += "<td></td></tr></tfoot>\n</table>\n"
        html += woeChart(characteristic)
        return html + "</div>\n"
    }

    static func stability(_ values: [NamedValue]) -> String {
        guard !values.isEmpty else { return "" }
        var html = "<section id=\"stability\">\n<h2>Characteristic stability (CSI, test vs train)</h2>\n"
        html += "<table class=\"csi\">\n<thead><tr><th>Characteristic</th><th class=\"num\">CSI</th><th>Stability</th></tr></thead>\n<tbody>\n"
        for value in values {
            html += "<tr><td>\(ReportKit.escape(value.name))</td>" + numberCell(ReportKit.fixed(value.value, 4))
            html += "<td>\(stabilityBadge(value.value))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }
}

// MARK: - Charts

extension ReportHTML {

    static let chartWidth = 500.0
    static let chartHeight = 320.0







    static var unitTicks: [(Double, String)] { (0...5).map { (Double($0) / 5, ReportKit.fixed(Double($0) / 5, 1)) } }

    static func rocChart(_ samples: [SampleReport]) -> String {
        let plot = ReportKit.Plot(left: 52, top: 14, width: 262, height: 262, xMin: 0, xMax: 1, yMin: 0, yMax: 1)
        var svg = ReportKit.svgOpen(width: chartWidth, height: chartHeight, label: "ROC curve")
        svg += ReportKit.axes(plot, xTicks: unitTicks, yTicks: unitTicks, xTitle: "Share of goods flagged (FPR)", yTitle: "Share of bads flagged (TPR)")
        svg += "<line class=\"reference\" x1=\"\(ReportKit.coordinate(plot.left))\" y1=\"\(ReportKit.coordinate(plot.bottom))\" "
        svg += "x2=\"\(ReportKit.coordinate(plot.right))\" y2=\"\(ReportKit.coordinate(plot.top))\"/>\n"
        var legendY = plot.top + 10
        let legendX = plot.right + 22
        for (index, sample) in samples.enumerated() {
            let points = sample.roc.filter { $0.x.isFinite && $0.y.isFinite }.map { plot.point($0.x, $0.y) }
            svg += ReportKit.polyline(points, colour: sampleColour(index), width: 2.2,
                            extra: " class=\"roc-line\" data-sample=\"\(ReportKit.escape(sample.name))\"")
            let name = ReportKit.truncated(sample.name, 14)
            svg += ReportKit.legendEntry(x: legendX, y: legendY, colour: sampleColour(index), text: "\(ReportKit.escape(name)) (AUC \(ReportKit.fixed(sample.auc, 3)))")
            legendY += 20
        }
        svg += ReportKit.legendEntry(x: legendX, y: legendY, colour: "#a0aec0", text: "random (AUC 0.500)", dashed: true)
        return svg + "</svg>\n"
    }

    static func ksChart(_ sample: SampleReport) -> String {
        var svg = ReportKit.svgOpen(width: chartWidth, height: chartHeight, label: "KS chart")
        var scores = sample.ksCurve.map(\.score).filter(\.isFinite)
        if sample.ksScore.isFinite && !scores.isEmpty { scores.append(sample.ksScore) }
        guard var low = scores.min(), var high = scores.max() else {
            let plot = ReportKit.Plot(left: 52, top: 14, width: 430, height: 262, xMin: 0, xMax: 1, yMin: 0, yMax: 1)
            svg += ReportKit.axes(plot, xTicks: [], yTicks: unitTicks, xTitle: "Score", yTitle: "Cumulative share")
            return svg + ReportKit.noData(plot, "No KS curve") + "</svg>\n"
        }
        if high <= low { low -= 1; high += 1 }
        let plot = ReportKit.Plot(left: 52, top: 24, width: 430, height: 252, xMin: low, xMax: high, yMin: 0, yMax: 1)
        let ticks = ReportKit.niceTicks(low, high, count: 6)
        svg += ReportKit.axes(plot, xTicks: ticks.values.map { ($0, ReportKit.fixed($0, ticks.decimals)) }, yTicks: unitTicks,
                    xTitle: "Score (lower is riskier)", yTitle: "Cumulative share at or below score")
        let valid = sample.ksCurve.filter { $0.score.isFinite }
        let bads = valid.filter { $0.cumulativeBads.isFinite }.map { plot.point($0.score, $0.cumulativeBads) }
        let goods = valid.filter { $0.cumulativeGoods.isFinite }.map { plot.point($0.score, $0.cumulativeGoods) }
        svg += ReportKit.polyline(bads, colour: badsColour, extra: " class=\"ks-bads\"")
        svg += ReportKit.polyline(goods, colour: goodsColour, extra: " class=\"ks-goods\"")
        if sample.ksScore.isFinite {
            let x = plot.x(sample.ksScore)
            svg += "<line class=\"marker\" x1=\"\(ReportKit.coordinate(x))\" y1=\"\(ReportKit.coordinate(plot.top))\" x2=\"\(ReportKit.coordinate(x))\" "
            svg += "y2=\"\(ReportKit.coordinate(plot.bottom))\"/>\n"
            // The gap itself, on the curve point nearest the KS score.
            if let nearest = valid.filter({ $0.cumulativeBads.isFinite && $0.cumulativeGoods.isFinite })
                .min(by: { abs($0.score - sample.ksScore) < abs($1.score - sample.ksScore) }) {
                svg += "<line x1=\"\(ReportKit.coordinate(x))\" y1=\"\(ReportKit.coordinate(plot.y(nearest.cumulativeBads)))\" x2=\"\(ReportKit.coordinate(x))\" "
                svg += "y2=\"\(ReportKit.coordinate(plot.y(nearest.cumulativeGoods)))\" stroke=\"#1a202c\" stroke-width=\"3\"/>\n"
            }
            // Both curves rise with the score, so nothing is drawn right of the marker below
            // the lower curve, nor left of it above the upper one: the label goes there.
            let onLeft = x < plot.left + plot.width * 0.55
            svg += "<text class=\"marker-label\" x=\"\(ReportKit.coordinate(onLeft ? x + 6 : x - 6))\" "
            svg += "y=\"\(ReportKit.coordinate(onLeft ? plot.bottom - 8 : plot.top + 14))\" text-anchor=\"\(onLeft ? "start" : "end")\">"
            svg += "KS \(ReportKit.fixed(sample.ks, 3)) at \(ReportKit.fixed(sample.ksScore, 1))</text>\n"
        }
        svg += ReportKit.legendRow(right: plot.right, y: 12, entries: [(badsColour, "cumulative bads"), (goodsColour, "cumulative goods")], box: false)
        return svg + "</svg>\n"
    }

    static func distributionChart(_ sample: SampleReport) -> String {
        var svg = ReportKit.svgOpen(width: chartWidth, height: chartHeight, label: "Score distribution of \(ReportKit.escape(sample.name))")
        let bands = sample.distribution
        let totalGoods = Double(bands.reduce(0) { $0 + max($1.goods, 0) })
        let totalBads = Double(bands.reduce(0) { $0 + max($1.bads, 0) })
        func share(_ count: Int, _ total: Double) -> Double { total > 0 ? Double(max(count, 0)) / total * 100 : 0 }
        let highest = bands.map { max(share($0.goods, totalGoods), share($0.bads, totalBads)) }.max() ?? 0
        let yTicks = ReportKit.niceTicks(0, max(highest, 1), count: 5)
        let yTop = max(yTicks.values.last ?? 1, highest)
        let plot = ReportKit.Plot(left: 52, top: 24, width: 430, height: 252, xMin: 0, xMax: Double(max(bands.count, 1)), yMin: 0, yMax: yTop)
        // Bands are of equal width: round scores as x ticks, placed by linear interpolation.
        var xTicks: [(Double, String)] = []
        if let first = bands.first, let last = bands.last, first.lower.isFinite, last.upper.isFinite, last.upper > first.lower {
            let ticks = ReportKit.niceTicks(first.lower, last.upper, count: 6)
            for value in ticks.values where value <= last.upper {
                xTicks.append(((value - first.lower) / (last.upper - first.lower) * Double(bands.count), ReportKit.fixed(value, ticks.decimals)))
            }
        }
        svg += ReportKit.axes(plot, xTicks: xTicks, yTicks: yTicks.values.map { ($0, ReportKit.fixed($0, yTicks.decimals) + "%") },
                    xTitle: "Score band", yTitle: "Share of class in band")
        guard !bands.isEmpty else { return svg + ReportKit.noData(plot, "No score distribution") + "</svg>\n" }
        let slot = plot.width / Double(bands.count)
        let gap = max(slot * 0.12, 0.5)
        let barWidth = (slot - 2 * gap) / 2
        svg += "<g class=\"bars\">\n"
        for (index, band) in bands.enumerated() {
            let x0 = plot.left + Double(index) * slot + gap
            let goodsShare = share(band.goods, totalGoods)
            let badsShare = share(band.bads, totalBads)
            let tip = "\(ReportKit.fixed(band.lower, 1))–\(ReportKit.fixed(band.upper, 1)): \(ReportKit.integer(band.goods)) goods (\(ReportKit.fixed(goodsShare, 1))%), "
                + "\(ReportKit.integer(band.bads)) bads (\(ReportKit.fixed(badsShare, 1))%)"
            svg += ReportKit.bar(x: x0, width: barWidth, top: plot.y(goodsShare), bottom: plot.bottom, colour: goodsColour, tip: tip)
            svg += ReportKit.bar(x: x0 + barWidth, width: barWidth, top: plot.y(badsShare), bottom: plot.bottom, colour: badsColour, tip: tip)
        }
        svg += "</g>\n"
        svg += ReportKit.legendRow(right: plot.right, y: 12, entries: [(goodsColour, "goods (\(ReportKit.integer(Int(totalGoods))))"),
                                                             (badsColour, "bads (\(ReportKit.integer(Int(totalBads))))")], box: true)
        return svg + "</svg>\n"
    }


    static func calibrationChart(_ sample: SampleReport, colour: String) -> String {
        var svg = ReportKit.svgOpen(width: chartWidth, height: chartHeight, label: "Calibration of \(ReportKit.escape(sample.name))")
        let bands = sample.calibration.filter { $0.predicted.isFinite && $0.observed.isFinite }
        let highest = bands.map { max($0.predicted, $0.observed) }.max() ?? 1
        let ticks = ReportKit.niceTicks(0, min(max(highest, 0.05), 1), count: 5)
        let top = min(max(ticks.values.last ?? 1, highest), 1)
        let plot = ReportKit.Plot(left: 52, top: 14, width: 262, height: 262, xMin: 0, xMax: top, yMin: 0, yMax: top)
        let percentDecimals = max(ticks.decimals - 2, 0)
        let labelled = ticks.values.map { ($0, ReportKit.fixed($0 * 100, percentDecimals) + "%") }
        svg += ReportKit.axes(plot, xTicks: labelled, yTicks: labelled, xTitle: "Predicted bad rate", yTitle: "Observed bad rate")
        svg += "<line class=\"reference\" x1=\"\(ReportKit.coordinate(plot.left))\" y1=\"\(ReportKit.coordinate(plot.bottom))\" "
        svg += "x2=\"\(ReportKit.coordinate(plot.right))\" y2=\"\(ReportKit.coordinate(plot.top))\"/>\n"
        if bands.isEmpty {
            svg += ReportKit.noData(plot, "No calibration bands")
        } else {
            svg += ReportKit.polyline(bands.map { plot.point($0.predicted, $0.observed) }, colour: colour, width: 1.5, extra: " class=\"calibration-line\"")
            for band in bands {
                svg += "<circle cx=\"\(ReportKit.coordinate(plot.x(band.predicted)))\" cy=\"\(ReportKit.coordinate(plot.y(band.observed)))\" r=\"4\" "
                svg += "fill=\"\(colour)\" stroke=\"#fff\" stroke-width=\"1\"><title>scores \(ReportKit.fixed(band.lowerScore, 1))–"
                svg += "\(ReportKit.fixed(band.upperScore, 1)), \(ReportKit.integer(band.count)) rows: predicted \(ReportKit.fixed(band.predicted * 100, 1))%, "
                svg += "observed \(ReportKit.fixed(band.observed * 100, 1))%</title></circle>\n"
            }
        }
        let legendX = plot.right + 22
        svg += ReportKit.legendEntry(x: legendX, y: plot.top + 10, colour: colour, text: "observed, by decile")
        svg += ReportKit.legendEntry(x: legendX, y: plot.top + 30, colour: "#a0aec0", text: "perfect calibration", dashed: true)
        // Mean absolute gap, weighted by rows, as one number to read.
        let rows = bands.reduce(0) { $0 + max($1.count, 0) }
        if rows > 0 {
            let gap = bands.reduce(0.0) { $0 + abs($1.predicted - $1.observed) * Double(max($1.count, 0)) } / Double(rows)
            svg += "<text x=\"\(ReportKit.coordinate(legendX))\" y=\"\(ReportKit.coordinate(plot.top + 58))\">mean |gap| \(ReportKit.fixed(gap * 100, 2)) pts</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Horizontal WoE bars around zero: positive WoE (riskier) red to the right, negative blue to the left.
    static func woeChart(_ characteristic: CharacteristicReport) -> String {
        let bins = characteristic.bins
        let rowHeight = 22.0
        let labelWidth = 122.0
        let width = 360.0
        let height = 12 + rowHeight * Double(bins.count) + 36
        var svg = ReportKit.svgOpen(width: width, height: height, label: "WoE by bin of \(ReportKit.escape(characteristic.name))")
        let largest = bins.map(\.woe).filter(\.isFinite).map { abs($0) }.max() ?? 0
        let ticks = ReportKit.niceTicks(0, max(largest, 0.1), count: 2)
        let bound = max(ticks.values.last ?? 1, largest)
        // Room on both sides of the bars for their value labels.
        let plot = ReportKit.Plot(left: labelWidth + 34, top: 12, width: width - labelWidth - 70, height: rowHeight * Double(bins.count),
                        xMin: -bound, xMax: bound, yMin: 0, yMax: 1)
        let xTicks = [-bound, 0, bound].map { ($0, ReportKit.fixed($0, max(ticks.decimals, 1))) }
        for (value, label) in xTicks {
            let x = ReportKit.coordinate(plot.x(value))
            svg += "<line class=\"gridline\" x1=\"\(x)\" y1=\"\(ReportKit.coordinate(plot.top))\" x2=\"\(x)\" y2=\"\(ReportKit.coordinate(plot.bottom))\"/>"
            svg += "<text class=\"tick\" x=\"\(x)\" y=\"\(ReportKit.coordinate(plot.bottom + 14))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        for (index, bin) in bins.enumerated() {
            let rowTop = plot.top + Double(index) * rowHeight
            let centre = rowTop + rowHeight / 2
            svg += "<text class=\"bin-label\" x=\"\(ReportKit.coordinate(labelWidth - 6))\" y=\"\(ReportKit.coordinate(centre + 4))\" text-anchor=\"end\">"
            svg += "\(ReportKit.escape(ReportKit.truncated(bin.label, 19)))<title>\(ReportKit.escape(bin.label))</title></text>"
            if bin.woe.isFinite {
                let zero = plot.x(0)
                let end = plot.x(bin.woe)
                let colour = bin.woe > 0 ? badsColour : goodsColour
                svg += "<rect x=\"\(ReportKit.coordinate(min(zero, end)))\" y=\"\(ReportKit.coordinate(rowTop + 4))\" width=\"\(ReportKit.coordinate(abs(end - zero)))\" "
                svg += "height=\"\(ReportKit.coordinate(rowHeight - 8))\" fill=\"\(colour)\"><title>WoE \(ReportKit.fixed(bin.woe, 3))</title></rect>"
                let textX = bin.woe >= 0 ? end + 4 : end - 4
                svg += "<text class=\"value\" x=\"\(ReportKit.coordinate(textX))\" y=\"\(ReportKit.coordinate(centre + 4))\" "
                svg += "text-anchor=\"\(bin.woe >= 0 ? "start" : "end")\">\(ReportKit.fixed(bin.woe, 2))</text>\n"
            } else {
                svg += "<text class=\"value muted\" x=\"\(ReportKit.coordinate(plot.x(0) + 4))\" y=\"\(ReportKit.coordinate(centre + 4))\">n/a</text>\n"
            }
        }
        svg += "<line class=\"zero\" x1=\"\(ReportKit.coordinate(plot.x(0)))\" y1=\"\(ReportKit.coordinate(plot.top))\" x2=\"\(ReportKit.coordinate(plot.x(0)))\" "
        svg += "y2=\"\(ReportKit.coordinate(plot.bottom))\"/>\n"
        svg += "<text class=\"tick\" x=\"\(ReportKit.coordinate(plot.left + plot.width / 2))\" y=\"\(ReportKit.coordinate(plot.bottom + 30))\" "
        svg += "text-anchor=\"middle\">← safer   WoE   riskier →</text>\n"
        return svg + "</svg>\n"
    }

}

// MARK: - Text and numbers

extension ReportHTML {
    static let goodsColour = "#2b6cb0"
    static let badsColour = "#c53030"

    /// Train blue, test orange, then further samples in other colours.
    static func sampleColour(_ index: Int) -> String {
        let palette = ["#2b6cb0", "#dd6b20", "#2f855a", "#6b46c1", "#b83280", "#4a5568"]
        return palette[index % palette.count]
    }






    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "n/a" }
        return p < 0.0001 ? "&lt;0.0001" : ReportKit.fixed(p, 4)
    }

    static func numberCell(_ text: String) -> String {
        text == "n/a" ? "<td class=\"num muted\">n/a</td>" : "<td class=\"num\">\(text)</td>"
    }

    static func emptyNote(_ text: String) -> String { "<p class=\"empty\">\(text)</p>\n" }

    /// The usual reading of an information value.
    static func ivStrength(_ iv: Double) -> String {
        guard iv.isFinite else { return "n/a" }
        switch iv {
        case ..<0.02: return "not predictive"
        case ..<0.1: return "weak"
        case ..<0.3: return "medium"
        case ..<0.5: return "strong"
        default: return "very strong (check for leakage)"
        }
    }

    /// PSI or CSI read as stable, a moderate shift or a major shift.
    static func stabilityBadge(_ index: Double) -> String {
        guard index.isFinite else { return "<span class=\"badge muted\">n/a</span>" }
        switch index {
        case ..<0.1: return "<span class=\"badge ok\">stable</span>"
        case ..<0.25: return "<span class=\"badge warn\">moderate shift</span>"
        default: return "<span class=\"badge bad\">major shift</span>"
        }
    }


    static let styleSheet = ReportKit.baseStyleSheet + """
    nav{font-size:13px;color:var(--muted);margin-top:8px}
    nav a{color:var(--goods);text-decoration:none}
    .settings{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:0;margin:0}
    .settings li{background:var(--head);border:1px solid var(--line);border-radius:12px;padding:1px 10px;font-size:12.5px}
    .warnings{background:#fffaf0;border:1px solid #fbd38d;border-left:5px solid var(--test);border-radius:4px;padding:4px 16px;margin-top:22px}
    .warnings h2{border:0;margin:8px 0 0;font-size:16px;color:#9c4221}
    .warnings ul{margin:6px 0 10px;padding-left:20px}
    td.label{min-width:90px}
    td.flag{background:#fff5f5;color:var(--bads);font-weight:600}
    td.risk{color:var(--bads)}
    td.safe{color:var(--goods)}
    .hint{font-size:12.5px;margin:4px 0}
    .flag-key{color:var(--bads)}
    svg line.marker{stroke:#1a202c;stroke-width:1;stroke-dasharray:3 3}
    svg line.zero{stroke:#4a5568;stroke-width:1}
    svg .marker-label{font-weight:700}
    svg .value{font-size:10.5px;fill:#4a5568}
    svg .bin-label{font-size:10.5px}
    .characteristic .kind{font-weight:400;font-size:12px;color:var(--muted);background:var(--head);border-radius:8px;padding:0 7px;margin-left:4px}
    .characteristic .iv{font-weight:600;font-size:13px;color:#2d3748;margin-left:6px}
    .bins{display:flex;gap:18px;align-items:flex-start}
    .bins table{flex:0 1 auto;min-width:0;margin-top:0}
    .bins svg.chart{flex:none}
    details.characteristic{border:1px solid var(--line);border-radius:4px;padding:6px 12px;margin:8px 0}
    details.characteristic summary{cursor:pointer;font-weight:600}
    details.characteristic .note{font-weight:400}
    details[open] summary{margin-bottom:6px}
    h3.subhead{color:#4a5568}


    """
}
