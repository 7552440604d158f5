import LendingScoring

/// What to train and how.
public struct TrainingOptions: Sendable {
    public enum Selection: Sendable, Equatable {
        /// Keep characteristics whose IV reaches the threshold.
        case informationValue(Double)
        /// IV filter at 0.02, then forward-backward stepwise on Wald p-values (enter 0.05, stay 0.10).
        case stepwise
    }

    public var name: String
    public var version: String
    public var binning: BinningOptions
    public var forced: [String: ForcedBins]
    /// Candidate characteristics; `nil` means every column but the target.
    public var features: [String]?
    public var exclude: [String]
    public var selection: Selection
    /// L2 penalty on the regression slopes.
    public var l2: Double
    public var scaling: Scaling
    /// Round base points and bin points to whole numbers (the usual points table).
    public var roundPoints: Bool
    /// Cross-validation inside the training rows for the settings it lists (`nil`: none; every
    /// setting as given).
    public var tuning: TuningOptions?
    /// Per characteristic, a trend other than `binning.monotone` (cross-validation sets
    /// `peak-or-valley` where it allows a turn).
    public var directions: [String: BinningOptions.Monotone]

    public init(name: String = "scorecard", version: String = "1", binning: BinningOptions = BinningOptions(),
                forced: [String: ForcedBins] = [:], features: [String]? = nil, exclude: [String] = [],
                selection: Selection = .informationValue(0.02), l2: Double = 0,
                scaling: Scaling = Scaling(baseScore: 600, baseOdds: 19, pdo: 50), roundPoints: Bool = true,
                tuning: TuningOptions? = nil, directions: [String: BinningOptions.Monotone] = [:]) {
        self.name = name
        self.version = version
        self.binning = binning
        self.forced = forced
        self.features = features
        self.exclude = exclude
        self.selection = selection
        self.l2 = l2
        self.scaling = scaling
        self.roundPoints = roundPoints
        self.tuning = tuning
        self.directions = directions
    }
}

/// A trained scorecard and everything learned on the way.
public struct TrainingResult: Sendable {
    public var model: Scorecard
    public var report: TrainingReport
    public var binnings: [BinnedCharacteristic]
    public var fit: LogisticFit
    /// What cross-validation chose, when it ran.
    public var tuning: TuningResult?
    /// The options the model was fitted with (cross-validation's choices filled in).
    public var options: TrainingOptions
    /// Wall time of cross-validation (nil when it did not run) and of the whole training.
    public var crossValidationTime: Duration?
    public var totalTime: Duration = .zero
}

