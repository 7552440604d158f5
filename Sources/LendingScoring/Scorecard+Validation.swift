extension Scorecard {
    /// Checks that the model can be scored: known format, finite points, numeric bins that
    /// tile the real line in increasing order, disjoint category groups, unique names.
    public func validate() throws(ScoringError) {
        func fail(_ message: String, _ characteristic: String? = nil) -> ScoringError {
            ScoringError(.invalidModel, message, characteristic: characteristic)
        }
        guard format == Scorecard.formatName else {
            throw ScoringError(.unsupportedFormat, "the file is not a lending scorecard (format is \"\(format)\", expected \"\(Scorecard.formatName)\")")
        }
        guard formatVersion == Scorecard.currentFormatVersion else {
            throw ScoringError(.unsupportedFormat, "model format version \(formatVersion) is not supported; this build reads version \(Scorecard.currentFormatVersion)")
        }
        guard scaling.pdo.isFinite, scaling.pdo > 0, scaling.baseOdds.isFinite, scaling.baseOdds > 0, scaling.baseScore.isFinite else {
            throw fail("scaling needs a positive pdo and baseOdds and a finite baseScore")
        }
        guard basePoints.isFinite else { throw fail("basePoints must be a finite number") }
        guard !characteristics.isEmpty else { throw fail("the model has no characteristics") }
        var names = Set<String>()
        for characteristic in characteristics {
            let name = characteristic.name
            guard !name.isEmpty else { throw fail("a characteristic has an empty name") }
            guard names.insert(name).inserted else { throw fail("characteristic \"\(name)\" appears twice", name) }
            guard !characteristic.bins.isEmpty else { throw fail("characteristic \"\(name)\" has no bins", name) }
            for bin in characteristic.bins where !bin.points.isFinite {
                throw fail("characteristic \"\(name)\" has a bin with non-finite points", name)
            }
            if let missing = characteristic.missing, !missing.points.isFinite {
                throw fail("characteristic \"\(name)\" has non-finite missing points", name)
            }
            switch characteristic.kind {
            case .numeric:
                let bins = characteristic.bins
                guard bins.first?.lower == nil else {
                    throw fail("the first bin of \"\(name)\" must start at -inf (omit \"lower\")", name)
                }
                guard bins.last?.upper == nil else {
                    throw fail("the last bin of \"\(name)\" must end at inf (omit \"upper\")", name)
                }
                for index in bins.indices {
                    guard bins[index].categories == nil else { throw fail("numeric characteristic \"\(name)\" has a bin with categories", name) }
                    if index > 0 {
                        guard let lower = bins[index].lower, let previous = bins[index - 1].upper, lower == previous else {
                            throw fail("bins of \"\(name)\" must be contiguous: bin \(index + 1) must start where bin \(index) ends", name)
                        }
                        guard lower.isFinite else { throw fail("bin bounds of \"\(name)\" must be finite", name) }
                    }
                    if let lower = bins[index].lower, let upper = bins[index].upper, !(lower < upper) {
                        throw fail("bin \(index + 1) of \"\(name)\" is empty: lower must be below upper", name)
                    }
                }
                if characteristic.unseen != nil { throw fail("\"unseen\" applies to categorical characteristics only (\"\(name)\")", name) }
            case .categorical:
                var seen = Set<String>()
                for bin in characteristic.bins {
                    guard let categories = bin.categories, !categories.isEmpty else {
                        throw fail("categorical characteristic \"\(name)\" has a bin without categories", name)
                    }
                    for category in categories where !seen.insert(category).inserted {
                        throw fail("category \"\(category)\" of \"\(name)\" is in two bins", name)
                    }
                }
                if characteristic.unseen == .missing && characteristic.missing == nil {
                    throw fail("\"\(name)\" sends unseen categories to the missing bin but has no missing bin", name)
                }
            }
        }
    }

    /// The lowest and highest total score the model can give.
    public var scoreRange: ClosedRange<Double> {
        var low = basePoints
        var high = basePoints
        for characteristic in characteristics {
            var points = characteristic.bins.map(\.points)
            if let missing = characteristic.missing { points.append(missing.points) }
            low += points.min() ?? 0
            high += points.max() ?? 0
        }
        return low...high
    }

    /// Whether base points and every bin's points are whole numbers (scores print as integers).
    public var hasIntegralPoints: Bool {
        func integral(_ value: Double) -> Bool { value == value.rounded() }
        return integral(basePoints) && characteristics.allSatisfy { characteristic in
            characteristic.bins.allSatisfy { integral($0.points) } && (characteristic.missing.map { integral($0.points) } ?? true)
        }
    }
}
