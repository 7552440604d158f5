import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit

/// One application as stored: what the fraud state and the later lifecycle need. Personal data
/// appears only as keyed hashes and as one encrypted blob (``PersonalDataProtector``).
public struct StoredApplication: Sendable, Equatable {
    public var applicationID: String
    public var appliedAt: Instant
    public var product: String
    public var channel: String
    public var merchantID: String?
    public var requestedAmount: Money
    /// The product's maximum when decided (the fraud state's "amount at the cap").
    public var amountCap: Money
    public var termMonths: Int
    /// The keyed hash (hex) of the normalised ID number: the customer's identity across the lifecycle.
    public var personKey: String
    /// Short keyed hashes for the fraud state.
    public var keys: FraudKeys
    /// Name, ID number, phone, card, address, employer and contact phone, sealed.
    public var personalData: [UInt8]
    /// Keyed hash (hex) of the inputs as received; a replay with other inputs is refused.
    public var inputsHash: String
    public var decisionSequence: Int64

    public init(applicationID: String, appliedAt: Instant, product: String, channel: String, merchantID: String?, requestedAmount: Money,
                amountCap: Money, termMonths: Int, personKey: String, keys: FraudKeys, personalData: [UInt8], inputsHash: String,
                decisionSequence: Int64) {
        self.applicationID = applicationID
        self.appliedAt = appliedAt
        self.product = product
        self.channel = channel
        self.merchantID = merchantID
        self.requestedAmount = requestedAmount
        self.amountCap = amountCap
        self.termMonths = termMonths
        self.personKey = personKey
        self.keys = keys
        self.personalData = personalData
        self.inputsHash = inputsHash
        self.decisionSequence = decisionSequence
    }
}

/// A blacklist entry: a keyed hash of a normalised value of a type.
public struct BlacklistEntry: Sendable, Equatable {
    public var type: FraudDimension
    public var valueKey: String
    public var reason: String
    /// Valid through this day; `nil` for no end.
    public var validUntil: CalendarDay?

    public init(type: FraudDimension, valueKey: String, reason: String, validUntil: CalendarDay?) {
        self.type = type
        self.valueKey = valueKey
        self.reason = reason
        self.validUntil = validUntil
    }
}

/// An application waiting for (or given) a person's decision.
public struct ReviewItem: Sendable, Equatable {
    public enum Status: String, Sendable { case open, decided }
    public var applicationID: String
    public var openedAt: Instant
    public var status: Status
    public var reasons: [DecisionReason]
    public var proposedLimit: Money
    public var apr: AnnualRate
    public var score: Double?

    public init(applicationID: String, openedAt: Instant, status: Status = .open, reasons: [DecisionReason], proposedLimit: Money,
                apr: AnnualRate, score: Double?) {
        self.applicationID = applicationID
        self.openedAt = openedAt
        self.status = status
        self.reasons = reasons
        self.proposedLimit = proposedLimit
        self.apr = apr
        self.score = score
    }
}

/// A stored application as the fraud state replays it, with its latest outcome.
public struct HistoricApplication: Sendable, Equatable {
    public var application: StoredApplication
    public var approved: Bool

    public init(application: StoredApplication, approved: Bool) {
        self.application = application
        self.approved = approved
    }
}

/// The application path's storage port: applications with their decisions, the decision chain,
/// the review queue, whitelist and blacklist. ``InMemoryDecisionStore`` implements it for tests
/// and embedding; LendingStore implements it with SQLite.
///
/// Every write happens inside ``withTransaction(_:)``: all of it is stored, or none of it.
public protocol DecisionStore: DecisionHistoryReading, Sendable {
    /// Runs `body` in one write transaction; a throw rolls everything back.
    func withTransaction<T>(_ body: (any DecisionTransaction) throws -> T) throws -> T
    /// Every decision in sequence order, handed over one by one (for verification).
    func forEachDecision(_ body: (DecisionRecord) throws -> Void) throws
    /// Applications whose decision sequence names no stored decision (a deleted decision row).
    func applicationsWithoutDecision() throws -> [String]
    /// Open review items, oldest first.
    func openReviews() throws -> [ReviewItem]
    /// The stored application and its latest decision.
    func application(_ applicationID: String) throws -> (StoredApplication, DecisionRecord)?
    /// Whitelist entries stored.
    func whitelistCount() throws -> Int
}

/// What the application path reads to rebuild its in-memory state: from the store, or inside a
/// transaction.
public protocol DecisionHistoryReading {
    /// Applications applied at or after `since`, in time order, with their latest outcome.
    func history(since: Instant) throws -> [HistoricApplication]
    /// Every blacklist entry (expired ones too: an entry applies to applications on days up to its end).
    func blacklist() throws -> [BlacklistEntry]
    /// A number that changes whenever the blacklist does (so a long-running process reloads it).
    func blacklistRevision() throws -> Int64
    /// The last decision of the chain.
    func chainHead() throws -> DecisionRecord?
}

/// What can be done inside one write transaction.
public protocol DecisionTransaction: DecisionHistoryReading {
    /// The stored inputs hash and latest decision of an application, if it was decided.
    func existing(applicationID: String) throws -> (inputsHash: String, decision: DecisionRecord)?
    /// The stored application, if any.
    func application(_ applicationID: String) throws -> StoredApplication?
    func whitelistEntry(personKey: String) throws -> WhitelistEntry?
    /// Whitelist entries of several people at once, by person key (absent: not invited).
    func whitelistEntries(personKeys: [String]) throws -> [String: WhitelistEntry]
    /// The stored inputs hashes of those of `applicationIDs` already stored.
    func inputsHashes(applicationIDs: [String]) throws -> [String: String]
    /// Stores an application and its first decision (the decision's sequence is the next one).
    func insert(_ application: StoredApplication, decision: DecisionRecord) throws
    /// Stores applications with their first decisions, in order.
    func insert(_ rows: [(application: StoredApplication, decision: DecisionRecord)]) throws
    /// Appends a later decision (a review) to the chain.
    func append(decision: DecisionRecord) throws
    func openReview(_ item: ReviewItem) throws
    func closeReview(applicationID: String) throws
    func review(applicationID: String) throws -> ReviewItem?
    func record(surge event: SurgeEvent) throws
    /// Adds or replaces whitelist entries by person key; `replacingAll` first removes every entry.
    func storeWhitelist(_ entries: [WhitelistEntry], replacingAll: Bool) throws
    /// Adds or replaces blacklist entries by type and value key, and moves the blacklist's revision on.
    func storeBlacklist(_ entries: [BlacklistEntry]) throws
}
