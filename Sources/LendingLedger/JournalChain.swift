import Crypto
import LendingModel

/// A journal entry as stored: its place in the chain, the previous entry's hash and its own.
public struct SealedEntry: Sendable, Hashable, Codable {
    /// 1 for the first entry of the journal, then +1 for each entry.
    public var sequence: Int64
    /// The hash of the entry before (``ChainHash/genesis`` for the first).
    public var previousHash: ChainHash
    /// SHA-256 of the canonical encoding of the sequence, the previous hash and every field of the entry.
    public var hash: ChainHash
    public var entry: JournalEntry

    public init(sequence: Int64, previousHash: ChainHash, hash: ChainHash, entry: JournalEntry) {
        self.sequence = sequence
        self.previousHash = previousHash
        self.hash = hash
        self.entry = entry
    }

    /// The chain head after this entry.
    public var head: ChainHead { ChainHead(sequence: sequence, hash: hash) }
}

/// The end of a chain: the last sequence number and hash (`0` and genesis for an empty journal).
///
/// The chain alone cannot show that its last rows were deleted: a shorter chain is still a valid
/// chain. The store therefore keeps the head it last wrote apart from the journal rows (and
/// updates it in the same transaction as each entry), and passes it to ``JournalChain/verify(_:expectedHead:)``.
public struct ChainHead: Sendable, Hashable, Codable, CustomStringConvertible {
    public var sequence: Int64
    public var hash: ChainHash

    public init(sequence: Int64, hash: ChainHash) {
        self.sequence = sequence
        self.hash = hash
    }

    public static let genesis = ChainHead(sequence: 0, hash: .genesis)

    public var description: String { "\(sequence):\(hash.hex)" }
}

/// The first problem found in a stored journal.
public enum ChainBreak: Sendable, Hashable {
    /// The row at `index` does not hash to its stored hash: a field was edited.
    case edited(index: Int, sequence: Int64)
    /// The row at `index` does not name the hash of the row before it: a row before it was
    /// removed, inserted or moved (or edited and its hash recomputed).
    case unlinked(index: Int, sequence: Int64)
    /// Sequence numbers skip or repeat at `index`: a row was removed or inserted.
    case sequenceGap(index: Int, expected: Int64, found: Int64)
    /// The row at `index` hashes correctly but cannot be posted (unbalanced, no postings...):
    /// `code` is the ``LedgerError`` code.
    case invalidEntry(index: Int, sequence: Int64, code: String)
    /// The chain ends somewhere other than the head the store recorded: rows at the end were
    /// removed (or the head record itself was changed).
    case headMismatch(expected: ChainHead, found: ChainHead)
}

/// Seals journal entries into a hash chain and verifies a stored chain.
///
/// Each entry's hash covers a canonical binary encoding of every field (version byte, sequence,
/// previous hash, id, date, kind, loan id, reversed id, memo, then each posting's account, side
/// and amount; integers fixed-width, texts length-prefixed), so editing, deleting, inserting or
/// reordering any stored row breaks the chain at that row. The design follows
/// `DecisionChain` (LendingDecisioning) with a binary encoding that is cheap enough to seal
/// every posting of a million-loan end of day.
public struct JournalChain: Sendable {
    private var encoder = CanonicalEncoder()
    /// The head after the last entry sealed or checked.
    public private(set) var head: ChainHead

    /// A chain that continues after `head` (``ChainHead/genesis`` for a new journal).
    public init(after head: ChainHead = .genesis) { self.head = head }

    /// Seals `entry` as the next row of the chain and advances the head.
    /// - Throws: ``LedgerError`` if the entry does not validate (nothing is sealed then).
    public mutating func seal(_ entry: JournalEntry) throws -> SealedEntry {
        try entry.validate()
        let sequence = head.sequence + 1
        let hash = digest(sequence: sequence, previous: head.hash, entry: entry)
        let sealed = SealedEntry(sequence: sequence, previousHash: head.hash, hash: hash, entry: entry)
        head = sealed.head
        return sealed
    }

    /// The hash a row should carry for its sequence, previous hash and entry.
    public mutating func digest(sequence: Int64, previous: ChainHash, entry: JournalEntry) -> ChainHash {
        encoder.encode(sequence: sequence, previous: previous, entry: entry)
        return encoder.bytes.withUnsafeBytes { raw in
            SHA256.hash(data: raw).withUnsafeBytes { ChainHash(bytes: $0) }
        }
    }

    /// The hash of one row, computed afresh (for a single check; sealing many rows should use one
    /// `JournalChain` value, which reuses its buffer).
    public static func hash(of sealed: SealedEntry) -> ChainHash {
        var chain = JournalChain()
        return chain.digest(sequence: sealed.sequence, previous: sealed.previousHash, entry: sealed.entry)
    }

    /// Checks the next stored row against the chain so far and, if it holds, advances the head.
    /// Use it to stream a journal from storage; `index` counts the rows checked (0-based).
    /// - Returns: the break at this row, or `nil` if it holds.
    public mutating func check(_ sealed: SealedEntry, index: Int) -> ChainBreak? {
        let expected = head.sequence + 1
        if sealed.sequence != expected { return .sequenceGap(index: index, expected: expected, found: sealed.sequence) }
        if sealed.previousHash != head.hash { return .unlinked(index: index, sequence: sealed.sequence) }
        if digest(sequence: sealed.sequence, previous: sealed.previousHash, entry: sealed.entry) != sealed.hash {
            return .edited(index: index, sequence: sealed.sequence)
        }
        do {
            try sealed.entry.validate()
        } catch let error as LedgerError {
            return .invalidEntry(index: index, sequence: sealed.sequence, code: error.code)
        } catch {
            return .invalidEntry(index: index, sequence: sealed.sequence, code: "ledger.invalid")
        }
        head = sealed.head
        return nil
    }

    /// Verifies a whole stored journal, from the first row.
    /// - Parameters:
    ///   - rows: every row, in sequence order.
    ///   - expectedHead: the head the store recorded apart from the rows; when given, a chain that
    ///     ends elsewhere (its last rows deleted) is a ``ChainBreak/headMismatch(expected:found:)``.
    /// - Returns: the first break, or `nil` if the journal holds.
    public static func verify(_ rows: some Sequence<SealedEntry>, expectedHead: ChainHead? = nil) -> ChainBreak? {
        var chain = JournalChain()
        for (index, row) in rows.enumerated() {
            if let found = chain.check(row, index: index) { return found }
        }
        if let expectedHead, expectedHead != chain.head {
            return .headMismatch(expected: expectedHead, found: chain.head)
        }
        return nil
    }
}
