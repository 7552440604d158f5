import LendingModel

/// What cross-validation inside the training rows chooses, and over which grid. A `nil` list
/// keeps the value of ``TrainingOptions`` fixed.
public struct TuningOptions: Sendable, Equatable {
    /// Number of stratified folds (at least 2).
    public var folds: Int
    /// Times the folds are cut again (seeds `seed`, `seed + 1`, ...); every AUC is averaged
    /// over all `folds × repeats` left-out folds.
    public var repeats: Int
    /// Seed of the fold assignment (SplitMix64; `lending train` passes `--seed`).
    public var seed: UInt64
    public var l2: [Double]?
    public var ivThreshold: [Double]?
    public var maxBins: [Int]?
    public var minBinShare: [Double]?
    /// Let a numeric characteristic have a peak or a valley when the folds show it predicts
    /// clearly better than its monotone bins (only where its monotone option is `auto`).
    public var shapes: Bool

    public static let defaultL2: [Double] = [0, 1, 3, 10, 30, 100]
    public static let defaultIVThresholds: [Double] = [0, 0.01, 0.02, 0.05]
    public static let defaultMaxBins: [Int] = [4, 6, 8, 10]
    public static let defaultMinBinShares: [Double] = [0.02, 0.05, 0.1]
    /// A peak or valley is allowed when it raises the characteristic's mean fold AUC (alone) by
    /// at least this much, and the fold-by-fold gains are consistent (paired t at least 2).
    public static let shapeMinimumGain = 0.005
    public static let shapeMinimumT = 2.0

    public init(folds: Int = 5, repeats: Int = 1, seed: UInt64 = 1, l2: [Double]? = TuningOptions.defaultL2,
                ivThreshold: [Double]? = TuningOptions.defaultIVThresholds, maxBins: [Int]? = TuningOptions.defaultMaxBins,
                minBinShare: [Double]? = TuningOptions.defaultMinBinShares, shapes: Bool = true) {
        self.folds = folds
        self.repeats = repeats
        self.seed = seed
        self.l2 = l2
        self.ivThreshold = ivThreshold
        self.maxBins = maxBins
        self.minBinShare = minBinShare
        self.shapes = shapes
    }

    /// Whether anything is searched.
    public var searches: Bool { l2 != nil || ivThreshold != nil || maxBins != nil || minBinShare != nil || shapes }
}

/// One point of the grid.
public struct TuningSetting: Codable, Sendable, Equatable, Hashable {
    public var l2: Double
    public var ivThreshold: Double
    public var maxBins: Int
    public var minBinShare: Double

    public init(l2: Double, ivThreshold: Double, maxBins: Int, minBinShare: Double) {
        self.l2 = l2
        self.ivThreshold = ivThreshold
        self.maxBins = maxBins
        self.minBinShare = minBinShare
    }

    /// `l2 10, IV >= 0.02, 6 bins, 5.0%`.
    public var text: String {
        "l2 \(ReportText.number(l2)), IV ≥ \(ReportText.number(ivThreshold)), \(maxBins) bins, \(ReportText.fixed(minBinShare * 100, 1))%"
    }
}

/// A setting's fold AUCs: mean and sample standard deviation.
public struct TuningPoint: Codable, Sendable, Equatable {
    public var setting: TuningSetting
    public var meanAUC: Double
    public var sdAUC: Double
    /// Characteristics in the model, averaged over the folds.
    public var meanCharacteristics: Double
}

/// Why a numeric characteristic was, or was not, allowed a peak or valley.
public struct ShapeChoice: Codable, Sendable, Equatable {
    public var name: String
    /// `monotone`, or `peak-or-valley` when the turn was allowed.
    public var allowed: String
    /// The shape of its bins in the final model on all training rows: `ascending`,
    /// `descending`, `peak`, `valley` or `flat` (a single bin); `nil` when not in the fit.
    public var shape: String?
    /// Mean fold AUC of the characteristic alone (its WoE), monotone bins and with a turn.
    public var monotoneAUC: Double
    public var turnAUC: Double
    /// Paired t statistic of the fold gains.
    public var t: Double
    public var reason: String
}

