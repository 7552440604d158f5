/// A scorecard compiled into flat tables for fast scoring. Immutable and `Sendable`: compile
/// once, share between threads.
///
/// Every characteristic has a run of points in one flat array: slot 0 is the missing bin,
/// slots 1...B its bins. A numeric value's slot is 1 plus the count of cut points at or
/// below it (left-closed bins), computed without branches; a category's slot comes from a
/// ``CategoryIndex``.
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

    /// Flat tables in stable, manually allocated memory (freed in `deinit`), so the kernel
    /// reads them through plain pointers: no retains, no bounds checks, no exclusivity checks.
    public let tables: Tables

    /// Category lookup for every categorical characteristic.
    public let categories: CategoryIndex
    /// For models whose scores are whole numbers in a modest range: the probability of bad at
    /// every score from `lowestScore`, computed once by the same formula as
    /// ``Scaling/probabilityOfBad(score:)`` (so results are identical, without an `exp` per row).
    @usableFromInline nonisolated(unsafe) let probabilityTable: UnsafeMutablePointer<Double>?
    @usableFromInline let lowestScore: Int
    @usableFromInline let probabilityTableCount: Int

    /// The kernel's tables. Slot `s` of characteristic `c` is entry `pointsOffset[c] + s`.
    public struct Tables: @unchecked Sendable { // pointers to tables written once in init, then only read
        public let points: UnsafeMutablePointer<Double>
        /// Points below the characteristic's maximum, per slot (for reason codes).
        public let losses: UnsafeMutablePointer<Double>
        public let pointsOffset: UnsafeMutablePointer<Int>
        public let cuts: UnsafeMutablePointer<Double>
        public let cutsOffset: UnsafeMutablePointer<Int>
        public let cutsCount: UnsafeMutablePointer<Int>
        /// 1 for numeric, 0 for categorical.
        public let isNumeric: UnsafeMutablePointer<UInt8>
        public let acceptsMissing: UnsafeMutablePointer<UInt8>
        public let unseenSlot: UnsafeMutablePointer<Int32>

        static func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
            _ = UnsafeMutableBufferPointer(start: pointer, count: values.count).initialize(from: values)
            return pointer
        }

        func deallocate() {
            points.deallocate(); losses.deallocate(); pointsOffset.deallocate(); cuts.deallocate()
            cutsOffset.deallocate(); cutsCount.deallocate(); isNumeric.deallocate()
            acceptsMissing.deallocate(); unseenSlot.deallocate()
        }
    }

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
        var losses: [Double] = []
        var pointsOffset: [Int] = []
        var cuts: [Double] = []
        var cutsOffset: [Int] = []
        var cutsCount: [Int] = []
        var acceptsMissing: [Bool] = []
        var unseenSlot: [Int32] = []
        var categoryTables: [[(category: String, slot: Int32)]] = []
        for characteristic in model.characteristics {
            pointsOffset.append(points.count)
            let slotPoints = [characteristic.missing?.points ?? 0] + characteristic.bins.map(\.points)
            points.append(contentsOf: slotPoints)
            acceptsMissing.append(characteristic.missing != nil)
            var candidates = characteristic.bins.map(\.points)
            if let missing = characteristic.missing { candidates.append(missing.points) }
            let maximum = candidates.max()!
            losses.append(contentsOf: slotPoints.map { maximum - $0 })
            cutsOffset.append(cuts.count)
            switch characteristic.kind {
            case .numeric:
                let lowers = characteristic.bins.dropFirst().map { $0.lower! }
                cuts.append(contentsOf: lowers)
                cutsCount.append(lowers.count)
                categoryTables.append([])
                unseenSlot.append(-1)
            case .categorical:
                cutsCount.append(0)
                var entries: [(category: String, slot: Int32)] = []
                for (index, bin) in characteristic.bins.enumerated() {
                    for category in bin.categories ?? [] { entries.append((category, Int32(index + 1))) }
                }
                categoryTables.append(entries)
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
        self.categories = CategoryIndex(categoryTables)
        let range = model.scoreRange
        if integralPoints && range.upperBound - range.lowerBound < 65_536 {
            let low = Int(range.lowerBound)
            let count = Int(range.upperBound) - low + 1
            let table = UnsafeMutablePointer<Double>.allocate(capacity: count)
            for index in 0..<count { table[index] = model.scaling.probabilityOfBad(score: Double(low + index)) }
            probabilityTable = table
            lowestScore = low
            probabilityTableCount = count
        } else {
            probabilityTable = nil
            lowestScore = 0
            probabilityTableCount = 0
        }
        self.tables = Tables(
            points: Tables.copy(points), losses: Tables.copy(losses), pointsOffset: Tables.copy(pointsOffset),
            cuts: Tables.copy(cuts), cutsOffset: Tables.copy(cutsOffset), cutsCount: Tables.copy(cutsCount),
            isNumeric: Tables.copy(kinds.map { $0 == .numeric ? 1 : 0 }),
            acceptsMissing: Tables.copy(acceptsMissing.map { $0 ? 1 : 0 }), unseenSlot: Tables.copy(unseenSlot))
    }

    deinit {
        tables.deallocate()
        categories.deallocate()
        probabilityTable?.deallocate()
    }

    /// Whether characteristic `characteristic` can score a missing value (it has a missing bin).
    @inlinable @inline(__always)
    public func acceptsMissing(_ characteristic: Int) -> Bool { tables.acceptsMissing[characteristic] != 0 }

    /// The slot an unseen category of `characteristic` gets, or -1 to reject the row.
    @inlinable @inline(__always)
    public func unseenSlot(_ characteristic: Int) -> Int32 { tables.unseenSlot[characteristic] }

    /// The index of a characteristic by name.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// The slot of a numeric value (NaN is missing: slot 0).
    @inlinable @inline(__always)
    public func numericSlot(_ characteristic: Int, _ value: Double) -> Int {
        if value.isNaN { return 0 }
        let cuts = tables.cuts + tables.cutsOffset[characteristic]
        var slot = 1
        for index in 0..<tables.cutsCount[characteristic] { slot &+= value >= cuts[index] ? 1 : 0 }
        return slot
    }

    /// The points of a slot.
    @inlinable @inline(__always)
    public func points(_ characteristic: Int, slot: Int) -> Double {
        tables.points[tables.pointsOffset[characteristic] + slot]
    }

    /// The slot of a category of characteristic `characteristic`, or -1 when it is not listed.
    @inlinable @inline(__always)
    public func categorySlot(_ characteristic: Int, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        categories.slot(characteristic, of: bytes)
    }

    /// The probability of bad at a score, by the model's scaling.
    @inlinable
    public func probability(score: Double) -> Double { scaling.probabilityOfBad(score: score) }

    // MARK: Batch kernel

    /// Scores every row of a batch into `scores` (which must hold `batch.count` elements), and
    /// stores each numeric characteristic's slot in the batch for reason codes.
    ///
    /// One pass per characteristic over its column (struct of arrays): no allocation, no
    /// dynamic dispatch. ``ReferenceScorer`` is the plain implementation it is tested against.
    @inlinable
    public func score(_ batch: inout ScoringBatch, into scores: UnsafeMutableBufferPointer<Double>) {
        precondition(scores.count >= batch.count, "the scores buffer is smaller than the batch")
        precondition(batch.characteristicCount == characteristicCount, "the batch was made for another model")
        let count = batch.count
        guard count > 0 else { return }
        let out = scores.baseAddress!
        out.update(repeating: basePoints, count: count)
        let tables = self.tables
        for characteristic in 0..<characteristicCount {
            let table = tables.points + tables.pointsOffset[characteristic]
            let slots = batch.slotColumn(characteristic)
            if tables.isNumeric[characteristic] != 0 {
                let cuts = tables.cuts + tables.cutsOffset[characteristic]
                let cutCount = tables.cutsCount[characteristic]
                let values = batch.numericColumn(characteristic)
                // Four rows at a time: each cut point is compared with four values at once.
                var row = 0
                let raw = UnsafeRawPointer(values)
                while row + 4 <= count {
                    let value = raw.loadUnaligned(fromByteOffset: row * 8, as: SIMD4<Double>.self)
                    var slot = SIMD4<Int64>(repeating: 1)
                    for cut in 0..<cutCount {
                        slot &+= SIMD4<Int64>(repeating: 0).replacing(with: 1, where: value .>= SIMD4(repeating: cuts[cut]))
                    }
                    slot.replace(with: 0, where: value .!= value)
                    for lane in 0..<4 {
                        slots[row + lane] = Int32(truncatingIfNeeded: slot[lane])
                        out[row + lane] += table[Int(slot[lane])]
                    }
                    row += 4
                }
                while row < count {
                    let value = values[row]
                    var slot: Int32 = 1
                    for cut in 0..<cutCount { slot &+= value >= cuts[cut] ? 1 : 0 }
                    if value.isNaN { slot = 0 }
                    slots[row] = slot
                    out[row] += table[Int(slot)]
                    row += 1
                }
            } else {
                for row in 0..<count { out[row] += table[Int(slots[row])] }
            }
        }
    }

    /// Probabilities of bad for scores, into `probabilities`.
    @inlinable
    public func probabilities(scores: UnsafeBufferPointer<Double>, into probabilities: UnsafeMutableBufferPointer<Double>) {
        let count = min(scores.count, probabilities.count)
        if let table = probabilityTable {
            let low = lowestScore
            let limit = probabilityTableCount
            for row in 0..<count {
                let index = Int(scores[row]) - low
                probabilities[row] = index >= 0 && index < limit ? table[index] : scaling.probabilityOfBad(score: scores[row])
            }
            return
        }
        for row in 0..<count { probabilities[row] = scaling.probabilityOfBad(score: scores[row]) }
    }

    // MARK: Reason codes

    /// The top `limit` reason codes of row `row` of a scored batch: characteristic indices
    /// ordered by points below the maximum, largest first, ties in model order, zero losses
    /// dropped. Writes indices and losses and returns how many.
    @inlinable
    public func reasons(row: Int, of batch: borrowing ScoringBatch, limit: Int, into reasons: UnsafeMutablePointer<Int32>,
                        losses kept: UnsafeMutablePointer<Double>) -> Int {
        topReasons(limit: limit, into: reasons, losses: kept) { batch.slotColumn($0)[row] }
    }

    /// Reason codes of one applicant from each characteristic's slot, as above.
    @inlinable
    public func reasons(slots: UnsafeBufferPointer<Int32>, limit: Int, into reasons: UnsafeMutablePointer<Int32>,
                        losses kept: UnsafeMutablePointer<Double>) -> Int {
        topReasons(limit: limit, into: reasons, losses: kept) { slots[$0] }
    }

    /// Keeps the `limit` largest losses by insertion (limit is small), ties in model order.
    @inlinable @inline(__always)
    func topReasons(limit: Int, into reasons: UnsafeMutablePointer<Int32>, losses kept: UnsafeMutablePointer<Double>,
                    slot: (Int) -> Int32) -> Int {
        var found = 0
        guard limit > 0 else { return 0 }
        for characteristic in 0..<characteristicCount {
            let loss = tables.losses[tables.pointsOffset[characteristic] + Int(slot(characteristic))]
            guard loss > 0 else { continue }
            if found == limit && loss <= kept[found - 1] { continue }
            var position = found < limit ? found : limit - 1
            while position > 0 && kept[position - 1] < loss {
                kept[position] = kept[position - 1]
                reasons[position] = reasons[position - 1]
                position -= 1
            }
            kept[position] = loss
            reasons[position] = Int32(characteristic)
            if found < limit { found += 1 }
        }
        return found
    }
}

