import Dispatch
import Foundation
import LendingDecisioning
import LendingFraud
import LendingModel
import LendingPreCredit
import LendingStorePorts
import Testing

@Suite struct DecisionStoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func applicationsAndTheirDecisionsReadBackExactlyInSequenceOrder(_ kind: StoreKind) throws {
        let store = try kind.open()
        let specs = [ApplicationSpec(id: "B", minute: 1), ApplicationSpec(id: "A", minute: 2, outcome: .decline),
                     ApplicationSpec(id: "C", minute: 3, outcome: .review)]
        let records = try storeApplications(store, specs)
        for (spec, record) in zip(specs, records) {
            let (stored, latest) = try #require(try store.application(spec.id))
            #expect(stored == application(for: spec, sequence: record.sequence))
            #expect(latest == record)
        }
        var read: [DecisionRecord] = []
        try store.forEachDecision { read.append($0) }
        #expect(read == records)
        #expect(read.map(\.sequence) == [1, 2, 3])
        #expect(DecisionChain.verify(read) == nil)
        #expect(try store.chainHead() == records.last)
        #expect(try store.application("D") == nil)
        #expect(try store.applicationsWithoutDecision().isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func anEmptyStoreHasNoChainHeadAndRevisionZero(_ kind: StoreKind) throws {
        let store = try kind.open()
        #expect(try store.chainHead() == nil)
        #expect(try store.blacklistRevision() == 0)
        #expect(try store.blacklist().isEmpty && store.openReviews().isEmpty && store.history(since: Instant(secondsSinceEpoch: 0)).isEmpty)
        #expect(try store.whitelistCount() == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func historyIsInTimeOrderFromItsStartWithTheLatestOutcome(_ kind: StoreKind) throws {
        let store = try kind.open()
        // Stored out of time order; two at the same minute (ordered by id).
        try storeApplications(store, [ApplicationSpec(id: "late", minute: 30), ApplicationSpec(id: "early", minute: 5, outcome: .decline),
                                      ApplicationSpec(id: "tie-b", minute: 10, outcome: .review), ApplicationSpec(id: "tie-a", minute: 10)])
        try appendReview(store, "tie-b", .approve, minute: 40)
        try appendReview(store, "late", .decline, minute: 41)
        let history = try store.history(since: minute(10))
        #expect(history.map(\.application.applicationID) == ["tie-a", "tie-b", "late"])
        #expect(history.map(\.approved) == [true, true, false])
        let everything = try store.history(since: minute(0))
        #expect(everything.map(\.application.applicationID) == ["early", "tie-a", "tie-b", "late"])
        #expect(try store.history(since: minute(31)).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aThrownErrorStoresNothingOfTheTransaction(_ kind: StoreKind) throws {
        let store = try kind.open()
        try storeApplications(store, [ApplicationSpec(id: "kept")])
        let head = try store.chainHead()
        #expect(throws: Refused.self) {
            try store.withTransaction { transaction throws in
                let spec = ApplicationSpec(id: "lost", minute: 1, outcome: .review)
                let record = decision(for: spec, after: try transaction.chainHead())
                try transaction.insert(application(for: spec, sequence: record.sequence), decision: record)
                try transaction.openReview(ReviewItem(applicationID: "lost", openedAt: minute(1), reasons: ["PL_MANUAL_REVIEW"], proposedLimit: yuan("5000"),
                                                      apr: AnnualRate(decimal: "0.2")!, score: 480))
                try transaction.storeWhitelist([WhitelistEntry(idNumberKey: "aa", preCreditLimit: yuan("1000"), segment: "A",
                                                               validUntil: day("2026-12-31"))], replacingAll: false)
                try transaction.storeBlacklist([BlacklistEntry(type: .phone, valueKey: "bb", reason: "fraud", validUntil: nil)])
                #expect(try transaction.application("lost") != nil)
                throw Refused()
            }
        }
        #expect(try store.chainHead() == head)
        #expect(try store.application("lost") == nil)
        #expect(try store.openReviews().isEmpty)
        #expect(try store.whitelistCount() == 0)
        #expect(try store.blacklistRevision() == 0 && store.blacklist().isEmpty)
        // The chain continues from the head as it was.
        try storeApplications(store, [ApplicationSpec(id: "next", minute: 2)])
        #expect(try store.application("next")?.1.sequence == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func anApplicationIsStoredOnce(_ kind: StoreKind) throws {
        let store = try kind.open()
        let first = try storeApplications(store, [ApplicationSpec(id: "A")])
        #expect(throws: (any Error).self) { try storeApplications(store, [ApplicationSpec(id: "A", minute: 9, outcome: .decline)]) }
        #expect(try store.application("A")?.1 == first[0])
        #expect(try store.chainHead() == first[0])
    }

    @Test(arguments: StoreKind.allCases)
    func aDecisionWhoseSequenceIsStoredAlreadyIsRefused(_ kind: StoreKind) throws {
        let store = try kind.open()
        let records = try storeApplications(store, [ApplicationSpec(id: "A"), ApplicationSpec(id: "B", minute: 1)])
        #expect(throws: (any Error).self) {
            try store.withTransaction { try $0.insert(application(for: ApplicationSpec(id: "C"), sequence: 2), decision: records[1]) }
        }
        #expect(throws: (any Error).self) { try store.withTransaction { try $0.append(decision: records[0]) } }
        #expect(try store.application("C") == nil)
        #expect(try store.chainHead() == records[1])
    }

    @Test(arguments: StoreKind.allCases)
    func aDecisionThatSkipsAheadOfTheChainIsRefused(_ kind: StoreKind) throws {
        let store = try kind.open()
        let records = try storeApplications(store, [ApplicationSpec(id: "A")])
        var skipping = decision(for: ApplicationSpec(id: "B", minute: 1), after: records[0])
        skipping.sequence = 3
        skipping.hash = DecisionChain.hash(of: skipping)
        try expecting(.decisionMaySkipASequence, of: kind) { () throws in
            #expect(throws: (any Error).self) {
                try store.withTransaction { try $0.insert(application(for: ApplicationSpec(id: "B", minute: 1), sequence: 3), decision: skipping) }
            }
            #expect(try store.chainHead() == records[0])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReviewDecisionBecomesTheLatestAndTheHead(_ kind: StoreKind) throws {
        let store = try kind.open()
        let first = try storeApplications(store, [ApplicationSpec(id: "A", outcome: .review), ApplicationSpec(id: "B", minute: 1)])
        let review = try appendReview(store, "A", .approve, minute: 20)
        #expect(review.sequence == 3 && review.previousHash == first[1].hash)
        #expect(try store.application("A")?.1 == review)
        #expect(try store.chainHead() == review)
        let existing = try store.withTransaction { try $0.existing(applicationID: "A") }
        #expect(existing?.decision == review && existing?.inputsHash == inputsHash)
        #expect(try store.withTransaction { try $0.existing(applicationID: "Z") } == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func decisionsAfterASequenceComeInOrderWithTheApplicationEachDecidedFirst(_ kind: StoreKind) throws {
        let store = try kind.open()
        let first = try storeApplications(store, [ApplicationSpec(id: "A", outcome: .review), ApplicationSpec(id: "B", minute: 1),
                                                  ApplicationSpec(id: "C", minute: 2)])
        let review = try appendReview(store, "A", .approve, minute: 20)
        let after = try store.decisions(after: 1, limit: 10)
        #expect(after.map(\.decision) == [first[1], first[2], review])
        #expect(after.map { $0.firstOf?.applicationID } == ["B", "C", nil])
        #expect(after[0].firstOf == application(for: ApplicationSpec(id: "B", minute: 1), sequence: 2))
        #expect(try store.decisions(after: 0, limit: 2).map(\.decision.sequence) == [1, 2])
        #expect(try store.decisions(after: 4, limit: 10).isEmpty)
        #expect(try store.withTransaction { try $0.decisions(after: 3, limit: 1) }.map(\.decision) == [review])
    }

    @Test(arguments: StoreKind.allCases)
    func inputsHashesNameOnlyTheStoredApplications(_ kind: StoreKind) throws {
        let store = try kind.open()
        try storeApplications(store, [ApplicationSpec(id: "A"), ApplicationSpec(id: "B", minute: 1)])
        let hashes = try store.withTransaction { try $0.inputsHashes(applicationIDs: ["B", "missing", "A", "B"]) }
        #expect(hashes == ["A": inputsHash, "B": inputsHash])
        #expect(try store.withTransaction { try $0.inputsHashes(applicationIDs: []) }.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func openReviewsAreOldestFirstAndLeaveTheQueueWhenClosed(_ kind: StoreKind) throws {
        let store = try kind.open()
        func item(_ id: String, _ at: Int64) -> ReviewItem {
            ReviewItem(applicationID: id, openedAt: minute(at), reasons: ["PL_MANUAL_REVIEW", "CR_THIN_FILE"], proposedLimit: yuan("5000"),
                       apr: AnnualRate(decimal: "0.2")!, score: 480.5)
        }
        try store.withTransaction { transaction throws in
            for review in [item("late", 30), item("tie-b", 10), item("early", 5), item("tie-a", 10)] { try transaction.openReview(review) }
        }
        #expect(try store.openReviews().map(\.applicationID) == ["early", "tie-a", "tie-b", "late"])
        #expect(try store.openReviews().first == item("early", 5))
        try store.withTransaction { try $0.closeReview(applicationID: "tie-a") }
        #expect(try store.openReviews().map(\.applicationID) == ["early", "tie-b", "late"])
        var decided = item("tie-a", 10)
        decided.status = .decided
        #expect(try store.withTransaction { try $0.review(applicationID: "tie-a") } == decided)
        // Opened again: replaced, at its new time.
        try store.withTransaction { try $0.openReview(item("tie-a", 40)) }
        #expect(try store.openReviews().map(\.applicationID) == ["early", "tie-b", "late", "tie-a"])
        try store.withTransaction { try $0.closeReview(applicationID: "never-opened") }
        #expect(try store.withTransaction { try $0.review(applicationID: "never-opened") } == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func whitelistEntriesAreReplacedByPersonOrAllAtOnce(_ kind: StoreKind) throws {
        let store = try kind.open()
        func entry(_ key: String, _ fen: Int64) -> WhitelistEntry {
            WhitelistEntry(idNumberKey: key, preCreditLimit: Money(fen: fen), segment: "B", validUntil: day("2026-12-31"))
        }
        let a = String(repeating: "aa", count: 32), b = String(repeating: "bb", count: 32), c = String(repeating: "cc", count: 32)
        try store.withTransaction { try $0.storeWhitelist([entry(a, 100), entry(b, 200)], replacingAll: false) }
        try store.withTransaction { try $0.storeWhitelist([entry(b, 300)], replacingAll: false) }
        #expect(try store.whitelistCount() == 2)
        let (single, several) = try store.withTransaction { transaction throws in
            (try transaction.whitelistEntry(personKey: b), try transaction.whitelistEntries(personKeys: [a, b, c]))
        }
        #expect(single == entry(b, 300))
        #expect(several == [a: entry(a, 100), b: entry(b, 300)])
        try store.withTransaction { try $0.storeWhitelist([entry(c, 400)], replacingAll: true) }
        #expect(try store.whitelistCount() == 1)
        #expect(try store.withTransaction { try $0.whitelistEntry(personKey: a) } == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func storingTheBlacklistReplacesByTypeAndValueAndMovesTheRevisionOn(_ kind: StoreKind) throws {
        let store = try kind.open()
        let key = String(repeating: "12", count: 32), other = String(repeating: "34", count: 32)
        try store.withTransaction { transaction throws in
            try transaction.storeBlacklist([BlacklistEntry(type: .phone, valueKey: key, reason: "fraud", validUntil: nil),
                                            BlacklistEntry(type: .bankCard, valueKey: key, reason: "stolen", validUntil: day("2025-01-01"))])
            #expect(try transaction.blacklistRevision() == 1)
        }
        #expect(try store.blacklistRevision() == 1)
        try store.withTransaction { try $0.storeBlacklist([BlacklistEntry(type: .phone, valueKey: key, reason: "confirmed", validUntil: day("2027-01-01")),
                                                            BlacklistEntry(type: .phone, valueKey: other, reason: "ring", validUntil: nil)]) }
        #expect(try store.blacklistRevision() == 2)
        func sorted(_ entries: [BlacklistEntry]) -> [BlacklistEntry] {
            entries.sorted { ($0.type.rawValue, $0.valueKey) < ($1.type.rawValue, $1.valueKey) }
        }
        // Expired entries are kept: an entry applies to applications on days up to its end.
        #expect(sorted(try store.blacklist()) == [
            BlacklistEntry(type: .bankCard, valueKey: key, reason: "stolen", validUntil: day("2025-01-01")),
            BlacklistEntry(type: .phone, valueKey: key, reason: "confirmed", validUntil: day("2027-01-01")),
            BlacklistEntry(type: .phone, valueKey: other, reason: "ring", validUntil: nil),
        ])
        // Storing nothing is still a change of revision (a reload is cheap, a missed one is not).
        try store.withTransaction { try $0.storeBlacklist([]) }
        #expect(try store.blacklistRevision() == 3)
        #expect(try store.withTransaction { try $0.blacklist() }.count == 3)
    }

    @Test(arguments: StoreKind.allCases)
    func applicationsWhoseDecisionIsNotTheirsAreListedById(_ kind: StoreKind) throws {
        let store = try kind.open()
        let records = try storeApplications(store, [ApplicationSpec(id: "A")])
        // Stored naming a decision of another application (as after a decision row was removed and the sequence reused).
        try store.withTransaction { transaction throws in
            var previous = records[0]
            for id in ["Z", "M"] {
                let record = decision(for: ApplicationSpec(id: id, minute: 1), after: previous)
                try transaction.insert(application(for: ApplicationSpec(id: id, minute: 1), sequence: 1), decision: record)
                previous = record
            }
        }
        #expect(try store.applicationsWithoutDecision() == ["M", "Z"])
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentWriteTransactionsTakeTurnsAndLoseNothing(_ kind: StoreKind) throws {
        let store = try kind.open()
        let writers = 8, each = 5
        let failures = ErrorLog()
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for index in 0..<each {
                // Each transaction reads the head and appends after it: a lost update breaks the chain.
                do {
                    try store.withTransaction { transaction in
                        let spec = ApplicationSpec(id: "W\(writer)-\(index)", minute: Int64(index))
                        let record = decision(for: spec, after: try transaction.chainHead())
                        usleep(500)  // widens the window between reading the head and writing after it
                        try transaction.insert(application(for: spec, sequence: record.sequence), decision: record)
                    }
                } catch {
                    failures.add(error)
                }
            }
        }
        #expect(failures.all.isEmpty)
        var read: [DecisionRecord] = []
        try store.forEachDecision { read.append($0) }
        #expect(read.count == writers * each)
        #expect(DecisionChain.verify(read) == nil)
        #expect(Set(read.map(\.applicationID)).count == writers * each)
    }
}
