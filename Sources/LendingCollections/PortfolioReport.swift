import LendingModel
import LendingReportKit

/// What `lending report portfolio` shows: the book's vintages, roll rates, days past due, NPL
/// ratio, the approval funnel and collections results, as of a date. Built from monthly loan
/// snapshots with ``PortfolioMetrics``; rendered as one self-contained HTML page (inline CSS and
/// SVG, no script, no network) by ``html()``.
public struct PortfolioReport: Sendable {
    public var title: String
    public var asOf: CalendarDay
    public var vintages: [VintageCurve]
    public var rollRates: RollRates
    /// Days past due in the last month of the snapshots.
    public var distribution: DaysPastDueDistribution?
    /// NPL ratio per month, oldest first.
    public var nonPerforming: [NonPerformingRatio]
    public var funnel: ApprovalFunnel
    public var collections: [ActionResult]
    /// Extra figures for the header (amount disbursed, recovered...), already formatted.
    public var highlights: [(label: String, value: String)]
    /// The back office's corrections of the book through the report's date (reversals,
    /// restructurings by kind, refunds), one line each; empty: none.
    public var corrections: [CorrectionLine] = []
    public var options: PortfolioOptions

    public init(title: String, asOf: CalendarDay, snapshots: [MonthlyLoanSnapshot], funnel: ApprovalFunnel,
                collections: [ActionResult], highlights: [(label: String, value: String)] = [],
                options: PortfolioOptions = .standard) {
        self.title = title
        self.asOf = asOf
        self.funnel = funnel
        self.collections = collections
        self.highlights = highlights
        self.options = options
        vintages = PortfolioMetrics.vintages(snapshots, options: options)
        rollRates = PortfolioMetrics.rollRates(snapshots, options: options)
        let months = Set(snapshots.map(\.month)).sorted()
        distribution = months.last.map { PortfolioMetrics.daysPastDueDistribution(snapshots, month: $0, options: options) }
        nonPerforming = months.map { PortfolioMetrics.nonPerformingRatio(snapshots, month: $0, options: options) }
    }

    /// The report as a complete HTML document. A pure function of the report: the same report
    /// renders to the same bytes.
    public func html() -> String {
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<title>\(ReportKit.escape(title))</title>\n<style>\n\(PortfolioReport.styleSheet)</style>\n</head>\n<body>\n<main>\n"
        page += header()
        page += section("Vintages", vintageSection())
        page += section("Roll rates", rollRateSection())
        page += section("Days past due", distributionSection())
        page += section("Non-performing loans", nonPerformingSection())
        page += section("Approval funnel", funnelSection())
        page += section("Collections", collectionsSection())
        page += section("Corrections", correctionsSection())
        page += "</main>\n</body>\n</html>\n"
        return page
    }

    private func section(_ title: String, _ body: String) -> String {
        "<section>\n<h2>\(title)</h2>\n\(body)</section>\n"
    }

    private func header() -> String {
        var html = "<header>\n<p class=\"eyebrow\">Portfolio report</p>\n<h1>\(ReportKit.escape(title))</h1>\n"
        html += "<p class=\"muted\">As of \(asOf)</p>\n<div class=\"kpis\">\n"
        var items: [(String, String)] = []
        if let latest = nonPerforming.last {
            items.append(("Outstanding principal", latest.outstanding.yuanString))
            items.append(("NPL ratio (\(options.nplMinDaysPastDue)+ days)", percent(latest.ratio, 2)))
            items.append(("Written off in \(latest.month)", "\(ReportKit.integer(latest.writtenOffLoans)) loans, \(latest.writtenOffAmount.yuanString)"))
        }
        if funnel.applied > 0 {
            items.append(("Approval rate", percent(Double(funnel.approved) / Double(funnel.applied), 1)))
        }
        items += highlights.map { ($0.label, $0.value) }
        for (label, value) in items {
            html += "<div class=\"kpi\"><div class=\"kpi-label\">\(ReportKit.escape(label))</div><div class=\"kpi-value\">\(ReportKit.escape(value))</div></div>\n"
        }
        return html + "</div>\n</header>\n"
    }

    // MARK: Vintages

