import LendingModel

/// Seconds after local midnight of an instant at a UTC offset (0..<86 400).
func localSecondOfDay(_ instant: Instant, offsetSeconds: Int) -> Int {
    let local = instant.secondsSinceEpoch + Int64(offsetSeconds)
    let remainder = local % 86_400
    return Int(remainder >= 0 ? remainder : remainder + 86_400)
}

/// ISO 8601 text of an instant at an offset: `2026-11-21T09:30:00+08:00` (`Z` never used, so
/// the borrower's offset is always visible).
func isoText(_ instant: Instant, offsetSeconds: Int) -> String {
    let day = instant.day(atOffsetSeconds: Int64(offsetSeconds))
    let seconds = localSecondOfDay(instant, offsetSeconds: offsetSeconds)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let sign = offsetSeconds < 0 ? "-" : "+"
    let offset = abs(offsetSeconds)
    return "\(day)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))\(sign)\(two(offset / 3600)):\(two(offset / 60 % 60))"
}
