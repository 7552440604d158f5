/// Discrimination, stability and calibration measures for scores where a lower score means
/// riskier (bad is the event).
public enum Metrics {
    /// Cumulative shares of bads and goods at or below each distinct score, lowest first: the
    /// one sort every discrimination measure below is read from. Empty without both classes.
    public static func cumulative(scores: [Double], bad: [Bool]) -> [KSPoint] {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        let totalBads = Double(bad.filter { $0 }.count)
        let totalGoods = Double(bad.count) - totalBads
        guard totalBads > 0 && totalGoods > 0 else { return [] }
        var points: [KSPoint] = []
        var cumulativeBads = 0.0
        var cumulativeGoods = 0.0
        var index = 0
        while index < order.count {
            let score = scores[order[index]]
            while index < order.count && scores[order[index]] == score {
                if bad[order[index]] { cumulativeBads += 1 } else { cumulativeGoods += 1 }
                index += 1
            }
            points.append(KSPoint(score: score, cumulativeBads: cumulativeBads / totalBads, cumulativeGoods: cumulativeGoods / totalGoods))
        }
        return points
    }

    /// Area under the ROC curve from a cumulative curve: the probability that a random bad
    /// scores below a random good, ties counting one half (the trapezoid over a tied step).
    public static func auc(_ curve: [KSPoint]) -> Double {
        guard !curve.isEmpty else { return .nan }
        var area = 0.0
        var previous = (x: 0.0, y: 0.0)
        for point in curve {
            area += (point.cumulativeGoods - previous.x) * (point.cumulativeBads + previous.y) / 2
            previous = (point.cumulativeGoods, point.cumulativeBads)
        }
        return area
    }

    /// Kolmogorov–Smirnov from a cumulative curve: the largest gap between the shares of bads
    /// and goods at or below a score, and the score where it is reached.
    public static func ks(_ curve: [KSPoint]) -> (ks: Double, score: Double) {
        var best = (ks: 0.0, score: curve.first?.score ?? 0)
        for point in curve where abs(point.cumulativeBads - point.cumulativeGoods) > best.ks {
            best = (abs(point.cumulativeBads - point.cumulativeGoods), point.score)
        }
        return best
    }

    /// A cumulative curve thinned to about `maxPoints` points for drawing (the KS peak kept).
    public static func thinned(_ curve: [KSPoint], maxPoints: Int = 200) -> [KSPoint] {
        thin(curve, maxPoints: maxPoints) { abs($0.cumulativeBads - $0.cumulativeGoods) }
    }

    /// ROC points, (false positive rate, true positive rate) flagging scores at or below each
    /// threshold, from (0,0) to (1,1), from a (thinned) cumulative curve.
    public static func roc(_ curve: [KSPoint]) -> [CurvePoint] {
        [CurvePoint(x: 0, y: 0)] + curve.map { CurvePoint(x: $0.cumulativeGoods, y: $0.cumulativeBads) }
    }

    public static func auc(scores: [Double], bad: [Bool]) -> Double { auc(cumulative(scores: scores, bad: bad)) }

    public static func ks(scores: [Double], bad: [Bool]) -> (ks: Double, score: Double) { ks(cumulative(scores: scores, bad: bad)) }

    public static func ksCurve(scores: [Double], bad: [Bool], maxPoints: Int = 200) -> [KSPoint] {
        thinned(cumulative(scores: scores, bad: bad), maxPoints: maxPoints)
    }

    public static func roc(scores: [Double], bad: [Bool], maxPoints: Int = 200) -> [CurvePoint] {
        roc(ksCurve(scores: scores, bad: bad, maxPoints: maxPoints))
    }

    /// Population stability index between an expected and an actual distribution of counts
    /// over the same bands: Σ (a − e) ln(a / e) on shares; an empty cell counts as half a row
    /// so the index stays finite.
    public static func psi(expected: [Int], actual: [Int]) -> Double {
        let expectedTotal = Double(expected.reduce(0, +))
        let actualTotal = Double(actual.reduce(0, +))
        guard expectedTotal > 0 && actualTotal > 0 else { return .nan }
        var total = 0.0
        for (e, a) in zip(expected, actual) {
            let eShare = max(Double(e), 0.5) / expectedTotal
            let aShare = max(Double(a), 0.5) / actualTotal
            total += (aShare - eShare) * naturalLog(aShare / eShare)
        }
        return total
    }

    /// Counts of `scores` in the bands cut at `cuts` (band k is [cuts[k-1], cuts[k])).
    public static func bandCounts(_ scores: [Double], cuts: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: cuts.count + 1)
        for score in scores {
            var band = 0
            while band < cuts.count && score >= cuts[band] { band += 1 }
            counts[band] += 1
        }
        return counts
    }

    /// Cut points at the deciles of `scores` (distinct values only).
    public static func decileCuts(_ scores: [Double]) -> [Double] {
        let sorted = scores.sorted()
        guard !sorted.isEmpty else { return [] }
        var cuts: [Double] = []
        for decile in 1..<10 {
            let value = sorted[min(sorted.count - 1, decile * sorted.count / 10)]
            if value > sorted[0] && (cuts.last.map { value > $0 } ?? true) { cuts.append(value) }
        }
        return cuts
    }

    /// Score histogram of goods and bads in `bands` equal-width bands over [low, high].
    public static func distribution(scores: [Double], bad: [Bool], low: Double, high: Double, bands: Int = 20) -> [ScoreBand] {
        guard high > low else {
            return [ScoreBand(lower: low, upper: high, goods: bad.filter { !$0 }.count, bads: bad.filter { $0 }.count)]
        }
        let width = (high - low) / Double(bands)
        var result = (0..<bands).map { ScoreBand(lower: low + Double($0) * width, upper: low + Double($0 + 1) * width, goods: 0, bads: 0) }
        for (score, isBad) in zip(scores, bad) {
            let band = min(bands - 1, max(0, Int((score - low) / width)))
            if isBad { result[band].bads += 1 } else { result[band].goods += 1 }
        }
        return result
    }

    /// Predicted against observed bad rate in ten bands of equal count, lowest scores first.
    public static func calibration(scores: [Double], probabilities: [Double], bad: [Bool], bands: Int = 10) -> [CalibrationBand] {
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        guard !order.isEmpty else { return [] }
        var result: [CalibrationBand] = []
        for band in 0..<bands {
            let start = band * order.count / bands
            let end = (band + 1) * order.count / bands
            guard end > start else { continue }
            let members = order[start..<end]
            let predicted = members.reduce(0.0) { $0 + probabilities[$1] } / Double(members.count)
            let observed = Double(members.filter { bad[$0] }.count) / Double(members.count)
            result.append(CalibrationBand(lowerScore: scores[members.first!], upperScore: scores[members.last!], count: members.count,
                                          predicted: predicted, observed: observed))
        }
        return result
    }

    /// Keeps about `maxPoints` evenly spaced points, always the first, the last and the one
    /// with the largest `importance`.
    static func thin<Point>(_ points: [Point], maxPoints: Int, importance: (Point) -> Double) -> [Point] {
        guard points.count > maxPoints, maxPoints > 2 else { return points }
        var keep = Set<Int>([0, points.count - 1])
        if let peak = points.indices.max(by: { importance(points[$0]) < importance(points[$1]) }) { keep.insert(peak) }
        let step = Double(points.count - 1) / Double(maxPoints - 1)
        for index in 0..<maxPoints { keep.insert(min(points.count - 1, Int((Double(index) * step).rounded()))) }
        return keep.sorted().map { points[$0] }
    }
}
