/// A scorecard compiled into flat tables for fast scoring. Immutable and `Sendable`: compile
/// once, share between threads.
///
/// Every characteristic has a run of points in one flat array: slot 0 is the missing bin,
/// slots 1...B its bins. A numeric value's slot is 1 plus the count of cut points at or
/// below it (left-closed bins), computed without branches; a category's slot comes from a
/// ``CategoryTable``.
public final class CompiledScorecard: Sendable {
    public let model: Scorecard
    public let characteristicCount: Int
    /// Column names, in model order.
    public let names: [String]
    public let kinds: [Characteristic.Kind]
    public let basePoints: Double
    public let scaling: Scaling
    /// Whether scores are always whole numbers.
    public let integralPoints: Bool
    /// The highest points each characteristic can give (reason codes measure from it).
    public let maxPoints: [Double]

    @usableFromInline let points: [Double]
    @usableFromInline let pointsOffset: [Int]
    @usableFromInline let cuts: [Double]
    @usableFromInline let cutsOffset: [Int]
    @usableFromInline let cutsCount: [Int]
    /// Whether a missing value can be scored (the characteristic has a missing bin).
    public let acceptsMissing: [Bool]
    /// Slot for unseen categories, or -1 to reject.
    public let unseenSlot: [Int32]
    public let categoryTables: [CategoryTable]

    /// Validates and compiles a model.
    public init(_ model: Scorecard) throws(ScoringError) {
        try model.validate()
        self.model = model
        characteristicCount = model.characteristics.count
        names = model.characteristics.map(\.name)
        kinds = model.characteristics.map(\.kind)
        basePoints = model.basePoints
        scaling = model.scaling
        integralPoints = model.hasIntegralPoints
        var points: [Double] = []
        var pointsOffset: [Int] = []
        var cuts: [Double] = []
        var cutsOffset: [Int] = []
        var cutsCount: [Int] = []
        var acceptsMissing: [Bool] = []
        var unseenSlot: [Int32] = []
        var tables: [CategoryTable] = []
        var maxPoints: [Double] = []
        for characteristic in model.characteristics {
            pointsOffset.append(points.count)
            points.append(characteristic.missing?.points ?? 0)
            points.append(contentsOf: characteristic.bins.map(\.points))
            acceptsMissing.append(characteristic.missing != nil)
            var candidates = characteristic.bins.map(\.points)
            if let missing = characteristic.missing { candidates.append(missing.points) }
            maxPoints.append(candidates.max()!)
            cutsOffset.append(cuts.count)
            switch characteristic.kind {
            case .numeric:
                let lowers = characteristic.bins.dropFirst().map { $0.lower! }
                cuts.append(contentsOf: lowers)
                cutsCount.append(lowers.count)
                tables.append(CategoryTable([]))
                unseenSlot.append(-1)
            case .categorical:
                cutsCount.append(0)
                var entries: [(category: String, slot: Int32)] = []
                for (index, bin) in characteristic.bins.enumerated() {
                    for category in bin.categories ?? [] { entries.append((category, Int32(index + 1))) }
                }
                tables.append(CategoryTable(entries))
                switch characteristic.unseen ?? .reject {
                case .reject: unseenSlot.append(-1)
                case .missing: unseenSlot.append(0)
                case .lowest:
                    let bins = characteristic.bins
                    let lowest = bins.indices.min { bins[$0].points < bins[$1].points }!
                    unseenSlot.append(Int32(lowest + 1))
                }
            }
        }
        self.points = points
        self.pointsOffset = pointsOffset
        self.cuts = cuts
        self.cutsOffset = cutsOffset
        self.cutsCount = cutsCount
        self.acceptsMissing = acceptsMissing
        self.unseenSlot = unseenSlot
        self.categoryTables = tables
        self.maxPoints = maxPoints
    }

    /// The index of a characteristic by name.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// The slot of a numeric value (NaN is missing: slot 0).
    @inlinable @inline(__always)
    public func numericSlot(_ characteristic: Int, _ value: Double) -> Int {
        if value.isNaN { return 0 }
        return cuts.withUnsafeBufferPointer { cuts in
            let base = cutsOffset[characteristic]
            var slot = 1
            for index in base..<(base + cutsCount[characteristic]) { slot &+= value >= cuts[index] ? 1 : 0 }
            return slot
        }
    }

    /// The points of a slot.
    @inlinable @inline(__always)
    public func points(_ characteristic: Int, slot: Int) -> Double {
        points[pointsOffset[characteristic] + slot]
    }

    /// The probability of bad at a score, by the model's scaling.
    @inlinable
    public func probability(score: Double) -> Double { scaling.probabilityOfBad(score: score) }

    // MARK: Batch kernel