/// What cross-validation chose, and the curve it chose from (recorded in the model file's
/// `training` object and the report).
public struct TuningResult: Codable, Sendable, Equatable {
    public var folds: Int
    public var repeats: Int
    public var seed: UInt64
    /// Training rows the folds were cut from (no test row is ever among them).
    public var rows: Int
    /// The parameters searched (`l2`, `ivThreshold`, `maxBins`, `minBinShare`, `shapes`).
    public var searched: [String]
    public var chosen: TuningSetting
    public var chosenMeanAUC: Double
    public var chosenSdAUC: Double
    /// Every setting of the grid, in grid order.
    public var curve: [TuningPoint]
    /// Numeric characteristics considered for a peak or valley (under the chosen binning).
    public var shapes: [ShapeChoice]
    public var rule: String
}

/// Cross-validation over the grid inside the training rows.
public enum CrossValidation {
    /// Stratified fold of each row: goods and bads each shuffled (SplitMix64 from `seed`,
    /// goods first) and dealt round-robin, bads continuing where goods stopped.
    public static func folds(bad: [Bool], count: Int, seed: UInt64) -> [Int] {
        var generator = SplitMix64(seed: seed ^ 0x6376_666F_6C64_7321)
        var fold = [Int](repeating: 0, count: bad.count)
        var dealt = 0
        for wanted in [false, true] {
            var rows = bad.indices.filter { bad[$0] == wanted }
            if rows.count > 1 {
                for index in stride(from: rows.count - 1, to: 0, by: -1) {
                    rows.swapAt(index, Int(generator.next() % UInt64(index + 1)))
                }
            }
            for row in rows {
                fold[row] = dealt % count
                dealt += 1
            }
        }
        return fold
    }

    /// One characteristic's fine classes on one fold's training rows, and the fine class of
    /// every row (-1 missing, -2 a category the fold's training rows never saw).
    struct FoldFine {
        var fine: FineClasses
        var rowClass: [Int32]
    }

