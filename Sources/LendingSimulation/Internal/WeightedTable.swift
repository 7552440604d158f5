import LendingModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws indices with given weights (cumulative table, binary search).
struct WeightedTable: Sendable {
    private let cumulative: [Double]

    init(_ weights: [Double]) {
        precondition(!weights.isEmpty && weights.allSatisfy { $0 >= 0 }, "weights must be non-negative and not empty")
        var running = 0.0
        cumulative = weights.map { running += $0; return running }
        precondition(running > 0, "weights must not all be zero")
    }

    /// Weights `1 / rank^exponent` for ranks 1...count (a Zipf-like law).
    static func zipf(count: Int, exponent: Double) -> WeightedTable {
        WeightedTable((1...count).map { pow(Double($0), -exponent) })
    }

    var count: Int { cumulative.count }

    /// The share of the total weight held by index `index`.
    func share(_ index: Int) -> Double {
        (cumulative[index] - (index > 0 ? cumulative[index - 1] : 0)) / cumulative[cumulative.count - 1]
    }

    func pick(_ rng: inout SplitMix64) -> Int {
        let target = rng.unit() * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// Splits a total into parts proportional to weights, by largest remainder, so the parts add
/// up to the total exactly (ties go to the earlier part).
func apportion(_ total: Int, weights: [Double]) -> [Int] {
    let sum = weights.reduce(0, +)
    guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
    let exact = weights.map { Double(total) * $0 / sum }
    var parts = exact.map { Int($0.rounded(.down)) }
    let order = exact.indices.sorted { (exact[$0] - Double(parts[$0]), -$0) > (exact[$1] - Double(parts[$1]), -$1) }
    for index in order.prefix(total - parts.reduce(0, +)) { parts[index] += 1 }
    return parts
}
