import LendingTraining
import Testing

/// A small hand-made report: two samples, three characteristics (one not selected), labels
/// that need escaping and a few NaN and infinite values.
private func sampleReport() -> TrainingReport {
    let ageBins = [
        BinReport(label: "[-inf, 25)", count: 190, goods: 110, bads: 80, badRate: 80.0 / 190, woe: 0.53, iv: 0.061, points: -12),
        BinReport(label: "[25, 40)", count: 480, goods: 340, bads: 140, badRate: 140.0 / 480, woe: -0.04, iv: 0.001, points: 3),
        BinReport(label: ">= 40 & \"senior\"", count: 330, goods: 250, bads: 80, badRate: 80.0 / 330, woe: -0.29, iv: 0.026, points: 11),
    ]
    let purposeBins = [
        BinReport(label: "car <new>", count: 234, goods: 145, bads: 89, badRate: 89.0 / 234, woe: 0.36, iv: 0.034, points: -8),
        BinReport(label: "radio/tv", count: 280, goods: 218, bads: 62, badRate: 62.0 / 280, woe: -0.41, iv: 0.042, points: 9),
        BinReport(label: "other", count: 486, goods: 337, bads: 149, badRate: 149.0 / 486, woe: .nan, iv: .nan, points: nil),
    ]
    let telephoneBins = [
        BinReport(label: "none", count: 596, goods: 409, bads: 187, badRate: 187.0 / 596, woe: 0.06, iv: 0.002),
        BinReport(label: "yes", count: 404, goods: 291, bads: 113, badRate: 113.0 / 404, woe: -.infinity, iv: 0.001),
    ]
    func sample(_ name: String, rows: Int, bads: Int, lift: Double) -> SampleReport {
        let roc = [0.0, 0.1, 0.3, 0.6, 1.0].map { (x: Double) -> CurvePoint in
            CurvePoint(x: x, y: x == 0 || x == 1 ? x : min(1, x + lift * (1 - x)))
        }
        var ks: [KSPoint] = []
        for (index, score) in [400.0, 450, 500, 550, 600].enumerated() {
            let bads = Double(index + 1) / 5
            let goods = index == 4 ? 1 : bads - lift / 2
            ks.append(KSPoint(score: score, cumulativeBads: bads, cumulativeGoods: goods))
        }
        var distribution: [ScoreBand] = []
        for band in 0..<4 {
            let lower = 400 + Double(band) * 50
            distribution.append(ScoreBand(lower: lower, upper: lower + 50, goods: 40 + band * 60, bads: 60 - band * 12))
        }
        var calibration: [CalibrationBand] = []
        for band in 0..<4 {
            let lower = 400 + Double(band) * 50
            let predicted = 0.5 - Double(band) * 0.1
            let observed: Double = band == 2 ? .nan : predicted - 0.02
            calibration.append(CalibrationBand(lowerScore: lower, upperScore: lower + 49, count: rows / 4,
                                               predicted: predicted, observed: observed))
        }
        return SampleReport(name: name, rows: rows, bads: bads, ks: lift, auc: 0.5 + lift / 2, gini: lift, ksScore: 500,
                            roc: roc, ksCurve: ks, distribution: distribution, calibration: calibration)
    }
    return TrainingReport(
        title: "German credit <v2> & \"friends\"",
        settings: ["max bins: 8", "min bin share: 0.05", "test share: 0.3"],
        characteristics: [
            CharacteristicReport(name: "age", kind: "numeric", informationValue: 0.088, selected: true, bins: ageBins),
            CharacteristicReport(name: "purpose", kind: "categorical", informationValue: .nan, selected: true, bins: purposeBins),
            CharacteristicReport(name: "telephone", kind: "categorical", informationValue: 0.003, selected: false,
                                 note: "IV 0.003 < 0.02", bins: telephoneBins),
        ],
        coefficients: [
            CoefficientReport(name: "(intercept)", estimate: -0.85, standardError: 0.08, z: -10.6, pValue: 0.00001),
            CoefficientReport(name: "age", estimate: 0.91, standardError: 0.3, z: 3.03, pValue: 0.0024, vif: 1.2),
            CoefficientReport(name: "purpose", estimate: 0.2, standardError: 0.25, z: 0.8, pValue: 0.42, vif: 12.5),
        ],
        samples: [sample("train", rows: 700, bads: 210, lift: 0.4), sample("test", rows: 300, bads: 90, lift: 0.3)],
        scorePSI: 0.031,
        characteristicCSI: [NamedValue(name: "age", value: 0.012), NamedValue(name: "purpose", value: .infinity)],
        warnings: ["purpose: quasi-separation in bin \"other\" <check>"]
    )
}