    /// Runs the search. `candidates`: indices into `data.columns`, non-constant.
    static func search(_ data: TrainingData, candidates: [Int], options: TrainingOptions,
                       tuning: TuningOptions) throws(TrainingError) -> TuningResult {
        let rows = data.rowCount
        let k = tuning.folds
        guard k >= 2 else { throw TrainingError("train.options", "--folds must be at least 2") }
        let bads = data.bad.filter { $0 }.count
        guard bads >= k && rows - bads >= k else {
            throw TrainingError("train.folds", "\(k)-fold cross-validation needs at least \(k) goods and \(k) bads in the training rows; lower --folds")
        }
        // Repeats: other fold assignments (seeds seed, seed+1, ...), every fold of every repeat
        // one split of the training rows.
        let repeats = max(1, tuning.repeats)
        let assignments = (0..<repeats).map { folds(bad: data.bad, count: k, seed: tuning.seed &+ UInt64($0)) }
        let splits = k * repeats
        let inTrain: [[Bool]] = (0..<splits).map { split in assignments[split / k].map { $0 != split % k } }
        let l2Grid = tuning.l2 ?? [options.l2]
        let fixedThreshold: Double
        switch options.selection {
        case .informationValue(let value): fixedThreshold = value
        case .stepwise: fixedThreshold = 0.02
        }
        let ivGrid = tuning.ivThreshold ?? [fixedThreshold]
        let binsGrid = tuning.maxBins ?? [options.binning.maxBins]
        let shareGrid = tuning.minBinShare ?? [options.binning.minBinShare]
        let names = candidates.map { data.names[$0] }

        // Sorted orders once; fine classes once per fold (they do not depend on the grid).
        let sortedOrders: [[Int]] = candidates.map { index in
            guard case .numeric(let values) = data.columns[index] else { return [] }
            return (0..<rows).filter { !values[$0].isNaN }.sorted { (values[$0], $0) < (values[$1], $1) }
        }
        var foldRows: [[Int]] = []
        var validRows: [[Int]] = []
        for f in 0..<splits {
            foldRows.append((0..<rows).filter { inTrain[f][$0] })
            validRows.append((0..<rows).filter { !inTrain[f][$0] })
        }
        var fine: [[FoldFine]] = []  // [fold][characteristic]
        for f in 0..<splits {
            var perCharacteristic: [FoldFine] = []
            let trainCount = foldRows[f].count
            for (position, index) in candidates.enumerated() {
                let name = names[position]
                var missingGoods = 0, missingBads = 0
                for row in foldRows[f] where data.columns[index].isMissing(row) {
                    if data.bad[row] { missingBads += 1 } else { missingGoods += 1 }
                }
                switch data.columns[index] {
                case .numeric(let values):
                    var classes: FineClasses
                    if case .cuts(let fixed)? = options.forced[name] {
                        let cuts = fixed.sorted()
                        classes = FineClasses(numeric: true, cuts: cuts, goods: [Int](repeating: 0, count: cuts.count + 1),
                                              bads: [Int](repeating: 0, count: cuts.count + 1), missingGoods: missingGoods,
                                              missingBads: missingBads, rows: trainCount)
                        for row in foldRows[f] where !values[row].isNaN {
                            let c = classes.numericClass(values[row])
                            if data.bad[row] { classes.bads[c] += 1 } else { classes.goods[c] += 1 }
                        }
                    } else {
                        let present = sortedOrders[position].filter { inTrain[f][$0] }
                        classes = Binner.numericFineClasses(values: values, sortedPresent: present, bad: data.bad, rows: trainCount,
                                                            missingGoods: missingGoods, missingBads: missingBads, options: options.binning)
                    }
                    var rowClass = [Int32](repeating: -1, count: rows)
                    if !classes.goods.isEmpty {
                        for row in 0..<rows where !values[row].isNaN { rowClass[row] = Int32(classes.numericClass(values[row])) }
                    }
                    perCharacteristic.append(FoldFine(fine: classes, rowClass: rowClass))
                case .categorical(let codes, let categories):
                    var goodsByCode = [Int](repeating: 0, count: categories.count)
                    var badsByCode = goodsByCode
                    for row in foldRows[f] where codes[row] >= 0 {
                        if data.bad[row] { badsByCode[Int(codes[row])] += 1 } else { goodsByCode[Int(codes[row])] += 1 }
                    }
                    var classes: FineClasses
                    if case .groups(let fixed)? = options.forced[name] {
                        var groups: [[Int]] = []
                        for group in fixed {
                            let members = group.compactMap { categories.firstIndex(of: $0) }
                            if !members.isEmpty { groups.append(members) }
                        }
                        classes = FineClasses(numeric: false, members: groups, goods: groups.map { $0.reduce(0) { $0 + goodsByCode[$1] } },
                                              bads: groups.map { $0.reduce(0) { $0 + badsByCode[$1] } },
                                              missingGoods: missingGoods, missingBads: missingBads, rows: trainCount)
                    } else {
                        classes = Binner.categoricalFineClasses(goods: goodsByCode, bads: badsByCode, categories: categories,
                                                                missingGoods: missingGoods, missingBads: missingBads, rows: trainCount,
                                                                options: options.binning)
                    }
                    var classOfCode = [Int32](repeating: -2, count: categories.count)
                    for (c, members) in classes.members.enumerated() {
                        for code in members where goodsByCode[code] + badsByCode[code] > 0 { classOfCode[code] = Int32(c) }
                    }
                    let rowClass = (0..<rows).map { row in codes[row] < 0 ? Int32(-1) : classOfCode[Int(codes[row])] }
                    perCharacteristic.append(FoldFine(fine: classes, rowClass: rowClass))
                }
            }
            fine.append(perCharacteristic)
        }

        // Which characteristics may turn, and their monotone direction.
        let isNumeric = candidates.map { index -> Bool in if case .numeric = data.columns[index] { return true }; return false }
        func baseDirection(_ position: Int) -> BinningOptions.Monotone {
            if !isNumeric[position] { return .ascending }
            return options.directions[names[position]] ?? options.binning.monotone
        }
        let mayTurn = candidates.indices.map { position in
            tuning.shapes && isNumeric[position] && options.forced[names[position]] == nil
                && options.directions[names[position]] == nil && options.binning.monotone == .auto
        }

        /// WoE of every row for one fold and characteristic under a partition; IV and bin count.
        func woe(_ foldFine: FoldFine, groups: [Range<Int>]) -> (row: [Double], iv: Double, bins: Int) {
            let classes = foldFine.fine
            if foldFine.fine.count == 0 && classes.missingGoods + classes.missingBads == 0 {
                return ([Double](repeating: 0, count: rows), 0, 1)
            }
            let groups = groups.isEmpty ? [0..<classes.count] : groups
            var binOfClass = [Int](repeating: 0, count: classes.count)
            var goods: [Int] = []
            var badCounts: [Int] = []
            for (bin, range) in groups.enumerated() {
                for c in range { binOfClass[c] = bin }
                goods.append(classes.goods[range].reduce(0, +))
                badCounts.append(classes.bads[range].reduce(0, +))
            }
            let hasMissing = classes.missingGoods + classes.missingBads > 0
            if hasMissing { goods.append(classes.missingGoods); badCounts.append(classes.missingBads) }
            let (values, ivs) = weightOfEvidence(goods: goods, bads: badCounts)
            let riskiest = values.max() ?? 0
            var row = [Double](repeating: 0, count: rows)
            for r in 0..<rows {
                let c = foldFine.rowClass[r]
                if c >= 0 { row[r] = values[binOfClass[Int(c)]] } else if c == -1 { row[r] = hasMissing ? values[values.count - 1] : 0 } else { row[r] = riskiest }
            }
            return (row, ivs.reduce(0, +), goods.count)
        }

        var curve: [TuningPoint] = []
        var shapesByBinning: [[ShapeChoice]] = []
        var turnsByBinning: [[Bool]] = []
        let searched = [tuning.l2 != nil ? "l2" : nil, tuning.ivThreshold != nil ? "ivThreshold" : nil,
                        tuning.maxBins != nil ? "maxBins" : nil, tuning.minBinShare != nil ? "minBinShare" : nil,
                        tuning.shapes && mayTurn.contains(true) ? "shapes" : nil].compactMap { $0 }
        for maxBins in binsGrid {
            for share in shareGrid {
                var binning = options.binning
                binning.maxBins = maxBins
                binning.minBinShare = share
                // [fold][characteristic]: monotone WoE, and with a turn where allowed.
                var monotone: [[(row: [Double], iv: Double, bins: Int)]] = []
                var turned: [[(row: [Double], iv: Double, bins: Int)?]] = []
                for f in 0..<splits {
                    var plain: [(row: [Double], iv: Double, bins: Int)] = []
                    var turning: [(row: [Double], iv: Double, bins: Int)?] = []
                    for position in candidates.indices {
                        let foldFine = fine[f][position]
                        let forced = options.forced[names[position]] != nil
                        let groups = forced ? foldFine.fine.goods.indices.map { $0..<($0 + 1) }
                            : Binner.partition(foldFine.fine, options: binning, direction: baseDirection(position))
                        plain.append(woe(foldFine, groups: groups))
                        turning.append(mayTurn[position]
                            ? woe(foldFine, groups: Binner.partition(foldFine.fine, options: binning, direction: .peakOrValley)) : nil)
                    }
                    monotone.append(plain)
                    turned.append(turning)
                }
                // Shapes: the characteristic alone, on the validation rows of each fold.
                var turns = [Bool](repeating: false, count: candidates.count)
                var choices: [ShapeChoice] = []
                for position in candidates.indices where mayTurn[position] {
                    var plainAUC: [Double] = []
                    var turnAUC: [Double] = []
                    for f in 0..<splits {
                        let labels = validRows[f].map { data.bad[$0] }
                        plainAUC.append(riskAUC(validRows[f].map { monotone[f][position].row[$0] }, labels))
                        turnAUC.append(riskAUC(validRows[f].map { turned[f][position]!.row[$0] }, labels))
                    }
                    let gains = zip(turnAUC, plainAUC).map { $0 - $1 }
                    let (gain, spread) = meanAndSD(gains)
                    let t = spread > 0 ? gain / (spread / Double(splits).squareRoot()) : (gain > 0 ? .infinity : 0)
                    let allow = gain >= TuningOptions.shapeMinimumGain && t >= TuningOptions.shapeMinimumT
                    turns[position] = allow
                    let means = (meanAndSD(plainAUC).mean, meanAndSD(turnAUC).mean)
                    let reason: String
                    if allow {
                        reason = "a turn raises its mean fold AUC from \(ReportText.fixed(means.0, 4)) to \(ReportText.fixed(means.1, 4)) (t \(ReportText.fixed(t, 1)))"
                    } else if gain <= 0 {
                        reason = "monotone bins do as well (fold AUC \(ReportText.fixed(means.0, 4)) vs \(ReportText.fixed(means.1, 4)) with a turn)"
                    } else {
                        reason = "a turn gains \(ReportText.fixed(gain, 4)) fold AUC (t \(ReportText.fixed(t, 1))), below the bar (0.005 and t 2)"
                    }
                    choices.append(ShapeChoice(name: names[position], allowed: allow ? "peak-or-valley" : "monotone", shape: nil,
                                               monotoneAUC: means.0, turnAUC: means.1, t: t.isFinite ? t : 99, reason: reason))
                }
                shapesByBinning.append(choices)
                turnsByBinning.append(turns)
                // Fits: per fold, per distinct selection, l2 from strong to weak (warm starts).
                var foldAUC = [[Double]](repeating: [Double](repeating: 0, count: splits), count: ivGrid.count * l2Grid.count)
                var foldSize = [[Double]](repeating: [Double](repeating: 0, count: splits), count: ivGrid.count * l2Grid.count)
                let l2Order = l2Grid.indices.sorted { (l2Grid[$0], $0) > (l2Grid[$1], $1) }
                for f in 0..<splits {
                    let columns = candidates.indices.map { turns[$0] ? turned[f][$0]! : monotone[f][$0] }
                    var cache: [[Int]: [Double]] = [:]  // selection -> AUC per l2 index
                    var sizes: [[Int]: [Double]] = [:]
                    for (t, threshold) in ivGrid.enumerated() {
                        let selected = candidates.indices.filter { columns[$0].iv >= threshold && columns[$0].bins > 1 }
                        if cache[selected] == nil {
                            var aucs = [Double](repeating: 0.5, count: l2Grid.count)
                            var counts = [Double](repeating: 0, count: l2Grid.count)
                            if !selected.isEmpty {
                                let trainBad = foldRows[f].map { data.bad[$0] }
                                let validBad = validRows[f].map { data.bad[$0] }
                                var start: [Double]?
                                for l in l2Order {
                                    var chosen = selected
                                    var fit = fastFit(columns: chosen.map { columns[$0].row }, rows: foldRows[f], bad: trainBad, l2: l2Grid[l], start: start)
                                    start = fit.coefficients.count == chosen.count + 1 ? fit.coefficients : nil
                                    // The sign check of the final fit.
                                    while chosen.count > 1, let worst = worstNegative(fit) {
                                        chosen.remove(at: worst)
                                        fit = fastFit(columns: chosen.map { columns[$0].row }, rows: foldRows[f], bad: trainBad, l2: l2Grid[l], start: nil)
                                    }
                                    var risk = [Double](repeating: fit.coefficients[0], count: validRows[f].count)
                                    for (c, position) in chosen.enumerated() {
                                        let slope = fit.coefficients[c + 1]
                                        let row = columns[position].row
                                        for (v, r) in validRows[f].enumerated() { risk[v] += slope * row[r] }
                                    }
                                    aucs[l] = riskAUC(risk, validBad)
                                    counts[l] = Double(chosen.count)
                                }
                            }
                            cache[selected] = aucs
                            sizes[selected] = counts
                        }
                        for l in l2Grid.indices {
                            foldAUC[t * l2Grid.count + l][f] = cache[selected]![l]
                            foldSize[t * l2Grid.count + l][f] = sizes[selected]![l]
                        }
                    }
                }
                for (t, threshold) in ivGrid.enumerated() {
                    for (l, l2) in l2Grid.enumerated() {
                        let (mean, sd) = meanAndSD(foldAUC[t * l2Grid.count + l])
                        curve.append(TuningPoint(setting: TuningSetting(l2: l2, ivThreshold: threshold, maxBins: maxBins, minBinShare: share),
                                                 meanAUC: mean, sdAUC: sd, meanCharacteristics: meanAndSD(foldSize[t * l2Grid.count + l]).mean))
                    }
                }
            }
        }
        let best = choose(curve)
        let binningIndex = binsGrid.firstIndex(of: curve[best].setting.maxBins)! * shareGrid.count
            + shareGrid.firstIndex(of: curve[best].setting.minBinShare)!
        return TuningResult(folds: k, repeats: repeats, seed: tuning.seed, rows: rows, searched: searched, chosen: curve[best].setting,
                            chosenMeanAUC: curve[best].meanAUC, chosenSdAUC: curve[best].sdAUC, curve: curve,
                            shapes: shapesByBinning[binningIndex],
                            rule: "highest mean AUC over \(k) stratified folds of the training rows\(repeats > 1 ? ", \(repeats) times with other folds" : ""); ties go to the simpler model (more L2, higher IV threshold, fewer bins, larger bins)")
    }

