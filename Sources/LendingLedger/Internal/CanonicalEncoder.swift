import LendingModel

/// Writes the canonical bytes of a sealed entry: fixed-width little-endian integers and
/// length-prefixed texts, so no two different entries share an encoding. The buffer is kept
/// between entries, so sealing a long run of entries allocates nothing here.
struct CanonicalEncoder {
    /// Format version, first byte of every encoding; a new format gets a new number.
    static let version: UInt8 = 1
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(512) }

    mutating func encode(sequence: Int64, previous: ChainHash, entry: JournalEntry) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(CanonicalEncoder.version)
        append(UInt64(bitPattern: sequence))
        appendBigEndian(previous.w0)
        appendBigEndian(previous.w1)
        appendBigEndian(previous.w2)
        appendBigEndian(previous.w3)
        append(entry.id)
        append(UInt64(bitPattern: Int64(entry.date.daysSinceEpoch)))
        append(entry.kind.rawValue)
        append(optional: entry.loanID)
        append(optional: entry.reverses)
        append(entry.memo)
        append(UInt32(truncatingIfNeeded: entry.postings.count))
        for posting in entry.postings {
            bytes.append(posting.account.kind.code)
            append(optional: posting.account.loanID)
            bytes.append(posting.side == .debit ? 0 : 1)
            append(UInt64(bitPattern: posting.amount.fen))
        }
    }

    private mutating func append(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private mutating func appendBigEndian(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private mutating func append(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private mutating func append(_ text: String) {
        append(UInt32(truncatingIfNeeded: text.utf8.count))
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    private mutating func append(optional text: String?) {
        if let text {
            bytes.append(1)
            append(text)
        } else {
            bytes.append(0)
        }
    }
}
