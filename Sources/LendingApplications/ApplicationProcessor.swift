import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import Logging
import LendingStorePorts

/// The application path: identity, whitelist, blacklist and fraud, credit score, decision, and
/// the stored, chained record, for one application at a time, with the fraud state of every
/// application before it in memory.
///
/// One processor per database and process: it owns the chain's head. Not thread-safe; a service
/// calls it from one task at a time (LendingHTTP serialises it).
public final class ApplicationProcessor {
    public let policy: LendingPolicy
    public let reader: ApplicationReader
    public let fraudModel: FraudModel?
    let protector: PersonalDataProtector
    let logger: Logger
    public let modelVersion: String
    public let policyVersion: String
    private var engine: FraudEngine
    /// Blacklist by type and the short form of the value's key: the full key (hex) and the last
    /// day the entry applies (`nil`: no end).
    private var blacklist: [FraudDimension: [UInt64: (key: String, until: CalendarDay?)]] = [:]
    private var blacklistRevision: Int64 = -1
    private var lastApproval: [UInt64: Int64] = [:]
    private var head: DecisionRecord?
    private var stale = true

    /// - Parameters:
    ///   - scorer: the credit scorecard.
    ///   - fraudModel: the fraud model, or `nil` to decide on rules alone.
    ///   - logger: where surges and tightened policies are logged (never personal data).
    public init(policy: LendingPolicy, scorer: Scorer, fraudModel: FraudModel?, protector: PersonalDataProtector,
                store: any DecisionStore, logger: Logger = Logger(label: "lending.applications")) throws {
        self.policy = policy
        self.reader = ApplicationReader(scorer: scorer)
        self.fraudModel = fraudModel
        self.protector = protector
        self.logger = logger
        modelVersion = "\(scorer.model.name)@\(scorer.model.version)" + (fraudModel.map { "+\($0.version)" } ?? "")
        policyVersion = policy.versionTag
        engine = FraudEngine(policy: policy.fraud, model: fraudModel)
        try reload(from: store)
    }

    /// Brings the in-memory state up to date at the start of a transaction: when someone else
    /// (another process, another server on the same database) appended first decisions after this
    /// processor's head, they are observed one by one, as if decided here; a full rebuild from the
    /// store happens when a transaction failed since, when a later decision (a review) is among
    /// them, or when the chain does not continue this processor's head. The blacklist is reloaded
    /// when it changed.
    public func prepare(_ transaction: any DecisionTransaction) throws {
        let current = try transaction.chainHead()
        let upToDate = try !stale && catchUp(to: current, from: transaction)
        if !upToDate {
            try reload(from: transaction)
        } else if try transaction.blacklistRevision() != blacklistRevision {
            try reloadBlacklist(from: transaction)
        }
    }

    /// Full rebuilds of the in-memory state since this processor was made (the first included).
    public private(set) var rebuilds = 0
    /// Decisions of others observed without a rebuild.
    public private(set) var caughtUp = 0

    /// Observes the first decisions appended after ``head`` up to `current`.
    /// - Returns: `false` when only a rebuild can bring the state up to date.
    private func catchUp(to current: DecisionRecord?, from source: any DecisionHistoryReading) throws -> Bool {
        if current?.hash == head?.hash { return true }
        // With no head the state is that of an empty chain: catch up from its start.
        let after = head?.sequence ?? 0
        guard let current, current.sequence > after, current.sequence - after <= 20_000 else { return false }
        let newer = try source.decisions(after: after, limit: Int(current.sequence - after))
        guard newer.count == Int(current.sequence - after), newer.last?.decision.hash == current.hash else { return false }
        var previous = head?.hash ?? DecisionChain.genesis
        for item in newer {
            guard item.firstOf != nil, item.decision.previousHash == previous else { return false }
            previous = item.decision.hash
        }
        for item in newer {
            guard let application = item.firstOf else { continue }
            let approved = item.decision.outcome == .approve
            engine.observe(subject(for: application))
            engine.recordDecision(merchantID: application.merchantID, at: application.appliedAt, approved: approved)
            if approved { lastApproval[application.keys.person] = application.appliedAt.secondsSinceEpoch }
        }
        self.head = current
        caughtUp += newer.count
        return true
    }