    /// The index of the best point: highest mean AUC; on a tie (within 1e-12) the simpler:
    /// larger l2, then higher IV threshold, then fewer bins, then a larger minimum share.
    public static func choose(_ curve: [TuningPoint]) -> Int {
        var best = 0
        for index in curve.indices.dropFirst() {
            let a = curve[index], b = curve[best]
            if a.meanAUC > b.meanAUC + 1e-12 { best = index; continue }
            if a.meanAUC < b.meanAUC - 1e-12 { continue }
            let simpler = (a.setting.l2, a.setting.ivThreshold, -a.setting.maxBins, a.setting.minBinShare)
                > (b.setting.l2, b.setting.ivThreshold, -b.setting.maxBins, b.setting.minBinShare)
            if simpler { best = index }
        }
        return best
    }

    /// The sign check: the selected position (in `fit`) with a negative slope and the smallest |z|.
    static func worstNegative(_ fit: QuickFit) -> Int? {
        var worst: (position: Int, z: Double)?
        for c in 1..<fit.coefficients.count where fit.coefficients[c] < 0 {
            let z = abs(fit.coefficients[c] / fit.standardError(c))
            if worst == nil || z < worst!.z { worst = (c - 1, z) }
        }
        return worst?.position
    }

    struct QuickFit {
        var coefficients: [Double]
        var hessian: SymmetricMatrix
        func standardError(_ c: Int) -> Double {
            guard let inverse = hessian.inverse() else { return .infinity }
            return inverse[c, c].squareRoot()
        }
    }