/// Trains a scorecard: binning, WoE, selection, logistic regression, scaling, metrics.
public enum Trainer {
    public static func train(_ train: TrainingData, test: TrainingData?, options given: TrainingOptions) throws(TrainingError) -> TrainingResult {
        var options = given
        let clock = ContinuousClock()
        let started = clock.now
        var crossValidationTime: Duration?
        let trainBads = train.bad.filter { $0 }.count
        guard train.rowCount > 0 else { throw TrainingError("train.empty", "the training data has no rows") }
        guard trainBads > 0 && trainBads < train.rowCount else {
            throw TrainingError("train.one_class", "the training rows are all \(trainBads == 0 ? "good" : "bad"); a scorecard needs both goods and bads")
        }
        var warnings: [String] = []
        // Candidates.
        var candidates = options.features ?? train.names
        for name in candidates where !train.names.contains(name) {
            throw TrainingError("train.unknown_feature", "\"\(name)\" is not a column of the training data; check --features")
        }
        candidates.removeAll { options.exclude.contains($0) }
        for name in options.forced.keys.sorted() where !candidates.contains(name) {
            warnings.append("BREAKS.json names \"\(name)\", which is not a candidate characteristic; ignored")
        }
        // Cross-validation inside the training rows (never the test rows), then the choice.
        var tuning: TuningResult?
        if let grid = options.tuning, grid.searches, options.selection != .stepwise {
            let usable = candidates.compactMap { name in train.names.firstIndex(of: name) }.filter { !isConstant(train.columns[$0]) }
            if !usable.isEmpty {
                let found = try CrossValidation.search(train, candidates: usable, options: options, tuning: grid)
                crossValidationTime = clock.now - started
                options.l2 = found.chosen.l2
                options.binning.maxBins = found.chosen.maxBins
                options.binning.minBinShare = found.chosen.minBinShare
                if case .informationValue = options.selection { options.selection = .informationValue(found.chosen.ivThreshold) }
                for shape in found.shapes where shape.allowed == "peak-or-valley" { options.directions[shape.name] = .peakOrValley }
                tuning = found
            }
        }
        // Binning.
        var binnings: [BinnedCharacteristic] = []
        var reports: [CharacteristicReport] = []
        for name in candidates {
            let column = train.column(name)!
            var binningOptions = options.binning
            if let direction = options.directions[name] { binningOptions.monotone = direction }
            if isConstant(column) {
                warnings.append("\"\(name)\" has a single value in the training rows; left out")
                reports.append(CharacteristicReport(name: name, kind: kindName(column), informationValue: 0, selected: false,
                                                    note: "constant in the training rows", bins: []))
                continue
            }
            binnings.append(try Binner.bin(name: name, column: column, bad: train.bad, options: binningOptions, forced: options.forced[name]))
        }
        // Selection by IV.
        let threshold: Double
        switch options.selection {
        case .informationValue(let value): threshold = value
        case .stepwise: threshold = 0.02
        }
        var selected = binnings.indices.filter { binnings[$0].iv >= threshold && binnings[$0].binCount > 1 }
        guard !selected.isEmpty else {
            throw TrainingError("train.no_characteristic",
                                "no characteristic reaches IV \(threshold) (best: \(binnings.sorted { $0.iv > $1.iv }.prefix(3).map { "\($0.name) \(ReportText.fixed($0.iv, 4))" }.joined(separator: ", "))); lower --select iv:N or check the target")
        }
        // WoE columns of the training rows.
        let woeColumns: [[Double]] = binnings.map { binning in
            let column = train.column(binning.name)!
            return (0..<train.rowCount).map { row in binning.bin(of: column, row: row).map { binning.woe[$0] } ?? 0 }
        }
        func fitting(_ indices: [Int]) throws(TrainingError) -> LogisticFit {
            try LogisticRegression.fit(columns: indices.map { woeColumns[$0] }, bad: train.bad, l2: options.l2)
        }
        if options.selection == .stepwise {
            selected = try stepwise(candidates: selected, fit: fitting)
        }
        var fit = try fitting(selected)
        // Sign check: with WoE positive for risk, every slope should be positive.
        while let worst = selected.indices.filter({ fit.coefficients[$0 + 1] < 0 }).min(by: { abs(fit.zScores[$0 + 1]) < abs(fit.zScores[$1 + 1]) }),
              selected.count > 1 {
            warnings.append("\"\(binnings[selected[worst]].name)\" got a negative coefficient (\(ReportText.fixed(fit.coefficients[worst + 1], 4))), the sign of collinearity; left out")
            selected.remove(at: worst)
            fit = try fitting(selected)
        }
        if !fit.converged { warnings.append("the regression did not converge in \(fit.iterations) iterations; results may be unreliable (try --l2 0.1)") }
        if fit.saturatedRows > 0 {
            warnings.append("\(fit.saturatedRows) training rows have fitted probabilities of 0 or 1: possible separation; consider --l2 or fewer bins")
        }
        let vif = LogisticRegression.varianceInflation(columns: selected.map { woeColumns[$0] })
        for (position, index) in selected.enumerated() where vif[position] > 10 {
            warnings.append("\"\(binnings[index].name)\" has VIF \(ReportText.fixed(vif[position], 1)) > 10: collinear with others")
        }

        // Scaling to points.
        let scaling = options.scaling
        let factor = scaling.factor
        func finish(_ value: Double) -> Double {
            let result = options.roundPoints ? value.rounded(.toNearestOrEven) : value
            return result == 0 ? 0 : result // no negative zero in files
        }
        let basePoints = finish(scaling.baseScore - factor * (naturalLog(scaling.baseOdds) + fit.coefficients[0]))
        var characteristics: [Characteristic] = []
        var pointsByName: [String: [Double]] = [:]
        for (position, index) in selected.enumerated() {
            let binning = binnings[index]
            let slope = fit.coefficients[position + 1]
            let points = binning.woe.map { finish(-factor * slope * $0) }
            pointsByName[binning.name] = points
            characteristics.append(characteristic(binning, points: points, coefficient: slope))
        }
        let model = Scorecard(name: options.name, version: options.version, scaling: scaling, basePoints: basePoints,
                              characteristics: characteristics)
        let compiled: CompiledScorecard
        do { compiled = try CompiledScorecard(model) } catch {
            throw TrainingError("train.model", "the trained model is invalid: \(error.message)")
        }

        // Reports.
        for binning in binnings {
            let selectedHere = selected.contains { binnings[$0].name == binning.name }
            let points = pointsByName[binning.name]
            let labels = binning.labels
            var bins: [BinReport] = []
            for bin in 0..<binning.binCount {
                let count = binning.goods[bin] + binning.bads[bin]
                bins.append(BinReport(label: labels[bin], count: count, goods: binning.goods[bin], bads: binning.bads[bin],
                                      badRate: count > 0 ? Double(binning.bads[bin]) / Double(count) : .nan,
                                      woe: binning.woe[bin], iv: binning.binIV[bin], points: points?[bin]))
            }
            var note: String?
            if !selectedHere {
                note = binning.iv < threshold ? "IV \(ReportText.fixed(binning.iv, 4)) below \(threshold)" : "left out by selection"
                if binning.binCount <= 1 { note = "a single bin" }
            }
            reports.append(CharacteristicReport(name: binning.name, kind: binning.kind, informationValue: binning.iv,
                                                selected: selectedHere, note: note, bins: bins))
        }
        reports.sort { ($0.selected ? 0 : 1, -$0.informationValue, $0.name) < ($1.selected ? 0 : 1, -$1.informationValue, $1.name) }
        var coefficients = [CoefficientReport(name: "(intercept)", estimate: fit.coefficients[0], standardError: fit.standardErrors[0],
                                              z: fit.zScores[0], pValue: fit.pValues[0])]
        for (position, index) in selected.enumerated() {
            coefficients.append(CoefficientReport(name: binnings[index].name, estimate: fit.coefficients[position + 1],
                                                  standardError: fit.standardErrors[position + 1], z: fit.zScores[position + 1],
                                                  pValue: fit.pValues[position + 1], vif: vif[position]))
        }
        var samples: [SampleReport] = []
        let trainScored = scoreRows(train, compiled: compiled)
        samples.append(sampleReport(name: "train", trainScored, compiled: compiled))
        var psi: Double?
        var csi: [NamedValue] = []
        if let test {
            let testScored = scoreRows(test, compiled: compiled)
            if testScored.unscorable > 0 {
                warnings.append("\(testScored.unscorable) test rows could not be scored (a missing value the model has no bin for); left out of the test metrics")
            }
            if !testScored.scores.isEmpty {
                samples.append(sampleReport(name: "test", testScored, compiled: compiled))
                let cuts = Metrics.decileCuts(trainScored.scores)
                psi = Metrics.psi(expected: Metrics.bandCounts(trainScored.scores, cuts: cuts),
                                  actual: Metrics.bandCounts(testScored.scores, cuts: cuts))
                for characteristic in 0..<compiled.characteristicCount {
                    let width = model.characteristics[characteristic].bins.count + 1
                    var expected = [Int](repeating: 0, count: width)
                    var actual = expected
                    for slot in trainScored.slots[characteristic] { expected[Int(slot)] += 1 }
                    for slot in testScored.slots[characteristic] { actual[Int(slot)] += 1 }
                    csi.append(NamedValue(name: compiled.names[characteristic], value: Metrics.psi(expected: expected, actual: actual)))
                }
            }
        }
        if tuning != nil {
            for index in tuning!.shapes.indices {
                let name = tuning!.shapes[index].name
                guard selected.contains(where: { binnings[$0].name == name }), let binning = binnings.first(where: { $0.name == name }) else { continue }
                tuning!.shapes[index].shape = shapeName(binning)
            }
        }
        var report = TrainingReport(title: "\(options.name) version \(options.version)", settings: [],
                                    characteristics: reports, coefficients: coefficients, samples: samples,
                                    scorePSI: psi, characteristicCSI: csi, warnings: warnings)
        report.tuning = tuning
        return TrainingResult(model: model, report: report, binnings: binnings, fit: fit, tuning: tuning, options: options,
                              crossValidationTime: crossValidationTime, totalTime: clock.now - started)
    }