    /// Rebuilds the fraud counters, rings, blacklist, recent approvals and the chain head.
    private func reload(from source: any DecisionHistoryReading) throws {
        rebuilds += 1
        head = try source.chainHead()
        engine = FraudEngine(policy: policy.fraud, model: fraudModel)
        lastApproval.removeAll()
        let horizon = Int64(max(policy.fraud.ring.horizonDays, 30, policy.recentApprovalDays)) * 86_400
        let since = (head?.decidedAt ?? Instant(secondsSinceEpoch: 0)).adding(seconds: -horizon)
        for item in try source.history(since: since) {
            let application = item.application
            engine.observe(subject(for: application))
            engine.recordDecision(merchantID: application.merchantID, at: application.appliedAt, approved: item.approved)
            if item.approved { lastApproval[application.keys.person] = application.appliedAt.secondsSinceEpoch }
        }
        try reloadBlacklist(from: source)
        stale = false
    }

    private func reloadBlacklist(from source: any DecisionHistoryReading) throws {
        blacklistRevision = try source.blacklistRevision()
        blacklist.removeAll()
        for entry in try source.blacklist() {
            guard let bytes = hexBytes(entry.valueKey) else { continue }
            let short = PersonalDataProtector.shortKey(bytes)
            blacklist[entry.type, default: [:]][short] = (entry.valueKey, entry.validUntil)
        }
    }

    /// Marks the in-memory state as possibly ahead of the store (a transaction failed).
    public func invalidate() { stale = true }

    private func subject(for application: StoredApplication) -> FraudSubject {
        FraudSubject(at: application.appliedAt, localHour: 12, channel: application.channel, merchantID: application.merchantID,
                     amount: application.requestedAmount, amountCap: application.amountCap, keys: application.keys)
    }

    /// Decides one application inside a write transaction and stores it with its decision.
    /// An application id seen before with the same inputs gives back its stored decision.
    /// - Throws: ``ApplicationError`` for input that cannot be decided (nothing is stored or
    ///   counted), and the store's errors.
    public func decide(_ input: ApplicationInput, in transaction: any DecisionTransaction) throws -> DecidedApplication {
        try decide(try prepare(input), in: transaction)
    }

    /// The part of deciding that needs no state: checks, the credit score, keyed hashes and the
    /// sealed personal data. Safe to call from several threads at once (the batch path does).
    /// - Throws: ``ApplicationError`` for a characteristic the scorecard cannot score.
    public func prepare(_ input: ApplicationInput) throws(ApplicationError) -> PreparedApplication {
        try PreparedApplication(input, policy: policy, scorer: reader.scorer, protector: protector)
    }

    /// What ``prepare(_:)`` needs, as a value other threads may hold.
    public var preparer: Preparer { Preparer(policy: policy, reader: reader, protector: protector) }

    /// Prepares applications on any thread.
    public struct Preparer: Sendable {
        let policy: LendingPolicy
        public let reader: ApplicationReader
        let protector: PersonalDataProtector

        public func prepare(_ input: ApplicationInput) throws(ApplicationError) -> PreparedApplication {
            try PreparedApplication(input, policy: policy, scorer: reader.scorer, protector: protector)
        }
    }

    /// Decides a prepared application inside a write transaction and stores it with its decision.
    public func decide(_ prepared: PreparedApplication, in transaction: any DecisionTransaction) throws -> DecidedApplication {
        try decide(batch: [.success(prepared)], in: transaction)[0].get()
    }