    /// Newton-Raphson (damped) for the coefficients only, on `rows` of full-length `columns`:
    /// column-major, with SIMD dot products (a fixed order of additions: deterministic).
    static func fastFit(columns: [[Double]], rows: [Int], bad: [Bool], l2: Double, start: [Double]?) -> QuickFit {
        let n = rows.count
        let size = columns.count + 1
        var x = [Double](repeating: 1, count: n * size)
        for (c, column) in columns.enumerated() {
            let base = (c + 1) * n
            for (r, row) in rows.enumerated() { x[base + r] = column[row] }
        }
        let y = bad.map { $0 ? 1.0 : 0.0 }
        var beta: [Double]
        if let start, start.count == size { beta = start } else {
            beta = [Double](repeating: 0, count: size)
            let bads = y.reduce(0, +)
            beta[0] = naturalLog(max(bads, 0.5) / max(Double(n) - bads, 0.5))
        }
        var hessian = SymmetricMatrix(size: size)
        var eta = [Double](repeating: 0, count: n)
        var weighted = [Double](repeating: 0, count: n * size)
        var residual = [Double](repeating: 0, count: n)
        var weight = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            let xp = xs.baseAddress!
            /// Penalised log-likelihood at `b`, leaving the linear predictor in `eta`.
            func objective(_ b: [Double]) -> Double {
                var total = 0.0
                eta.withUnsafeMutableBufferPointer { e in
                    for r in 0..<n { e[r] = b[0] }
                    for c in 1..<size {
                        let slope = b[c]
                        let column = xp + c * n
                        for r in 0..<n { e[r] += slope * column[r] }
                    }
                    for r in 0..<n { total += y[r] > 0 ? logSigmoid(e[r]) : logSigmoid(-e[r]) }
                }
                for c in 1..<size { total -= 0.5 * l2 * b[c] * b[c] }
                return total
            }
            var current = objective(beta)
            for _ in 0..<50 {
                var gradient = [Double](repeating: 0, count: size)
                hessian = SymmetricMatrix(size: size)
                weighted.withUnsafeMutableBufferPointer { wx in
                    residual.withUnsafeMutableBufferPointer { res in
                        weight.withUnsafeMutableBufferPointer { w in
                            for r in 0..<n {
                                let p = 1 / (1 + exponential(-eta[r]))
                                w[r] = p * (1 - p)
                                res[r] = y[r] - p
                            }
                            for c in 0..<size {
                                let column = xp + c * n
                                let target = wx.baseAddress! + c * n
                                for r in 0..<n { target[r] = w[r] * column[r] }
                                gradient[c] = dot(UnsafePointer(res.baseAddress!), column, n)
                            }
                            for a in 0..<size {
                                let wa = UnsafePointer(wx.baseAddress! + a * n)
                                for b in 0...a {
                                    let value = dot(wa, xp + b * n, n)
                                    hessian.values[a * size + b] = value
                                    hessian.values[b * size + a] = value
                                }
                            }
                        }
                    }
                }
                for a in 1..<size {
                    gradient[a] -= l2 * beta[a]
                    hessian[a, a] += l2
                }
                guard var step = hessian.solve(gradient) else { break }
                var trial = beta
                var value = current
                for _ in 0..<40 {
                    trial = zip(beta, step).map { $0 + $1 }
                    value = objective(trial)
                    if value.isFinite && value >= current - 1e-9 * max(1, abs(current)) { break }
                    step = step.map { $0 / 2 }
                }
                let largest = step.map { abs($0) }.max() ?? 0
                let change = abs(value - current)
                beta = trial
                current = value
                if largest < 1e-8 || change < 1e-10 * max(1, abs(current)) { break }
            }
        }
        return QuickFit(coefficients: beta, hessian: hessian)
    }

    /// Sum of a[i] * b[i], four lanes at a time, two accumulators, then the tail.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var first = SIMD4<Double>()
        var second = SIMD4<Double>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 8 <= n {
            first += ra.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            second += ra.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
            i += 8
        }
        var total = (first + second).sum()
        while i < n {
            total += a[i] * b[i]
            i += 1
        }
        return total
    }

    /// AUC with risk higher for bads: P(risk of a bad > risk of a good), ties counted half.
    static func riskAUC(_ risk: [Double], _ bad: [Bool]) -> Double {
        let order = risk.indices.sorted { risk[$0] < risk[$1] }
        var goodsBelow = 0.0
        var area = 0.0
        var index = 0
        var totalBads = 0.0
        while index < order.count {
            var end = index
            var goods = 0.0, bads = 0.0
            while end < order.count && risk[order[end]] == risk[order[index]] {
                if bad[order[end]] { bads += 1 } else { goods += 1 }
                end += 1
            }
            area += bads * (goodsBelow + goods / 2)
            goodsBelow += goods
            totalBads += bads
            index = end
        }
        let pairs = totalBads * goodsBelow
        return pairs > 0 ? area / pairs : 0.5
    }

    static func meanAndSD(_ values: [Double]) -> (mean: Double, sd: Double) {
        guard !values.isEmpty else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }
}

