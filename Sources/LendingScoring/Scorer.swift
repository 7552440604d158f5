/// A value of one characteristic for one applicant.
public enum FeatureValue: Sendable, Hashable {
    case number(Double)
    case category(String)
    case missing
}

/// One reason code: a characteristic and how many points below its maximum the applicant got.
public struct ReasonCode: Sendable, Hashable, Codable {
    public var characteristic: String
    public var pointsBelowMaximum: Double

    public init(characteristic: String, pointsBelowMaximum: Double) {
        self.characteristic = characteristic
        self.pointsBelowMaximum = pointsBelowMaximum
    }
}

/// The result of scoring one applicant.
public struct ScoreResult: Sendable, Hashable, Codable {
    public var score: Double
    /// Probability of bad from the model's scaling.
    public var probability: Double
    public var reasons: [ReasonCode]

    public init(score: Double, probability: Double, reasons: [ReasonCode]) {
        self.score = score
        self.probability = probability
        self.reasons = reasons
    }
}

/// Scores one applicant at a time: typed values or a `[String: String]` row. Load a model once,
/// share the scorer between threads.
public struct Scorer: Sendable {
    public let compiled: CompiledScorecard

    public init(_ model: Scorecard) throws(ScoringError) { compiled = try CompiledScorecard(model) }
    public init(compiled: CompiledScorecard) { self.compiled = compiled }

    public var model: Scorecard { compiled.model }

    /// Scores values given in the model's characteristic order.
    /// - Throws: ``ScoringError`` for a value the model cannot score (wrong type, unseen
    ///   category under a reject policy, missing value without a missing bin).
    public func score(_ values: [FeatureValue], reasons limit: Int = 4) throws(ScoringError) -> ScoreResult {
        let count = compiled.characteristicCount
        guard values.count == count else {
            throw ScoringError(.missingCharacteristic, "expected \(count) values in model order, got \(values.count)")
        }
        return try withSlots(limit: limit) { slots throws(ScoringError) in
            for index in 0..<count { slots[index] = try slot(index, values[index]) }
        }
    }

    /// Fills one applicant's slots in stack memory, then totals points and picks reasons.
    private func withSlots(limit: Int, _ fill: (UnsafeMutablePointer<Int32>) throws(ScoringError) -> Void) throws(ScoringError) -> ScoreResult {
        let count = compiled.characteristicCount
        let result: Result<ScoreResult, ScoringError> = withUnsafeTemporaryAllocation(of: Int32.self, capacity: count + 2 * max(limit, 1)) { buffer in
            let slots = buffer.baseAddress!
            do throws(ScoringError) { try fill(slots) } catch { return .failure(error) }
            var total = compiled.basePoints
            for index in 0..<count { total += compiled.points(index, slot: Int(slots[index])) }
            return .success(ScoreResult(score: total, probability: compiled.probability(score: total),
                                        reasons: reasonCodes(slots: slots, limit: limit)))
        }
        return try result.get()
    }

    private func reasonCodes(slots: UnsafeMutablePointer<Int32>, limit: Int) -> [ReasonCode] {
        guard limit > 0 else { return [] }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: limit) { losses in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: limit) { indices in
                let found = compiled.reasons(slots: UnsafeBufferPointer(start: slots, count: compiled.characteristicCount), limit: limit,
                                             into: indices.baseAddress!, losses: losses.baseAddress!)
                var reasons: [ReasonCode] = []
                reasons.reserveCapacity(found)
                for position in 0..<found {
                    let index = Int(indices[position])
                    reasons.append(ReasonCode(characteristic: compiled.names[index], pointsBelowMaximum: losses[position]))
                }
                return reasons
            }
        }
    }

    /// Scores a row of text values keyed by characteristic name; extra keys are ignored, an
    /// absent or empty value is missing.
    public func score(row: [String: String], reasons limit: Int = 4) throws(ScoringError) -> ScoreResult {
        try score(texts: { row[compiled.names[$0]] ?? "" }, reasons: limit)
    }

    /// Scores text values given in the model's characteristic order; an empty value is missing.
    public func score(texts: [String], reasons limit: Int = 4) throws(ScoringError) -> ScoreResult {
        guard texts.count == compiled.characteristicCount else {
            throw ScoringError(.missingCharacteristic, "expected \(compiled.characteristicCount) values in model order, got \(texts.count)")
        }
        return try score(texts: { texts[$0] }, reasons: limit)
    }

    private func score(texts text: (Int) -> String, reasons limit: Int) throws(ScoringError) -> ScoreResult {
        try withSlots(limit: limit) { slots throws(ScoringError) in
            for index in 0..<compiled.characteristicCount {
                let name = compiled.names[index]
                let text = text(index)
                let value: FeatureValue
                if text.isEmpty {
                    value = .missing
                } else if compiled.kinds[index] == .numeric {
                    guard let number = Scorer.parseNumber(text) else {
                        throw ScoringError(.badNumber, "\"\(name)\" is not a number; write digits with an optional sign, decimal point and exponent", characteristic: name)
                    }
                    value = .number(number)
                } else {
                    value = .category(text)
                }
                slots[index] = try slot(index, value)
            }
        }
    }

    /// The slot of a value for characteristic `index`.
    public func slot(_ index: Int, _ value: FeatureValue) throws(ScoringError) -> Int32 {
        let name = compiled.names[index]
        switch (value, compiled.kinds[index]) {
        case (.missing, _), (.number(.nan), .numeric):
            guard compiled.acceptsMissing(index) else {
                throw ScoringError(.missingValue, "\"\(name)\" is missing and the model has no missing bin for it; supply a value", characteristic: name)
            }
            return 0
        case (.number(let number), .numeric):
            if number.isNaN { return 0 }
            return Int32(compiled.numericSlot(index, number))
        case (.category(let category), .categorical):
            let slot = compiled.categories.slot(index, of: category)
            if slot >= 0 { return slot }
            let fallback = compiled.unseenSlot(index)
            guard fallback >= 0 else {
                throw ScoringError(.unseenCategory, "\"\(name)\" has a category the model has not seen; map it to a known category or set an unseen policy in the model", characteristic: name)
            }
            return fallback
        case (.number, .categorical):
            throw ScoringError(.badNumber, "\"\(name)\" is categorical; pass a category, not a number", characteristic: name)
        case (.category, .numeric):
            throw ScoringError(.badNumber, "\"\(name)\" is numeric; pass a number, not a category", characteristic: name)
        }
    }

    /// Parses a decimal number the way the CSV path does (no `nan`, no `inf`).
    public static func parseNumber(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { NumberText.parse(UnsafeRawBufferPointer($0)) }
    }
}