private func occurrences(of needle: String, in text: String) -> Int {
    let haystack = Array(text.utf8)
    let pattern = Array(needle.utf8)
    guard !pattern.isEmpty, haystack.count >= pattern.count else { return 0 }
    return (0...(haystack.count - pattern.count)).filter { haystack[$0..<($0 + pattern.count)].elementsEqual(pattern) }.count
}

@Suite struct ReportHTMLTests {
    @Test func producesOneSelfContainedPage() {
        let html = ReportHTML.render(sampleReport())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(!html.contains("src=\"http"))
        #expect(!html.contains("href=\"http"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http"))
        #expect(!html.contains("<link"))
        #expect(occurrences(of: "<svg", in: html) == occurrences(of: "</svg>", in: html))
    }

    @Test func escapesLabelsTitleAndWarnings() {
        let html = ReportHTML.render(sampleReport())
        #expect(html.contains("<title>German credit &lt;v2&gt; &amp; &quot;friends&quot;</title>"))
        #expect(html.contains("&gt;= 40 &amp; &quot;senior&quot;"))
        #expect(html.contains("car &lt;new&gt;"))
        #expect(html.contains("quasi-separation in bin &quot;other&quot; &lt;check&gt;"))
        #expect(!html.contains("<v2>"))
        #expect(!html.contains("car <new>"))
        #expect(!html.contains(">= 40 & \"senior\""))
        #expect(!html.contains("<check>"))
    }

    @Test func renderingTwiceGivesIdenticalText() {
        let report = sampleReport()
        let first = ReportHTML.render(report)
        let second = ReportHTML.render(report)
        #expect(first == second)
        #expect(Array(first.utf8) == Array(second.utf8))
    }

    @Test func drawsOneROCLinePerSample() {
        let html = ReportHTML.render(sampleReport())
        #expect(occurrences(of: "class=\"roc-line\"", in: html) == 2)
        #expect(html.contains("class=\"roc-line\" data-sample=\"train\""))
        #expect(html.contains("class=\"roc-line\" data-sample=\"test\""))
        #expect(html.contains("train (AUC 0.700)"))
        #expect(html.contains("test (AUC 0.650)"))
    }

    @Test func nanAndInfinityShowAsNotAvailable() {
        let html = ReportHTML.render(sampleReport())
        #expect(!html.lowercased().contains("nan"))
        #expect(!html.lowercased().contains("inf\""))
        #expect(!html.contains("infinity"))
        #expect(html.contains("n/a"))
    }

    @Test func flagsWeakCoefficientsAndUnselectedCharacteristics() {
        let html = ReportHTML.render(sampleReport())
        #expect(occurrences(of: "<td class=\"num flag\"", in: html) == 2)
        #expect(html.contains("<details class=\"characteristic\">"))
        #expect(html.contains("IV 0.003 &lt; 0.02"))
        #expect(html.contains("KS 0.400 at 500.0"))
        #expect(html.contains("0.0310 <span class=\"badge ok\">stable</span>"))
    }

    @Test func emptyReportStillRenders() {
        let html = ReportHTML.render(TrainingReport(title: ""))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("roc-line"))
        #expect(!html.contains("class=\"warnings\""))
        #expect(html.contains("No samples were evaluated."))
    }

    @Test func sampleWithoutCurvesShowsPlaceholders() {
        let empty = SampleReport(name: "holdout", rows: 0, bads: 0, ks: .nan, auc: .nan, gini: .nan, ksScore: .infinity,
                                 roc: [], ksCurve: [], distribution: [], calibration: [])
        let flat = CharacteristicReport(name: "flat", kind: "numeric", informationValue: .infinity, selected: true, bins: [])
        let html = ReportHTML.render(TrainingReport(title: "t", characteristics: [flat], samples: [empty]))
        #expect(html.contains("No KS curve"))
        #expect(html.contains("No score distribution"))
        #expect(html.contains("No calibration bands"))
        #expect(html.contains("holdout (AUC n/a)"))
        #expect(!html.contains("roc-line"))
        #expect(!html.lowercased().contains("nan"))
        #expect(!html.contains("inf"))
    }
}