    /// Forward-backward stepwise selection on Wald p-values (enter below 0.05, leave above 0.10).
    static func stepwise(candidates: [Int], fit: ([Int]) throws(TrainingError) -> LogisticFit) throws(TrainingError) -> [Int] {
        var chosen: [Int] = []
        var remaining = candidates
        var steps = 0
        while steps < 2 * candidates.count + 2 {
            steps += 1
            var best: (index: Int, p: Double)?
            for candidate in remaining {
                let trial = try fit(chosen + [candidate])
                let p = trial.pValues.last!
                if p < 0.05 && (best == nil || p < best!.p) { best = (candidate, p) }
            }
            guard let entering = best else { break }
            chosen.append(entering.index)
            remaining.removeAll { $0 == entering.index }
            let current = try fit(chosen)
            if let worst = chosen.indices.max(by: { current.pValues[$0 + 1] < current.pValues[$1 + 1] }),
               current.pValues[worst + 1] > 0.10, chosen[worst] != entering.index {
                remaining.append(chosen.remove(at: worst))
            }
        }
        return chosen.isEmpty ? candidates : chosen.sorted()
    }

    static func characteristic(_ binning: BinnedCharacteristic, points: [Double], coefficient: Double) -> Characteristic {
        let labels = binning.labels
        let regular = binning.hasMissingBin ? binning.binCount - 1 : binning.binCount
        var bins: [Bin] = []
        for bin in 0..<regular {
            let count = binning.goods[bin] + binning.bads[bin]
            if binning.kind == "numeric" {
                bins.append(Bin(label: labels[bin], lower: bin == 0 ? nil : binning.cuts[bin - 1],
                                upper: bin == regular - 1 ? nil : binning.cuts[bin], points: points[bin],
                                count: count, bads: binning.bads[bin], woe: binning.woe[bin]))
            } else {
                bins.append(Bin(label: labels[bin], categories: binning.groups[bin], points: points[bin],
                                count: count, bads: binning.bads[bin], woe: binning.woe[bin]))
            }
        }
        var missing: MissingBin?
        if binning.hasMissingBin {
            let last = binning.binCount - 1
            missing = MissingBin(points: points[last], count: binning.goods[last] + binning.bads[last], bads: binning.bads[last], woe: binning.woe[last])
        }
        return Characteristic(name: binning.name, kind: binning.kind == "numeric" ? .numeric : .categorical, bins: bins,
                              missing: missing, unseen: binning.kind == "numeric" ? nil : .lowest,
                              informationValue: binning.iv, coefficient: coefficient)
    }

