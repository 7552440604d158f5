import LendingModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The independent random streams of one run. Each part of the data draws from its own stream,
/// derived from the run's seed and the part's tag, so that changing how much of one part is
/// generated (a fraud share, a ring size) does not reshuffle the others.
enum StreamTag: UInt64 {
    case layout = 1, clean, mangled, ring, surge, collusion, velocity, blacklist, population, blacklistFile, merchants, ipPool, employers, shuffle
}

extension SplitMix64 {
    /// The stream for one part of the data.
    static func stream(seed: UInt64, _ tag: StreamTag) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (tag.rawValue &* 0xD1B5_4A32_D192_ED03))
        _ = mixer.next()
        return SplitMix64(seed: mixer.next())
    }

    /// A uniform value in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// `true` with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A uniform integer in `0..<bound` (multiply-high: no loop, bias below 2^-32 for the bounds used here).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "below(_:) needs a positive bound")
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in a closed range.
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// A uniform element.
    mutating func element<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A standard normal value (Marsaglia's polar method).
    mutating func normal() -> Double {
        while true {
            let u = 2 * unit() - 1
            let v = 2 * unit() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * log(s) / s).squareRoot() }
        }
    }

    /// A normal value with the given mean and standard deviation.
    mutating func normal(mean: Double, deviation: Double) -> Double { mean + deviation * normal() }

    /// A log-normal value with the given median and log-scale deviation.
    mutating func logNormal(median: Double, sigma: Double) -> Double { median * exp(sigma * normal()) }

    /// Random bytes as 32 lower-case hexadecimal characters (a device id).
    mutating func hex32() -> String {
        let a = next(), b = next()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for word in [a, b] { for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) } }
        return hexString(bytes)
    }

    /// A Fisher–Yates shuffle.
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(index, below(index + 1))
        }
    }
}
