import LendingModel

/// One column of a training set.
public enum TrainingColumn: Sendable, Equatable {
    /// Numbers; NaN is missing.
    case numeric([Double])
    /// Dictionary-encoded text: `codes[row]` indexes `categories`, -1 is missing.
    case categorical(codes: [Int32], categories: [String])

    public var count: Int {
        switch self {
        case .numeric(let values): return values.count
        case .categorical(let codes, _): return codes.count
        }
    }

    func isMissing(_ row: Int) -> Bool {
        switch self {
        case .numeric(let values): return values[row].isNaN
        case .categorical(let codes, _): return codes[row] < 0
        }
    }
}

/// A labelled data set in columns: candidate characteristics and whether each row is bad.
public struct TrainingData: Sendable {
    public var names: [String]
    public var columns: [TrainingColumn]
    /// `true` for a bad outcome (the event).
    public var bad: [Bool]

    public init(names: [String], columns: [TrainingColumn], bad: [Bool]) {
        precondition(names.count == columns.count, "one name per column")
        precondition(columns.allSatisfy { $0.count == bad.count }, "every column has one value per row")
        self.names = names
        self.columns = columns
        self.bad = bad
    }

    public var rowCount: Int { bad.count }

    /// The column named `name`.
    public func column(_ name: String) -> TrainingColumn? { names.firstIndex(of: name).map { columns[$0] } }

    /// The rows `indices`, in that order.
    public func subset(_ indices: [Int]) -> TrainingData {
        TrainingData(names: names, columns: columns.map { column in
            switch column {
            case .numeric(let values): return .numeric(indices.map { values[$0] })
            case .categorical(let codes, let categories): return .categorical(codes: indices.map { codes[$0] }, categories: categories)
            }
        }, bad: indices.map { bad[$0] })
    }

    /// A stratified split: within goods and within bads (in file order), a seeded Fisher–Yates
    /// shuffle (SplitMix64, goods first, then bads from the same generator) sends the first
    /// `round(share × n)` rows to the test sample. Returns sorted row indices.
    public func stratifiedSplit(testShare: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
        var generator = SplitMix64(seed: seed)
        var train: [Int] = []
        var test: [Int] = []
        for wanted in [false, true] {
            var rows = bad.indices.filter { bad[$0] == wanted }
            if rows.count > 1 {
                for index in stride(from: rows.count - 1, to: 0, by: -1) {
                    let other = Int(generator.next() % UInt64(index + 1))
                    rows.swapAt(index, other)
                }
            }
            let testCount = Int((Double(rows.count) * testShare).rounded(.toNearestOrEven))
            test += rows[0..<testCount]
            train += rows[testCount...]
        }
        return (train.sorted(), test.sorted())
    }
}

/// A failure of training: bad options or data no model can be learned from.
public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }
}