    /// Scores every row of a batch into `scores` (which must hold `batch.count` elements).
    ///
    /// One pass per characteristic over its column (struct of arrays): no allocation, no
    /// dynamic dispatch. ``ReferenceScorer`` is the plain implementation it is tested against.
    @inlinable
    public func score(_ batch: ScoringBatch, into scores: UnsafeMutableBufferPointer<Double>) {
        precondition(scores.count >= batch.count, "the scores buffer is smaller than the batch")
        let count = batch.count
        guard count > 0 else { return }
        scores.baseAddress!.update(repeating: basePoints, count: count)
        points.withUnsafeBufferPointer { allPoints in
            cuts.withUnsafeBufferPointer { allCuts in
                for characteristic in 0..<characteristicCount {
                    let table = allPoints.baseAddress! + pointsOffset[characteristic]
                    switch kinds[characteristic] {
                    case .numeric:
                        let cutBase = allCuts.baseAddress! + cutsOffset[characteristic]
                        let cutCount = cutsCount[characteristic]
                        batch.numeric[characteristic].withUnsafeBufferPointer { values in
                            for row in 0..<count {
                                let value = values[row]
                                var slot = 1
                                for cut in 0..<cutCount { slot &+= value >= cutBase[cut] ? 1 : 0 }
                                if value.isNaN { slot = 0 }
                                scores[row] += table[slot]
                            }
                        }
                    case .categorical:
                        batch.slots[characteristic].withUnsafeBufferPointer { slots in
                            for row in 0..<count { scores[row] += table[Int(slots[row])] }
                        }
                    }
                }
            }
        }
    }

    /// Probabilities of bad for scores, in place into `probabilities`.
    @inlinable
    public func probabilities(scores: UnsafeBufferPointer<Double>, into probabilities: UnsafeMutableBufferPointer<Double>) {
        let factor = scaling.pdo / 0.693_147_180_559_945_3
        let offset = _log(scaling.baseOdds) - scaling.baseScore / factor
        let inverseFactor = 1 / factor
        for row in 0..<min(scores.count, probabilities.count) {
            probabilities[row] = 1 / (1 + _exp(scores[row] * inverseFactor + offset))
        }
    }

    // MARK: Reason codes

    /// The top `limit` reason codes of a row given each characteristic's slot: characteristic
    /// indices ordered by points below the maximum, largest first, ties in model order, zero
    /// losses dropped. Writes indices into `reasons` and returns how many.
    @inlinable
    public func reasons(slots: UnsafeBufferPointer<Int32>, limit: Int, into reasons: UnsafeMutableBufferPointer<Int32>) -> Int {
        var found = 0
        let limit = min(limit, reasons.count)
        guard limit > 0 else { return 0 }
        var losses = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        return withUnsafeMutableBytes(of: &losses) { lossBytes -> Int in
            // Losses of the kept reasons; up to 8 kept in the inline buffer, else a heap fallback.
            let inline = lossBytes.bindMemory(to: Double.self)
            var heap: [Double] = []
            if limit > inline.count { heap = [Double](repeating: 0, count: limit) }
            func lossAt(_ index: Int) -> Double { limit > inline.count ? heap[index] : inline[index] }
            func setLoss(_ index: Int, _ value: Double) { if limit > inline.count { heap[index] = value } else { inline[index] = value } }
            for characteristic in 0..<characteristicCount {
                let loss = maxPoints[characteristic] - points(characteristic, slot: Int(slots[characteristic]))
                guard loss > 0 else { continue }
                if found == limit && loss <= lossAt(found - 1) { continue }
                var position = found < limit ? found : limit - 1
                while position > 0 && lossAt(position - 1) < loss {
                    setLoss(position, lossAt(position - 1))
                    reasons[position] = reasons[position - 1]
                    position -= 1
                }
                setLoss(position, loss)
                reasons[position] = Int32(characteristic)
                if found < limit { found += 1 }
            }
            return found
        }
    }

    /// The slot of row `row` of a batch for one characteristic.
    @inlinable
    public func slot(_ characteristic: Int, row: Int, in batch: ScoringBatch) -> Int32 {
        switch kinds[characteristic] {
        case .numeric: return Int32(numericSlot(characteristic, batch.numeric[characteristic][row]))
        case .categorical: return batch.slots[characteristic][row]
        }
    }
}

/// Rows to score in struct-of-arrays form: a column per characteristic, `Double` values for
/// numeric ones (NaN is missing) and slots for categorical ones (0 is missing).
public struct ScoringBatch {
    /// Rows in the batch.
    public var count = 0
    public let kinds: [Characteristic.Kind]
    public var numeric: [[Double]]
    public var slots: [[Int32]]

    public init(for model: CompiledScorecard, capacity: Int = 4096) {
        kinds = model.kinds
        numeric = model.kinds.map { _ in [] }
        slots = model.kinds.map { _ in [] }
        for (index, kind) in kinds.enumerated() {
            if kind == .numeric { numeric[index].reserveCapacity(capacity) } else { slots[index].reserveCapacity(capacity) }
        }
    }

    /// Empties the batch, keeping capacity.
    public mutating func removeAll() {
        for index in kinds.indices {
            numeric[index].removeAll(keepingCapacity: true)
            slots[index].removeAll(keepingCapacity: true)
        }
        count = 0
    }

    /// Appends one row: `values[c]` for numeric characteristics, `rowSlots[c]` for categorical ones.
    @inlinable
    public mutating func append(values: UnsafeBufferPointer<Double>, rowSlots: UnsafeBufferPointer<Int32>) {
        for index in 0..<kinds.count {
            if kinds[index] == .numeric { numeric[index].append(values[index]) } else { slots[index].append(rowSlots[index]) }
        }
        count += 1
    }
}
