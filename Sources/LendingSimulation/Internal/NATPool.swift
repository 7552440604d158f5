import LendingIdentity
import LendingModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The carrier-grade NAT addresses clean traffic comes from: about one per three applications,
/// with a skewed reuse (a few addresses see dozens of applications a month, most one to three).
struct NATPool: Sendable {
    let addresses: [String]
    let table: WeightedTable

    init(size: Int, factory: inout IdentityFactory, _ rng: inout SplitMix64) {
        addresses = (0..<size).map { _ in factory.ip(in: IdentityFactory.mobileRanges, &rng) }
        let spread = max(0.5, Double(size) / 3300)
        table = WeightedTable((0..<size).map { 1 + 30 / pow(1 + Double($0) / spread, 1.2) })
    }

    func pick(_ rng: inout SplitMix64) -> String { addresses[table.pick(&rng)] }
}