    /// Scores of the rows the model can score, their labels, and each characteristic's slots.
    struct ScoredRows {
        var scores: [Double] = []
        var probabilities: [Double] = []
        var bad: [Bool] = []
        var slots: [[Int32]]
        var unscorable = 0
    }

    static func scoreRows(_ data: TrainingData, compiled: CompiledScorecard) -> ScoredRows {
        var result = ScoredRows(slots: [[Int32]](repeating: [], count: compiled.characteristicCount))
        // Per characteristic: the column, and for categories a code -> slot table.
        let columns = compiled.names.map { data.column($0) }
        let codeSlots: [[Int32]] = columns.enumerated().map { characteristic, column in
            guard case .categorical(_, let categories)? = column else { return [] }
            return categories.map { category in
                let slot = compiled.categories.slot(characteristic, of: category)
                return slot >= 0 ? slot : compiled.unseenSlot(characteristic)
            }
        }
        var rowSlots = [Int32](repeating: 0, count: compiled.characteristicCount)
        rows: for row in 0..<data.rowCount {
            var total = compiled.basePoints
            for characteristic in 0..<compiled.characteristicCount {
                let slot: Int32
                switch columns[characteristic] {
                case .numeric(let values)?:
                    let value = values[row]
                    if value.isNaN && !compiled.acceptsMissing(characteristic) { result.unscorable += 1; continue rows }
                    slot = Int32(compiled.numericSlot(characteristic, value))
                case .categorical(let codes, _)?:
                    let code = codes[row]
                    if code < 0 {
                        if !compiled.acceptsMissing(characteristic) { result.unscorable += 1; continue rows }
                        slot = 0
                    } else {
                        slot = codeSlots[characteristic][Int(code)]
                        if slot < 0 { result.unscorable += 1; continue rows }
                    }
                case nil:
                    result.unscorable += 1
                    continue rows
                }
                rowSlots[characteristic] = slot
                total += compiled.points(characteristic, slot: Int(slot))
            }
            for characteristic in 0..<compiled.characteristicCount { result.slots[characteristic].append(rowSlots[characteristic]) }
            result.scores.append(total)
            result.probabilities.append(compiled.probability(score: total))
            result.bad.append(data.bad[row])
        }
        return result
    }

