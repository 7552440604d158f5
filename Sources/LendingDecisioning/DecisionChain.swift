import Crypto
import LendingModel

/// One stored decision, as it enters the tamper-evident log.
public struct DecisionRecord: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Codable, CaseIterable { case approve, review, decline }
    /// Who decided: the automated pipeline, or a person working the review queue.
    public enum Kind: String, Sendable, Codable { case automated, review }

    public var sequence: Int64
    public var applicationID: String
    public var kind: Kind
    public var decidedAt: Instant
    public var outcome: Outcome
    public var approvedLimit: Money
    /// For a review: the limit an approval grants (capped like any limit).
    public var proposedLimit: Money
    public var apr: AnnualRate
    public var score: Double?
    public var probability: Double?
    public var fraudScore: Double?
    public var reasons: [DecisionReason]
    /// SHA-256 (hex) of the application's inputs as received.
    public var inputsHash: String
    public var modelVersion: String
    public var policyVersion: String
    /// The reviewer's name for review decisions; empty for automated ones.
    public var decidedBy: String
    /// The previous record's `hash` (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 (hex) of this record's canonical text, which includes `previousHash`.
    public var hash: String

    public init(sequence: Int64 = 0, applicationID: String, kind: Kind = .automated, decidedAt: Instant, outcome: Outcome,
                approvedLimit: Money, proposedLimit: Money = .zero, apr: AnnualRate, score: Double?, probability: Double? = nil,
                fraudScore: Double? = nil, reasons: [DecisionReason], inputsHash: String, modelVersion: String, policyVersion: String,
                decidedBy: String = "", previousHash: String = "", hash: String = "") {
        self.sequence = sequence
        self.applicationID = applicationID
        self.kind = kind
        self.decidedAt = decidedAt
        self.outcome = outcome
        self.approvedLimit = approvedLimit
        self.proposedLimit = proposedLimit
        self.apr = apr
        self.score = score
        self.probability = probability
        self.fraudScore = fraudScore
        self.reasons = reasons
        self.inputsHash = inputsHash
        self.modelVersion = modelVersion
        self.policyVersion = policyVersion
        self.decidedBy = decidedBy
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The text that is hashed: every field but `hash`, in a fixed order, one per line.
    /// Money in fen, rates in ppm, numbers in Swift's shortest round-trip form, so it is
    /// unambiguous; free text (ids, names, versions) has its backslashes and line breaks escaped.
    public var canonicalText: String { String(decoding: canonicalBytes(), as: UTF8.self) }

    /// ``canonicalText`` as UTF-8 bytes, built without intermediate strings.
    public func canonicalBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(640)
        func field(_ name: StaticString, _ value: String, escaped: Bool = false, first: Bool = false) {
            if !first { bytes.append(0x0A) }
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            bytes.append(UInt8(ascii: "="))
            if escaped && (value.utf8.contains(0x0A) || value.utf8.contains(0x5C)) {
                bytes.append(contentsOf: value.escapingLineBreaks().utf8)
            } else {
                bytes.append(contentsOf: value.utf8)
            }
        }
        func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        field("sequence", String(sequence), first: true)
        field("application", applicationID, escaped: true)
        field("kind", kind.rawValue)
        field("decided_at", String(decidedAt.secondsSinceEpoch))
        field("outcome", outcome.rawValue)
        field("limit_fen", String(approvedLimit.fen))
        field("proposed_fen", String(proposedLimit.fen))
        field("apr_ppm", String(apr.partsPerMillion))
        field("score", number(score))
        field("probability", number(probability))
        field("fraud_score", number(fraudScore))
        bytes.append(contentsOf: "\nreasons=".utf8)
        for (index, reason) in reasons.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ";")) }
            bytes.append(contentsOf: reason.code.utf8)
        }
        field("inputs", inputsHash)
        field("model", modelVersion, escaped: true)
        field("policy", policyVersion, escaped: true)
        field("by", decidedBy, escaped: true)
        field("previous", previousHash)
        return bytes
    }
}

extension String {
    /// Backslashes and line breaks escaped, so a field stays on its line of the canonical text and
    /// no two texts escape alike.
    fileprivate func escapingLineBreaks() -> String {
        var result = ""
        for character in self {
            switch character {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}

/// Builds and checks the hash chain of decisions: each record's hash covers its fields and
/// the previous record's hash, so editing, deleting, inserting or reordering a stored row
/// breaks every hash after it.
public enum DecisionChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of a record's canonical text.
    public static func hash(of record: DecisionRecord) -> String {
        let digest = record.canonicalBytes().withUnsafeBytes { SHA256.hash(data: $0) }
        return digest.withUnsafeBytes { hexString($0) }
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
        var verifier = Verifier()
        for record in records {
            if let problem = verifier.check(record) { return problem }
        }
        return nil
    }

    /// Checks a chain one record at a time, in sequence order, holding only the last hash.
    public struct Verifier: Sendable {
        public private(set) var count = 0
        public private(set) var headHash = DecisionChain.genesis

        public init() {}

        /// The problem with the next record, if any.
        public mutating func check(_ record: DecisionRecord) -> Break? {
            let index = count
            let expected = Int64(index + 1)
            if record.sequence != expected { return .sequenceGap(index: index, expected: expected, found: record.sequence) }
            if record.previousHash != headHash { return .unlinked(index: index, sequence: record.sequence) }
            if DecisionChain.hash(of: record) != record.hash { return .edited(index: index, sequence: record.sequence) }
            headHash = record.hash
            count += 1
            return nil
        }
    }
}
