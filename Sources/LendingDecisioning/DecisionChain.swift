import Crypto
import LendingModel

/// One stored decision, as it enters the tamper-evident log.
public struct DecisionRecord: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Codable { case approve, review, decline }

    public var sequence: Int64
    public var applicationID: String
    public var decidedAt: Instant
    public var outcome: Outcome
    public var approvedLimit: Money
    /// Annual rate in basis points (1825 = 18.25%).
    public var aprBasisPoints: Int
    public var score: Double?
    public var reasons: [DecisionReason]
    /// SHA-256 (hex) of the application's inputs as received.
    public var inputsHash: String
    public var modelVersion: String
    public var policyVersion: String
    /// The previous record's `hash` (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 (hex) of `previousHash` and this record's canonical text.
    public var hash: String

    public init(sequence: Int64, applicationID: String, decidedAt: Instant, outcome: Outcome, approvedLimit: Money,
                aprBasisPoints: Int, score: Double?, reasons: [DecisionReason], inputsHash: String, modelVersion: String,
                policyVersion: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.applicationID = applicationID
        self.decidedAt = decidedAt
        self.outcome = outcome
        self.approvedLimit = approvedLimit
        self.aprBasisPoints = aprBasisPoints
        self.score = score
        self.reasons = reasons
        self.inputsHash = inputsHash
        self.modelVersion = modelVersion
        self.policyVersion = policyVersion
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The text that is hashed: every field but `hash`, in a fixed order, one per line.
    /// Money in fen, the score with 17 significant digits, so it is unambiguous.
    public var canonicalText: String {
        var lines = [
            "sequence=\(sequence)", "application=\(applicationID)", "decided_at=\(decidedAt.secondsSinceEpoch)",
            "outcome=\(outcome.rawValue)", "limit_fen=\(approvedLimit.fen)", "apr_bp=\(aprBasisPoints)",
        ]
        lines.append("score=\(score.map { "\($0)" } ?? "")")
        lines.append("reasons=\(reasons.map(\.code).joined(separator: ";"))")
        lines += ["inputs=\(inputsHash)", "model=\(modelVersion)", "policy=\(policyVersion)", "previous=\(previousHash)"]
        return lines.joined(separator: "\n")
    }
}

/// Builds and checks the hash chain of decisions: each record's hash covers its fields and
/// the previous record's hash, so editing, deleting, inserting or reordering a stored row
/// breaks every hash after it.
public enum DecisionChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of a record's canonical text.
    public static func hash(of record: DecisionRecord) -> String {
        var copy = record.canonicalText
        let digest = copy.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return hexString(digest)
    }

    /// Seals a record after `previous`: sets its sequence, previous hash and hash.
    public static func seal(_ record: DecisionRecord, after previous: DecisionRecord?) -> DecisionRecord {
        var sealed = record
        sealed.sequence = (previous?.sequence ?? 0) + 1
        sealed.previousHash = previous?.hash ?? genesis
        sealed.hash = hash(of: sealed)
        return sealed
    }

    /// The first problem in a stored chain, or `nil` if it holds.
    public enum Break: Sendable, Equatable {
        /// Record at `index` does not hash to its stored hash: it was edited.
        case edited(index: Int, sequence: Int64)
        /// Record at `index` does not point at the hash before it: one was removed, inserted or moved.
        case unlinked(index: Int, sequence: Int64)
        /// Sequence numbers skip or repeat at `index`.
        case sequenceGap(index: Int, expected: Int64, found: Int64)
    }

    public static func verify(_ records: [DecisionRecord]) -> Break? {
        var previousHash = genesis
        for (index, record) in records.enumerated() {
            let expected = Int64(index + 1)
            if record.sequence != expected { return .sequenceGap(index: index, expected: expected, found: record.sequence) }
            if record.previousHash != previousHash { return .unlinked(index: index, sequence: record.sequence) }
            if hash(of: record) != record.hash { return .edited(index: index, sequence: record.sequence) }
            previousHash = record.hash
        }
        return nil
    }
}

/// Keyed hashing of personal data (HMAC-SHA-256) for lookups that only need equality
/// (whitelist, blacklist, velocity keys): the clear value is never stored or logged.
public struct PersonalDataKey: Sendable {
    private let key: SymmetricKey

    /// - Parameter secret: at least 32 bytes, kept outside the database.
    public init(secret: [UInt8]) {
        precondition(secret.count >= 32, "a personal-data key needs at least 32 bytes")
        key = SymmetricKey(data: secret)
    }

    /// The keyed hash of a value, in hex, tagged with its kind so equal texts of different
    /// kinds never collide (`id_number`, `phone`, `bank_card`, ...).
    public func hash(_ value: String, kind: String) -> String {
        var message = kind + "\u{0}" + value
        let code = message.withUTF8 { HMAC<SHA256>.authenticationCode(for: UnsafeRawBufferPointer($0), using: key) }
        return hexString(code)
    }
}
