import LendingIdentity
import LendingModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Requested amounts and terms.
enum AmountModel {
    static let cap = Money(fen: 5_000_000)

    /// Popular retail price points (yuan) and their weights.
    static let pricePoints: [(Int64, Double)] = [
        (999, 6), (1299, 12), (1999, 10), (2499, 9), (2999, 10), (3999, 12), (4999, 10), (5999, 10), (6999, 7), (8999, 8), (12999, 6),
    ]
    static let priceTable = WeightedTable(pricePoints.map(\.1))

    /// A merchant purchase: a popular price point (60%) or a random `x99.00` price 599–29999.
    static func purchase(capRate: Double, _ rng: inout SplitMix64) -> Money {
        if rng.chance(capRate) { return cap }
        if rng.chance(0.6) { return Money(fen: pricePoints[priceTable.pick(&rng)].0 * 100) }
        // Log-uniform hundreds between 6 and 300.
        let hundreds = Int64((6 * exp(rng.unit() * log(50.0))).rounded(.down))
        return Money(fen: (min(300, max(6, hundreds)) * 100 - 1) * 100)
    }

    /// An installment loan asked for online: log-normal around 8000, multiples of 500, 1000–49500.
    static func installment(capRate: Double, _ rng: inout SplitMix64) -> Money {
        if rng.chance(capRate) { return cap }
        return drawn(median: 8000, sigma: 0.6, step: 500, range: 1000...49_500, &rng)
    }

    /// A revolving line's requested limit: log-normal around 12000, multiples of 1000, 5000–49000.
    static func revolving(capRate: Double, _ rng: inout SplitMix64) -> Money {
        if rng.chance(capRate) { return cap }
        return drawn(median: 12_000, sigma: 0.55, step: 1000, range: 5000...49_000, &rng)
    }

    private static func drawn(median: Double, sigma: Double, step: Int64, range: ClosedRange<Int64>, _ rng: inout SplitMix64) -> Money {
        var yuan = range.lowerBound
        for _ in 0..<16 {
            let value = Int64((rng.logNormal(median: median, sigma: sigma) / Double(step)).rounded()) * step
            yuan = min(range.upperBound, max(range.lowerBound, value))
            if range.contains(value) { break }
        }
        return Money(fen: yuan * 100)
    }

    static let installmentTerms: [Int] = [3, 6, 9, 12, 18, 24]
    static let termTable = WeightedTable([8, 15, 10, 40, 10, 17])

    static func term(_ product: Product, _ rng: inout SplitMix64) -> Int {
        product == .revolving ? 12 : installmentTerms[termTable.pick(&rng)]
    }
}