    static func sampleReport(name: String, _ scored: ScoredRows, compiled: CompiledScorecard) -> SampleReport {
        let curve = Metrics.cumulative(scores: scored.scores, bad: scored.bad)
        let auc = Metrics.auc(curve)
        let ks = Metrics.ks(curve)
        let drawn = Metrics.thinned(curve)
        let range = compiled.model.scoreRange
        return SampleReport(name: name, rows: scored.scores.count, bads: scored.bad.filter { $0 }.count, ks: ks.ks, auc: auc,
                            gini: 2 * auc - 1, ksScore: ks.score, roc: Metrics.roc(drawn), ksCurve: drawn,
                            distribution: Metrics.distribution(scores: scored.scores, bad: scored.bad,
                                                               low: scored.scores.min() ?? range.lowerBound, high: scored.scores.max() ?? range.upperBound),
                            calibration: Metrics.calibration(scores: scored.scores, probabilities: scored.probabilities, bad: scored.bad))
    }

    /// The trend of a binned numeric characteristic's bad rates (the missing bin left out).
    static func shapeName(_ binning: BinnedCharacteristic) -> String {
        let regular = binning.hasMissingBin ? binning.binCount - 1 : binning.binCount
        let rates = (0..<regular).map { Double(binning.bads[$0]) / Double(max(1, binning.goods[$0] + binning.bads[$0])) }
        guard rates.count > 1 else { return "flat" }
        let steps = zip(rates, rates.dropFirst()).map { $1 > $0 ? 1 : ($1 < $0 ? -1 : 0) }
        if steps.allSatisfy({ $0 > 0 }) { return "ascending" }
        if steps.allSatisfy({ $0 < 0 }) { return "descending" }
        if steps.first! > 0 { return "peak" }
        return steps.first! < 0 ? "valley" : "none"
    }

    static func isConstant(_ column: TrainingColumn) -> Bool {
        switch column {
        case .numeric(let values):
            let present = values.filter { !$0.isNaN }
            // A single value with no missing rows carries no information; with missing rows the
            // missing bin still separates them.
            return present.isEmpty || (present.count == values.count && present.allSatisfy { $0 == present[0] })
        case .categorical(let codes, _):
            return codes.allSatisfy { $0 == codes.first }
        }
    }

    static func kindName(_ column: TrainingColumn) -> String {
        if case .numeric = column { return "numeric" }
        return "categorical"
    }
}