    /// Decides prepared applications in order inside a write transaction, storing each with its
    /// decision; the store is read and written once for the whole batch. An item that failed to
    /// prepare, or whose id was decided before with other inputs, gives its error and changes
    /// nothing; the others go on.
    public func decide(batch: [Result<PreparedApplication, any Error>], in transaction: any DecisionTransaction) throws
        -> [Result<DecidedApplication, any Error>] {
        precondition(!stale, "prepare(_:) the transaction before deciding")
        let ready = batch.compactMap { try? $0.get() }
        let storedHashes = try transaction.inputsHashes(applicationIDs: ready.map(\.input.applicationID))
        let invitations = try transaction.whitelistEntries(personKeys: ready.map(\.personKey))
        var decidedInBatch: [String: (inputsHash: String, record: DecisionRecord)] = [:]
        var rows: [(application: StoredApplication, decision: DecisionRecord)] = []
        rows.reserveCapacity(ready.count)
        var reviews: [ReviewItem] = []
        var surges: [SurgeEvent] = []
        // From here on the fraud state may hold applications the store does not (yet): a failure must rebuild it.
        stale = true
        var results: [Result<DecidedApplication, any Error>] = []
        results.reserveCapacity(batch.count)
        for item in batch {
            let prepared: PreparedApplication
            switch item {
            case .success(let value): prepared = value
            case .failure(let error):
                results.append(.failure(error))
                continue
            }
            let id = prepared.input.applicationID
            let earlier = decidedInBatch[id].map { ($0.inputsHash, Optional($0.record)) } ?? storedHashes[id].map { ($0, nil) }
            if let (hash, record) = earlier {
                guard hash == prepared.inputsHash else {
                    results.append(.failure(ApplicationError(
                        code: "apply.conflict", field: "application_id",
                        message: "application \(id) was already decided with other inputs; a changed application needs a new application_id")))
                    continue
                }
                guard let decision = try record ?? transaction.existing(applicationID: id)?.decision else {
                    preconditionFailure("a stored application has a decision")
                }
                results.append(.success(DecidedApplication(record: decision, replayed: true, fraudFeatures: nil)))
                continue
            }
            let outcome = decideInMemory(prepared, invitation: invitations[prepared.personKey])
            rows.append((outcome.application, outcome.record))
            if let review = outcome.review { reviews.append(review) }
            surges += outcome.surgeEvents
            decidedInBatch[id] = (prepared.inputsHash, outcome.record)
            results.append(.success(DecidedApplication(record: outcome.record, replayed: false, fraudFeatures: outcome.features)))
        }
        try transaction.insert(rows)
        for review in reviews { try transaction.openReview(review) }
        for event in surges {
            try transaction.record(surge: event)
            logger.notice("\(event.description)\(event.kind == .started ? "; tightened policy applies" : "; normal policy again")")
        }
        stale = false
        return results
    }

    /// Everything one application changes, before it is stored.
    private struct InMemoryOutcome {
        var application: StoredApplication
        var record: DecisionRecord
        var review: ReviewItem?
        var surgeEvents: [SurgeEvent]
        var features: FraudFeatures
    }

