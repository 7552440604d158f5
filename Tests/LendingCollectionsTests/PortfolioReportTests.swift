import LendingCollections
import LendingModel
import Testing

@Suite struct PortfolioReportTests {
    func report() -> PortfolioReport {
        var funnel = ApprovalFunnelCounter()
        funnel.add(outcome: .approve, reasonCodes: [])
        funnel.add(outcome: .approve, reasonCodes: [])
        funnel.add(outcome: .decline, reasonCodes: ["WL_NOT_INVITED"])
        funnel.add(outcome: .decline, reasonCodes: ["CR_SCORE_BELOW_CUTOFF", "CR_LOW_AGE"])
        let results = [ActionResult(action: .sms, attempts: 12, contacts: 9, promises: 3, keptPromises: 2, recovered: yuan("1234.56"))]
        return PortfolioReport(title: "Book <test> & co", asOf: CalendarDay(iso: "2026-04-30")!, snapshots: PortfolioMetricsTests.book,
                               funnel: funnel.funnel(top: 5), collections: results, highlights: [("Disbursed", "5800.00")])
    }

    @Test func showsTheBooksFiguresAsComputedByTheMetrics() {
        let report = report()
        let html = report.html()
        // The NPL ratio of April: A (900, 65 dpd) is under 90; E is written off; so 0 of 2700 outstanding.
        let april = report.nonPerforming.last!
        #expect(april.outstanding == yuan("2700"))
        #expect(html.contains("<div class=\"kpi-value\">2700.00</div>"))
        // January's vintage row: 3 loans, 3800.00, bad shares 33.3% / 66.7% / 66.7% by count.
        #expect(html.contains("<tr><td>2026-01</td><td class=\"num\">3</td><td class=\"num\">3800.00</td><td class=\"num\">33.3%</td><td class=\"num\">66.7%</td><td class=\"num\">66.7%</td></tr>"))
        // The pooled roll rate from current to current, as the metrics computed it.
        let pooled = report.rollRates.pooled
        let rate = pooled.rate(from: pooled.from[0], to: pooled.to[0])!
        let fixed = String(Int((rate * 1_000).rounded()))
        #expect(html.contains("\(fixed.dropLast()).\(fixed.suffix(1))%"))
        #expect(html.contains("<td>Approved</td><td class=\"num\">2</td><td class=\"num\">50.0%</td>"))
        #expect(html.contains("<code>WL_NOT_INVITED</code>"))
        #expect(html.contains("<td>sms</td><td class=\"num\">12</td><td class=\"num\">9</td><td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">1234.56</td>"))
    }

    @Test func isOneSelfContainedEscapedPage() {
        let html = report().html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Book &lt;test&gt; &amp; co"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://") && !html.contains("src="))
        #expect(html == report().html())
    }

    @Test func anEmptyBookSaysSoInsteadOfDrawingNothing() {
        let html = PortfolioReport(title: "Empty", asOf: CalendarDay(iso: "2026-04-30")!, snapshots: [], funnel: ApprovalFunnelCounter().funnel(top: 5),
                                   collections: []).html()
        #expect(html.contains("No loans on the book."))
        #expect(html.contains("No applications."))
    }
}