extension TuningResult {
    /// One row of the profile: a value of one searched parameter and the best setting with it.
    public struct ProfileRow: Sendable, Equatable {
        public var parameter: String
        public var value: String
        public var best: TuningPoint
        public var chosen: Bool
    }

    /// For each searched parameter and each of its values, the best mean fold AUC with the other
    /// parameters free: the cross-validation curve one parameter at a time.
    public var profile: [ProfileRow] {
        var rows: [ProfileRow] = []
        let parameters: [(String, (TuningSetting) -> Double, (Double) -> String)] = [
            ("l2", { $0.l2 }, { ReportText.number($0) }),
            ("ivThreshold", { $0.ivThreshold }, { ReportText.number($0) }),
            ("maxBins", { Double($0.maxBins) }, { ReportText.number($0) }),
            ("minBinShare", { $0.minBinShare }, { ReportText.number($0) }),
        ]
        for (name, key, text) in parameters where searched.contains(name) {
            var values: [Double] = []
            for point in curve where !values.contains(key(point.setting)) { values.append(key(point.setting)) }
            for value in values.sorted() {
                let points = curve.filter { key($0.setting) == value }
                let best = points[CrossValidation.choose(points)]
                rows.append(ProfileRow(parameter: name, value: text(value), best: best, chosen: key(chosen) == value))
            }
        }
        return rows
    }
}