    /// Blacklist, whitelist, fraud, decision and the chained record; updates the fraud state,
    /// recent approvals and the chain head.
    private func decideInMemory(_ prepared: PreparedApplication, invitation: WhitelistEntry?) -> InMemoryOutcome {
        let input = prepared.input
        let credit = prepared.credit
        let day = prepared.day
        let keys = prepared.keys
        var blacklisted: [FraudDimension] = []
        for (dimension, key) in prepared.blacklistKeys {
            guard let entry = blacklist[dimension]?[keys.key(dimension) ?? 0], entry.key == key else { continue }
            if entry.until.map({ day <= $0 }) ?? true { blacklisted.append(dimension) }
        }
        var whitelist = StageVerdict()
        var preCreditLimit: Money?
        var segment: String?
        switch WhitelistCheck.check(invitation, on: day) {
        case .invited(let cap, let invitedSegment):
            preCreditLimit = cap
            segment = invitedSegment
        case .declined(let reason):
            if policy.invitationOnly { whitelist.flag(.decline, reason) }
        }
        var subject = prepared.fraudSubject
        subject.blacklisted = blacklisted
        let fraud = engine.assess(subject)
        let recent = policy.recentApprovalDays > 0
            && (lastApproval[keys.person].map { input.appliedAt.secondsSinceEpoch - $0 < Int64(policy.recentApprovalDays) * 86_400 } ?? false)
        let decision = DecisionEngine.decide(
            DecisionInput(product: input.product, requestedAmount: input.requestedAmount, termMonths: input.termMonths, whitelist: whitelist,
                          preCreditLimit: preCreditLimit, segment: segment, identity: prepared.identity.verdict, fraud: fraud.verdict,
                          score: credit.score, adverseCharacteristics: credit.reasons.map(\.characteristic), recentlyApproved: recent),
            rules: policy.decision)
        let record = DecisionChain.seal(
            DecisionRecord(applicationID: input.applicationID, decidedAt: input.appliedAt, outcome: decision.outcome,
                           approvedLimit: decision.approvedLimit, proposedLimit: decision.proposedLimit, apr: decision.apr,
                           score: credit.score, probability: credit.probability, fraudScore: fraud.score, reasons: decision.reasons,
                           inputsHash: prepared.inputsHash, modelVersion: modelVersion, policyVersion: policyVersion),
            after: head)
        let merchantID = input.merchantID.isEmpty ? nil : input.merchantID
        let application = StoredApplication(
            applicationID: input.applicationID, appliedAt: input.appliedAt, product: input.product, channel: input.channel,
            merchantID: merchantID, requestedAmount: input.requestedAmount, amountCap: prepared.amountCap, termMonths: input.termMonths,
            personKey: prepared.personKey, keys: keys, personalData: prepared.sealedPersonalData, inputsHash: prepared.inputsHash,
            decisionSequence: record.sequence)
        var review: ReviewItem?
        if decision.outcome == .review {
            review = ReviewItem(applicationID: input.applicationID, openedAt: input.appliedAt, reasons: decision.reasons,
                                proposedLimit: decision.proposedLimit, apr: decision.apr, score: credit.score)
        }
        engine.recordDecision(merchantID: merchantID, at: input.appliedAt, approved: decision.outcome == .approve)
        if decision.outcome == .approve { lastApproval[keys.person] = input.appliedAt.secondsSinceEpoch }
        head = record
        return InMemoryOutcome(application: application, record: record, review: review, surgeEvents: fraud.surgeEvents, features: fraud.features)
    }
}

/// The identifiers of an application as they are hashed: normalised where a rule defines the
/// normal form (ID number, phone, card), trimmed otherwise. Blacklist import uses the same forms.
struct NormalisedIdentifiers {
    var idNumber: String
    var phone: String
    var bankCard: String
    var deviceID: String
    var ip: String
    var contactPhone: String
    var address: String

    init(_ input: ApplicationInput, resident: ResidentID?) {
        idNumber = resident?.value ?? NormalisedIdentifiers.normalise(input.idNumber, as: .idNumber)
        phone = NormalisedIdentifiers.normalise(input.phone, as: .phone)
        bankCard = NormalisedIdentifiers.normalise(input.bankCard, as: .bankCard)
        deviceID = NormalisedIdentifiers.normalise(input.deviceID, as: .deviceID)
        ip = NormalisedIdentifiers.normalise(input.ip, as: .ip)
        contactPhone = NormalisedIdentifiers.normalise(input.contactPhone, as: .contactPhone)
        address = NormalisedIdentifiers.collapsingSpaces(input.address)
    }

    /// The normal form of a value of a type.
    static func normalise(_ value: String, as type: FraudDimension) -> String {
        switch type {
        case .idNumber: (try? ResidentID.parse(value).get())?.value ?? value.trimmingSpaces().uppercased()
        case .phone, .contactPhone: MobilePhone.normalise(value) ?? value.trimmingSpaces()
        case .bankCard: BankCard.normalise(value) ?? value.filter { $0 != " " }
        case .deviceID: asciiLowercased(value.trimmingSpaces())
        case .ip: value.trimmingSpaces()
        }
    }

    /// Runs of spaces and tabs as one space, none at either end.
    static func collapsingSpaces(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = !bytes.isEmpty
            } else {
                if pendingSpace { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(byte)
            }
        }
        return bytes.count == text.utf8.count ? text : String(decoding: bytes, as: UTF8.self)
    }

    /// ASCII letters lowered; anything else kept as it is.
    static func asciiLowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return text }
        return String(decoding: text.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// The keyed-hash kind of a type (a contact phone is a phone).
    static func kind(_ type: FraudDimension) -> PersonalDataKind {
        switch type {
        case .idNumber: .idNumber
        case .phone, .contactPhone: .phone
        case .bankCard: .bankCard
        case .deviceID: .deviceID
        case .ip: .ip
        }
    }
}