/// Rows to score in struct-of-arrays form, with a fixed row capacity: per characteristic a
/// column of `Double` values (numeric; NaN is missing) and a column of slots (categorical slots
/// are filled by the caller, 0 is missing; numeric slots by the kernel).
///
/// Fill row `count` column by column, then ``commitRow()``; a row that turns out bad is simply
/// not committed. Memory is allocated once.
public struct ScoringBatch: ~Copyable {
    public let capacity: Int
    public let characteristicCount: Int
    /// Rows committed.
    public var count: Int { committed }
    @usableFromInline var committed = 0
    @usableFromInline let values: UnsafeMutablePointer<Double>
    @usableFromInline let slots: UnsafeMutablePointer<Int32>

    public init(for model: CompiledScorecard, capacity: Int = 4096) {
        self.capacity = max(capacity, 1)
        characteristicCount = model.characteristicCount
        values = .allocate(capacity: self.capacity * max(characteristicCount, 1))
        values.initialize(repeating: .nan, count: self.capacity * max(characteristicCount, 1))
        slots = .allocate(capacity: self.capacity * max(characteristicCount, 1))
        slots.initialize(repeating: 0, count: self.capacity * max(characteristicCount, 1))
    }

    deinit {
        values.deallocate()
        slots.deallocate()
    }

    /// Whether no more rows fit.
    public var isFull: Bool { count == capacity }

    /// The values column of a characteristic (`capacity` elements).
    @inlinable @inline(__always)
    public func numericColumn(_ characteristic: Int) -> UnsafeMutablePointer<Double> { values + characteristic * capacity }

    /// The slots column of a characteristic (`capacity` elements).
    @inlinable @inline(__always)
    public func slotColumn(_ characteristic: Int) -> UnsafeMutablePointer<Int32> { slots + characteristic * capacity }

    /// Makes the row at index `count` part of the batch.
    @inlinable @inline(__always)
    public mutating func commitRow() {
        precondition(committed < capacity, "the batch is full; score it and call removeAll()")
        committed += 1
    }

    /// Empties the batch.
    public mutating func removeAll() { committed = 0 }
}