    private func vintageSection() -> String {
        guard !vintages.isEmpty else { return "<p class=\"empty\">No loans on the book.</p>\n" }
        var html = "<p class=\"hint\">Share of each origination month's loans that were ever \(options.badMinDaysPastDue)+ days past due"
        html += options.writeOffIsBad ? " or written off" : ""
        html += ", by months on book.</p>\n<div class=\"charts\">\n"
        html += ReportKit.figure("Bad rate by months on book", vintageChart())
        html += "</div>\n<table>\n<thead><tr><th>Originated</th><th class=\"num\">Loans</th><th class=\"num\">Amount</th>"
        let longest = vintages.map(\.points.count).max() ?? 0
        for month in 1...max(longest, 1) { html += "<th class=\"num\">MOB \(month)</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for curve in vintages {
            html += "<tr><td>\(curve.originationMonth)</td>\(numberCell(ReportKit.integer(curve.loans)))\(numberCell(curve.amount.yuanString))"
            for index in 0..<max(longest, 1) {
                html += numberCell(index < curve.points.count ? percent(curve.points[index].loanShare, 1) : "")
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private func vintageChart() -> String {
        let width = 560.0, height = 320.0
        var svg = ReportKit.svgOpen(width: width, height: height, label: "Vintage curves")
        let longest = max(vintages.map(\.points.count).max() ?? 1, 1)
        let highest = vintages.flatMap { $0.points.map(\.loanShare) }.filter(\.isFinite).max() ?? 0
        let ticks = ReportKit.niceTicks(0, max(highest, 0.01), count: 5)
        // The legend wraps at six vintages a row; the plot starts below it.
        let perRow = 6
        let legendRows = max(1, (min(vintages.count, PortfolioReport.palette.count) + perRow - 1) / perRow)
        let top = 18.0 + 16 * Double(legendRows)
        let plot = ReportKit.Plot(left: 56, top: top, width: width - 80, height: height - 50 - top, xMin: 1, xMax: Double(max(longest, 2)),
                                  yMin: 0, yMax: ticks.values.last ?? max(highest, 0.01))
        let xTicks = (1...longest).filter { longest <= 12 || $0 % 2 == 1 }.map { (Double($0), String($0)) }
        let yTicks = ticks.values.map { ($0, ReportKit.fixed($0 * 100, max(ticks.decimals - 2, 0)) + "%") }
        svg += ReportKit.axes(plot, xTicks: xTicks, yTicks: yTicks, xTitle: "Months on book", yTitle: "Ever bad")
        var legend: [(colour: String, text: String)] = []
        for (index, curve) in vintages.enumerated() {
            let colour = PortfolioReport.palette[index % PortfolioReport.palette.count]
            let points = curve.points.filter { $0.loanShare.isFinite }.map { plot.point(Double($0.monthsOnBook), $0.loanShare) }
            svg += ReportKit.polyline(points, colour: colour)
            if index < PortfolioReport.palette.count { legend.append((colour, curve.originationMonth.description)) }
        }
        for row in 0..<legendRows {
            let entries = Array(legend.dropFirst(row * perRow).prefix(perRow))
            svg += ReportKit.legendRow(right: plot.right, y: 14 + 16 * Double(row), entries: entries, box: false)
        }
        return svg + "</svg>\n"
    }

    // MARK: Roll rates

    private func rollRateSection() -> String {
        let matrix = rollRates.pooled
        guard !matrix.from.isEmpty, matrix.fromBalance.contains(where: { $0.fen > 0 }) else {
            return "<p class=\"empty\">Roll rates need two month-ends of loans.</p>\n"
        }
        var html = "<p class=\"hint\">Balance in the column's bucket at a month-end that was in the row's bucket a month before, "
        html += "over the row bucket's balance then; pooled over \(rollRates.monthly.count) pair\(rollRates.monthly.count == 1 ? "" : "s") of months.</p>\n"
        html += "<table class=\"matrix\">\n<thead><tr><th>from \\ to</th>"
        for name in matrix.to { html += "<th class=\"num\">\(ReportKit.escape(name))</th>" }
        html += "<th class=\"num\">balance then</th></tr></thead>\n<tbody>\n"
        for (row, name) in matrix.from.enumerated() {
            html += "<tr><th>\(ReportKit.escape(name))</th>"
            for column in matrix.to.indices {
                let rate = matrix.rate[row][column]
                let shade = rate.map { Int(($0 * 100).rounded()) } ?? 0
                html += "<td class=\"num heat\" style=\"--heat:\(min(max(shade, 0), 100))%\">\(rate.map { percent($0, 1) } ?? "")</td>"
            }
            html += numberCell(matrix.fromBalance[row].yuanString) + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    // MARK: Days past due

    private func distributionSection() -> String {
        guard let distribution, !distribution.buckets.isEmpty else { return "<p class=\"empty\">No loans on the book.</p>\n" }
        var html = "<div class=\"charts\">\n"
        html += ReportKit.figure("Outstanding principal by days past due, \(distribution.month)", distributionChart(distribution))
        html += "</div>\n<table>\n<thead><tr><th>Bucket</th><th class=\"num\">Loans</th><th class=\"num\">Principal</th></tr></thead>\n<tbody>\n"
        for bucket in distribution.buckets + [distribution.writtenOff] {
            html += "<tr><td>\(ReportKit.escape(bucket.name))</td>\(numberCell(ReportKit.integer(bucket.loans)))\(numberCell(bucket.balance.yuanString))</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private func distributionChart(_ distribution: DaysPastDueDistribution) -> String {
        let width = 560.0, height = 300.0
        var svg = ReportKit.svgOpen(width: width, height: height, label: "Days past due")
        let buckets = distribution.buckets
        // In thousands of yuan, so that the tick labels stay clear of the axis title.
        let highest = Double(buckets.map(\.balance.fen).max() ?? 0) / 100_000
        let ticks = ReportKit.niceTicks(0, max(highest, 1), count: 5)
        let plot = ReportKit.Plot(left: 92, top: 14, width: width - 112, height: height - 64, xMin: 0, xMax: Double(buckets.count),
                                  yMin: 0, yMax: ticks.values.last ?? max(highest, 1))
        svg += ReportKit.axes(plot, xTicks: [], yTicks: ticks.values.map { ($0, ReportKit.integer(Int($0))) }, xTitle: "", yTitle: "Principal (thousand yuan)")
        let slot = plot.width / Double(max(buckets.count, 1))
        for (index, bucket) in buckets.enumerated() {
            let value = Double(bucket.balance.fen) / 100_000
            let colour = index == 0 ? "#2f855a" : (index < 3 ? "#dd6b20" : "#c53030")
            svg += ReportKit.bar(x: plot.left + slot * Double(index) + slot * 0.15, width: slot * 0.7, top: plot.y(value), bottom: plot.bottom,
                                 colour: colour, tip: "\(ReportKit.escape(bucket.name)): \(bucket.balance.yuanString) in \(bucket.loans) loans")
            svg += "<text class=\"tick\" x=\"\(ReportKit.coordinate(plot.left + slot * (Double(index) + 0.5)))\" y=\"\(ReportKit.coordinate(plot.bottom + 16))\" "
            svg += "text-anchor=\"middle\">\(ReportKit.escape(bucket.name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    // MARK: Non-performing

    private func nonPerformingSection() -> String {
        guard !nonPerforming.isEmpty else { return "<p class=\"empty\">No loans on the book.</p>\n" }
        var html = "<p class=\"hint\">Principal \(options.nplMinDaysPastDue)+ days past due over outstanding principal, at each month-end.</p>\n"
        if nonPerforming.count > 1 {
            html += "<div class=\"charts\">\n" + ReportKit.figure("NPL ratio", nonPerformingChart()) + "</div>\n"
        }
        html += "<table>\n<thead><tr><th>Month</th><th class=\"num\">Non-performing</th><th class=\"num\">Outstanding</th><th class=\"num\">Ratio</th>"
        html += "<th class=\"num\">Written off</th></tr></thead>\n<tbody>\n"
        for month in nonPerforming {
            html += "<tr><td>\(month.month)</td>\(numberCell(month.nonPerforming.yuanString))\(numberCell(month.outstanding.yuanString))"
            html += "\(numberCell(percent(month.ratio, 2)))\(numberCell(month.writtenOffAmount.yuanString))</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private func nonPerformingChart() -> String {
        let width = 560.0, height = 280.0
        var svg = ReportKit.svgOpen(width: width, height: height, label: "NPL ratio by month")
        let values = nonPerforming.map { $0.ratio ?? 0 }
        let ticks = ReportKit.niceTicks(0, max(values.max() ?? 0, 0.01), count: 5)
        let plot = ReportKit.Plot(left: 56, top: 14, width: width - 80, height: height - 64, xMin: 0, xMax: Double(max(values.count - 1, 1)),
                                  yMin: 0, yMax: ticks.values.last ?? 0.01)
        let xTicks = nonPerforming.indices.filter { nonPerforming.count <= 6 || $0 % 2 == 0 }.map { (Double($0), nonPerforming[$0].month.description) }
        svg += ReportKit.axes(plot, xTicks: xTicks, yTicks: ticks.values.map { ($0, ReportKit.fixed($0 * 100, max(ticks.decimals - 2, 0)) + "%") },
                              xTitle: "Month-end", yTitle: "NPL ratio")
        svg += ReportKit.polyline(values.enumerated().map { plot.point(Double($0.offset), $0.element) }, colour: "#c53030")
        return svg + "</svg>\n"
    }

    // MARK: Funnel

    private func funnelSection() -> String {
        guard funnel.applied > 0 else { return "<p class=\"empty\">No applications.</p>\n" }
        let steps = [("Applied", funnel.applied), ("Passed the whitelist", funnel.passedWhitelist), ("Passed identity", funnel.passedIdentity),
                     ("Passed fraud", funnel.passedFraud), ("Passed credit", funnel.passedCredit), ("Approved", funnel.approved),
                     ("In review", funnel.inReview)]
        var html = "<table class=\"funnel\">\n<tbody>\n"
        for (label, count) in steps {
            let share = Double(count) / Double(funnel.applied)
            html += "<tr><td>\(label)</td>\(numberCell(ReportKit.integer(count)))\(numberCell(percent(share, 1)))"
            html += "<td class=\"bar-cell\"><span class=\"bar\" style=\"width:\(ReportKit.fixed(share * 100, 1))%\"></span></td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        guard !funnel.topDeclineReasons.isEmpty else { return html }
        html += "<h3>Most frequent decline reasons</h3>\n<table>\n<thead><tr><th>Reason</th><th class=\"num\">Declines</th></tr></thead>\n<tbody>\n"
        for reason in funnel.topDeclineReasons {
            html += "<tr><td><code>\(ReportKit.escape(reason.code))</code></td>\(numberCell(ReportKit.integer(reason.count)))</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    // MARK: Collections

    private func collectionsSection() -> String {
        guard !collections.isEmpty else { return "<p class=\"empty\">No collection actions.</p>\n" }
        var html = "<p class=\"hint\">Per action: attempts, contacts made, promises to pay (and kept), and the amount paid within "
        html += "\(options.recoveryWindowDays) days after it.</p>\n"
        html += "<table>\n<thead><tr><th>Action</th><th class=\"num\">Attempts</th><th class=\"num\">Contacts</th><th class=\"num\">Promises</th>"
        html += "<th class=\"num\">Kept</th><th class=\"num\">Recovered</th></tr></thead>\n<tbody>\n"
        for result in collections {
            html += "<tr><td>\(ReportKit.escape(result.action.rawValue))</td>\(numberCell(ReportKit.integer(result.attempts)))"
            html += "\(numberCell(ReportKit.integer(result.contacts)))\(numberCell(ReportKit.integer(result.promises)))"
            html += "\(numberCell(ReportKit.integer(result.keptPromises)))\(numberCell(result.recovered.yuanString))</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    // MARK: Corrections

    private func correctionsSection() -> String {
        guard !corrections.isEmpty else { return "<p class=\"empty\">No reversals, restructurings or refunds.</p>\n" }
        var html = "<p class=\"hint\">Approved by a second person, through \(asOf). Amount: the payments reversed, the principal of the "
        html += "restructured loans outstanding today, the refunds paid.</p>\n"
        html += "<table>\n<thead><tr><th>Correction</th><th class=\"num\">Count</th><th class=\"num\">Loans</th>"
        html += "<th class=\"num\">Amount</th></tr></thead>\n<tbody>\n"
        for line in corrections {
            html += "<tr><td>\(ReportKit.escape(line.kind))</td>\(numberCell(ReportKit.integer(line.count)))"
            html += "\(numberCell(ReportKit.integer(line.loans)))\(numberCell(line.amount.yuanString))</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    // MARK: Text

    private func percent(_ value: Double?, _ decimals: Int) -> String {
        guard let value, value.isFinite else { return "n/a" }
        return ReportKit.fixed(value * 100, decimals) + "%"
    }

    private func numberCell(_ text: String) -> String { "<td class=\"num\">\(text)</td>" }

    static let palette = ["#2b6cb0", "#dd6b20", "#2f855a", "#6b46c1", "#b83280", "#4a5568", "#c53030", "#319795", "#d69e2e", "#805ad5",
                          "#38a169", "#e53e3e"]

    static let styleSheet = ReportKit.baseStyleSheet + """
    section{margin-top:6px}
    .kpis{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0 4px}
    .kpi{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:150px;background:#fafbfc}
    .kpi-label{font-size:12px;color:var(--muted)}
    .kpi-value{font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}
    .hint,.empty{color:var(--muted);font-size:12.5px;margin:4px 0}
    table.matrix td.heat{background:color-mix(in srgb,#c53030 var(--heat),#fff)}
    table.funnel td{border:0;padding:2px 8px}
    td.bar-cell{width:320px}
    .bar{display:inline-block;height:12px;background:var(--goods);border-radius:2px}
    code{font-size:12.5px}

    """
}

/// One kind of correction in the portfolio report: how many, of how many loans, and its amount.
public struct CorrectionLine: Sendable, Hashable {
    /// "Reversals", "Reschedules", "Payment holidays", "Hardship pauses", "Refunds paid"...
    public var kind: String
    public var count: Int
    public var loans: Int
    public var amount: Money

    public init(kind: String, count: Int, loans: Int, amount: Money) {
        self.kind = kind
        self.count = count
        self.loans = loans
        self.amount = amount
    }
}
