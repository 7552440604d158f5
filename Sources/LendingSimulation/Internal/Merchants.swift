import LendingIdentity
import LendingModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The 300 merchants: ids, a Zipf-like share of purchases, and their shops' IPs.
struct Merchants: Sendable {
    static let count = 300
    let ids: [String]
    let table: WeightedTable
    /// The IPs of each merchant's shops (one per about 200 purchases a month, at least one).
    let shopIPs: [[String]]

    init(expectedPurchases: Int, factory: inout IdentityFactory, _ rng: inout SplitMix64) {
        ids = (1...Self.count).map { "M" + String(repeating: "0", count: 4 - String($0).count) + String($0) }
        table = WeightedTable.zipf(count: Self.count, exponent: 1.1)
        var shops: [[String]] = []
        for index in 0..<Self.count {
            let stores = min(30, max(1, Int((Double(expectedPurchases) * table.share(index) / 200).rounded())))
            shops.append((0..<stores).map { _ in factory.ip(in: IdentityFactory.broadbandRanges, &rng) })
        }
        shopIPs = shops
    }

    func pick(_ rng: inout SplitMix64) -> Int { table.pick(&rng) }

    /// The index of `M0042` (41).
    static func index(of id: String) -> Int? { Int(id.dropFirst()).map { $0 - 1 } }
}
