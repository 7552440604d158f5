import LendingCSV
import LendingDecisioning
import LendingIdentity
import LendingModel
import LendingTestSupport
import Testing
import LendingStorePorts
import LendingApplications
import LendingMemoryStore

@Suite struct ApplicationPathTests {
    @Test func anInvitedCleanApplicantIsApprovedWithinThePreCreditLimit() throws {
        let store = InMemoryDecisionStore()
        let fields = applicationFields(1, overrides: ["requested_amount": "45000.00"])
        let processor = try makeProcessor(store: store, invited: [fields["id_number"]!])
        let decided = try decide(processor, store, [fields])[0]
        // German Credit row 1 scores 590: segment B's upper band (>= 520) offers 30 000.00, the invitation caps at 20 000.00.
        #expect(decided.record.score == 590)
        #expect(decided.record.outcome == .approve)
        #expect(decided.record.approvedLimit == Money(yuan: "20000"))
        #expect(decided.record.apr == AnnualRate(decimal: "0.144"))
        #expect(decided.record.reasons.isEmpty)
        #expect(try store.chainHead()?.hash == decided.record.hash)
    }

    @Test func anApplicantWhoIsNotInvitedIsDeclined() throws {
        let store = InMemoryDecisionStore()
        let processor = try makeProcessor(store: store)
        let decided = try decide(processor, store, [applicationFields(1)])[0]
        #expect(decided.record.outcome == .decline)
        #expect(decided.record.reasons.map(\.code) == ["WL_NOT_INVITED"])
    }

    @Test func anExpiredInvitationDeclines() throws {
        let store = InMemoryDecisionStore()
        let fields = applicationFields(1)
        let processor = try makeProcessor(store: store, invited: [fields["id_number"]!], validUntil: "2026-09-30")
        #expect(try decide(processor, store, [fields])[0].record.reasons.map(\.code) == ["WL_EXPIRED"])
    }

    /// The tri-state rule over the whole path: whatever else an application looks like, a
    /// provider answer of no_record or error, or a missing liveness result, never approves.
    @Test func noProviderErrorOrNoRecordEverApproves() throws {
        var rng = SplitMix64(seed: 2026)
        let results = ["match", "mismatch", "no_record", "error", ""]
        var unsure = 0
        var applications: [[String: String]] = []
        for index in 0..<600 {
            func pick(_ values: [String]) -> String { values[Int(rng.next() % UInt64(values.count))] }
            var overrides = ["kyc_name_id": pick(results), "kyc_phone": pick(results), "kyc_card": pick(results),
                             "liveness": pick(["pass", "pass", "fail", ""]), "face_score": pick(["95", "82", "70", "55", ""]),
                             "requested_amount": pick(["1000.00", "8000.00", "20000.00"])]
            if rng.next() % 4 == 0 { overrides["kyc_name_id"] = "match"; overrides["kyc_phone"] = "match"; overrides["kyc_card"] = "match" }
            applications.append(applicationFields(index, at: "2026-10-\(10 + index / 100)T10:\(String(10 + index % 50)):00+08:00",
                                                  row: Int(rng.next() % 1_000), overrides: overrides))
        }
        let store = InMemoryDecisionStore()
        let processor = try makeProcessor(store: store, invited: applications.map { $0["id_number"]! })
        let decided = try decide(processor, store, applications)
        var approvedCount = 0
        for (fields, result) in zip(applications, decided) {
            let providers = [fields["kyc_name_id"]!, fields["kyc_phone"]!, fields["kyc_card"]!]
            let notSure = providers.contains { $0 == "no_record" || $0 == "error" || $0 == "" } || fields["liveness"] == ""
            if notSure {
                unsure += 1
                #expect(result.record.outcome != .approve, "\(providers) \(fields["liveness"]!) approved")
            }
            if providers.contains("mismatch") || fields["liveness"] == "fail" { #expect(result.record.outcome == .decline) }
            if result.record.outcome == .approve { approvedCount += 1 }
        }
        // The test means something only if both kinds occurred and some applications were approved.
        #expect(unsure > 300)
        #expect(approvedCount > 20)
    }

    @Test func theSameApplicationAgainGivesItsStoredDecisionAndOtherInputsAreRefused() throws {
        let store = InMemoryDecisionStore()
        let fields = applicationFields(7)
        let processor = try makeProcessor(store: store, invited: [fields["id_number"]!])
        let first = try decide(processor, store, [fields])[0]
        let again = try decide(processor, store, [fields])[0]
        #expect(again.replayed)
        #expect(again.record == first.record)
        #expect(try store.chainHead()?.sequence == 1)
        var changed = fields
        changed["requested_amount"] = "6000.00"
        #expect(throws: ApplicationError.self) { try decide(processor, store, [changed]) }
        #expect(try store.chainHead()?.sequence == 1)
    }

    @Test func aBlacklistedDeviceDeclinesUntilItsEntryExpires() throws {
        let store = InMemoryDecisionStore()
        let before = applicationFields(1, at: "2026-10-01T10:00:00+08:00", overrides: ["device_id": " Device-X "])
        let after = applicationFields(2, at: "2026-10-02T10:00:00+08:00", overrides: ["device_id": "device-x"])
        try store.withTransaction { transaction in
            try transaction.storeBlacklist([BlacklistEntry(type: .deviceID, valueKey: hexString(testProtector.key("device-x", kind: .deviceID)),
                                                           reason: "fraud", validUntil: CalendarDay(iso: "2026-10-01"))])
        }
        let processor = try makeProcessor(store: store, invited: [before["id_number"]!, after["id_number"]!])
        let decided = try decide(processor, store, [before, after])
        #expect(decided[0].record.reasons.map(\.code) == ["FR_BLACKLIST_DEVICE_ID"])
        #expect(decided[1].record.outcome == .approve)
    }

    @Test func applicantsSharingADeviceAreLinkedAndTheThirdIsDeclined() throws {
        let store = InMemoryDecisionStore()
        let applications = (0..<3).map { applicationFields($0, at: "2026-10-0\($0 + 1)T10:00:00+08:00", overrides: ["device_id": "shared"]) }
        let processor = try makeProcessor(store: store, invited: applications.map { $0["id_number"]! })
        let decided = try decide(processor, store, applications)
        #expect(decided.map(\.record.outcome) == [.approve, .approve, .decline])
        #expect(decided[2].record.reasons.map(\.code) == ["FR_DISTINCT_IDS_DEVICE_ID_30D", "FR_RING_LINKED"])
        #expect(decided[2].fraudFeatures?[.ringPeople] == 3)
    }

    @Test func stateRebuiltFromTheStoreDecidesTheSame() throws {
        // Two applications on one device in one run, the third in a later run with a new
        // processor: the rebuilt state still links them.
        let store = InMemoryDecisionStore()
        let applications = (0..<3).map { applicationFields($0, at: "2026-10-0\($0 + 1)T10:00:00+08:00", overrides: ["device_id": "shared"]) }
        let first = try makeProcessor(store: store, invited: applications.map { $0["id_number"]! })
        _ = try decide(first, store, Array(applications.prefix(2)))
        let second = try makeProcessor(store: store)
        let decided = try decide(second, store, [applications[2]])[0]
        #expect(decided.record.reasons.map(\.code) == ["FR_DISTINCT_IDS_DEVICE_ID_30D", "FR_RING_LINKED"])
        #expect(decided.record.sequence == 3)
    }

    @Test func aSecondApplicationSoonAfterAnApprovalIsDeclinedByPolicy() throws {
        let store = InMemoryDecisionStore()
        let first = applicationFields(1, at: "2026-10-01T10:00:00+08:00")
        var second = applicationFields(1, at: "2026-10-03T10:00:00+08:00")
        second["application_id"] = "T-1b"
        var later = applicationFields(1, at: "2026-10-08T10:00:01+08:00")
        later["application_id"] = "T-1c"
        let processor = try makeProcessor(store: store, invited: [first["id_number"]!])
        let decided = try decide(processor, store, [first, second, later])
        #expect(decided[0].record.outcome == .approve)
        #expect(decided[1].record.reasons.map(\.code) == ["PL_RECENTLY_APPROVED"])
        #expect(decided[2].record.outcome == .approve)  // seven days and a second after the first approval
    }

    @Test func reviewDeskApprovesWithinTheInvitationAndRecordsTheReviewer() throws {
        let store = InMemoryDecisionStore()
        let fields = applicationFields(3, overrides: ["kyc_phone": "no_record"])
        let processor = try makeProcessor(store: store, invited: [fields["id_number"]!])
        let decided = try decide(processor, store, [fields])[0]
        #expect(decided.record.outcome == .review)
        #expect(try store.openReviews().map(\.applicationID) == ["T-3"])
        let desk = ReviewDesk(policy: rulesOnlyPolicy)
        let record = try store.withTransaction { transaction in
            try desk.decide(applicationID: "T-3", approve: true, by: "Li Wei", at: Instant(iso: "2026-10-02T09:00:00+08:00")!, in: transaction)
        }.decision!
        #expect(record.outcome == .approve)
        #expect(record.kind == .review)
        #expect(record.decidedBy == "Li Wei")
        #expect(record.approvedLimit == decided.record.proposedLimit)
        #expect(record.approvedLimit <= Money(yuan: "20000")!)
        #expect(try store.openReviews().isEmpty)
        #expect(throws: ApplicationError.self) {
            try store.withTransaction { try desk.decide(applicationID: "T-3", approve: false, by: "Li Wei", at: Instant(iso: "2026-10-02T09:05:00+08:00")!, in: $0) }
        }
        #expect(try DecisionVerification.run(store: store).holds)
    }

    @Test func anApprovalAboveTheLimitTakesASecondReviewerAndNeverTheFirst() throws {
        let store = InMemoryDecisionStore()
        let fields = applicationFields(3, overrides: ["kyc_phone": "no_record"])
        let processor = try makeProcessor(store: store, invited: [fields["id_number"]!])
        let decided = try decide(processor, store, [fields])[0]
        #expect(decided.record.outcome == .review)
        var policy = rulesOnlyPolicy
        policy.review.secondApprovalAbove = Money(fen: decided.record.proposedLimit.fen - 1)
        let desk = ReviewDesk(policy: policy)
        let at = Instant(iso: "2026-10-02T09:00:00+08:00")!
        let first = try store.withTransaction { try desk.decide(applicationID: "T-3", approve: true, by: "Li Wei", at: at, in: $0) }
        guard case .awaitingSecondApproval(let request) = first else {
            Issue.record("the first approval decided: \(first)")
            return
        }
        #expect(request.requestID == "review:T-3" && request.requestedBy == "Li Wei" && request.status == .pending)
        #expect(try store.openReviews().map(\.applicationID) == ["T-3"])
        // The maker cannot be the checker, whatever the case or spaces of the name.
        #expect(throws: ApplicationError.self) {
            try store.withTransaction { try desk.decide(applicationID: "T-3", approve: true, by: " li wei ", at: at.adding(seconds: 60), in: $0) }
        }
        let second = try store.withTransaction { try desk.decide(applicationID: "T-3", approve: true, by: "Wang Fang", at: at.adding(seconds: 120), in: $0) }
        let record = try #require(second.decision)
        #expect(record.outcome == .approve && record.decidedBy == "Wang Fang")
        #expect(record.approvedLimit == decided.record.proposedLimit)
        let closed = try store.withTransaction { try $0.approval(requestID: "review:T-3") }
        #expect(closed?.status == .approved && closed?.decidedBy == "Wang Fang")
        #expect(try store.openReviews().isEmpty)
        #expect(try DecisionVerification.run(store: store).holds)
    }

    @Test func aDeclineDecidesAtOnceAndRejectsThePendingApproval() throws {
        let store = InMemoryDecisionStore()
        let fields = applicationFields(3, overrides: ["kyc_phone": "no_record"])
        let processor = try makeProcessor(store: store, invited: [fields["id_number"]!])
        _ = try decide(processor, store, [fields])
        var policy = rulesOnlyPolicy
        policy.review.secondApprovalAbove = Money(fen: 1)
        let desk = ReviewDesk(policy: policy)
        let at = Instant(iso: "2026-10-02T09:00:00+08:00")!
        _ = try store.withTransaction { try desk.decide(applicationID: "T-3", approve: true, by: "Li Wei", at: at, in: $0) }
        let declined = try store.withTransaction { try desk.decide(applicationID: "T-3", approve: false, by: "Li Wei", at: at.adding(seconds: 60), in: $0) }
        #expect(declined.decision?.outcome == .decline)
        #expect(try store.withTransaction { try $0.approval(requestID: "review:T-3") }?.status == .rejected)
    }

    @Test func reviewDeskRefusesToApproveOnceTheInvitationLapsed() throws {
        let store = InMemoryDecisionStore()
        let fields = applicationFields(4, overrides: ["kyc_card": "error"])
        let processor = try makeProcessor(store: store, invited: [fields["id_number"]!], validUntil: "2026-10-01")
        #expect(try decide(processor, store, [fields])[0].record.outcome == .review)
        #expect(throws: ApplicationError.self) {
            try store.withTransaction { transaction in
                try ReviewDesk(policy: rulesOnlyPolicy).decide(applicationID: "T-4", approve: true, by: "Li Wei",
                                                               at: Instant(iso: "2026-10-02T09:00:00+08:00")!, in: transaction)
            }
        }
    }

    @Test func verificationFindsAnEditedDecisionAndARemovedLastOne() throws {
        let store = InMemoryDecisionStore()
        let applications = (0..<5).map { applicationFields($0, at: "2026-10-0\($0 + 1)T10:00:00+08:00") }
        let processor = try makeProcessor(store: store, invited: applications.map { $0["id_number"]! })
        _ = try decide(processor, store, applications)
        let intact = try DecisionVerification.run(store: store)
        #expect(intact.holds && intact.decisions == 5)
        var original: DecisionRecord?
        store.withDecisions { original = $0[2]; $0[2].approvedLimit = Money(yuan: "49999")! }
        #expect(try DecisionVerification.run(store: store).problems == ["decision 3 (application T-2) was edited: its hash does not match its contents"])
        // Put it back, then cut the last decision off: the chain alone still holds, but its application lost its decision.
        store.withDecisions { $0[2] = original!; $0.removeLast() }
        let cut = try DecisionVerification.run(store: store)
        #expect(cut.decisions == 4)
        #expect(cut.problems == ["1 application(s) lost their decision, first T-4: a decision row was removed"])
        // And a hash published before the cut shows it too.
        #expect(try DecisionVerification.run(store: store, expectHead: intact.headHash).problems.count == 2)
    }

    @Test func personalDataNeverAppearsInTheStoredRecords() throws {
        let store = InMemoryDecisionStore()
        let fields = applicationFields(9)
        let processor = try makeProcessor(store: store, invited: [fields["id_number"]!])
        _ = try decide(processor, store, [fields])
        let (application, decision) = try #require(try store.application("T-9"))
        let text = "\(application) \(decision)"
        for secret in [fields["id_number"]!, fields["phone"]!, fields["bank_card"]!, fields["name"]!] {
            #expect(!text.contains(secret))
        }
        let opened = try testProtector.open(application.personalData)
        #expect(String(decoding: opened, as: UTF8.self).contains(fields["bank_card"]!))
    }
}

@Suite struct LongRunningProcessorTests {
    /// A service's processor lives for days: a blacklist imported meanwhile applies to the next
    /// application without a restart.
    @Test func aBlacklistImportedLaterAppliesWithoutARestart() throws {
        let store = InMemoryDecisionStore()
        let first = applicationFields(1, at: "2026-10-01T10:00:00+08:00", overrides: ["device_id": "dev-9"])
        let second = applicationFields(2, at: "2026-10-05T10:00:00+08:00", overrides: ["device_id": "dev-10"])
        let processor = try makeProcessor(store: store, invited: [first["id_number"]!, second["id_number"]!])
        #expect(try decide(processor, store, [first])[0].record.outcome == .approve)
        try store.withTransaction { transaction in
            try transaction.storeBlacklist([BlacklistEntry(type: .deviceID, valueKey: hexString(testProtector.key("dev-10", kind: .deviceID)),
                                                           reason: "fraud", validUntil: nil)])
        }
        #expect(try decide(processor, store, [second])[0].record.reasons.map(\.code) == ["FR_BLACKLIST_DEVICE_ID"])
    }
}

/// Several processes on one database (several servers): each processor catches up on the
/// decisions the others appended, so their decisions are the ones a single processor would make.
@Suite struct SharedDatabaseTests {
    @Test func twoProcessorsTakingTurnsDecideAsOneDoesAndCatchUpWithoutRebuilding() throws {
        // Applicants in groups of three share a device and a contact phone: the fraud rules need
        // the other processor's applications to see the groups.
        let applicants = (0..<24).map { index in
            applicationFields(index, at: "2026-10-01T10:\(String(format: "%02d", index)):00+08:00", row: index % 10,
                              overrides: ["device_id": "shared-device-\(index / 3)", "contact_phone": "1390000\(String(format: "%04d", index / 3))"])
        }
        let ids = applicants.map { $0["id_number"]! }
        let alone = InMemoryStore()
        let single = try makeProcessor(store: alone, invited: ids)
        let expected = try applicants.map { try decide(single, alone, [$0])[0].record }

        let shared = InMemoryStore()
        let first = try makeProcessor(store: shared, invited: ids)
        let second = try ApplicationProcessor(policy: rulesOnlyPolicy, scorer: scorecardpyScorer, fraudModel: nil, protector: testProtector, store: shared)
        var records: [DecisionRecord] = []
        for (index, fields) in applicants.enumerated() {
            let processor = index % 2 == 0 ? first : second
            records.append(try decide(processor, shared, [fields])[0].record)
        }
        #expect(records == expected)
        #expect(Set(expected.map(\.outcome)).count > 1 || expected.contains { !$0.reasons.isEmpty }, "the applicants test nothing")
        #expect(expected.contains { $0.reasons.contains { $0.code.hasPrefix("FR_") } }, "no fraud rule saw the shared devices")
        // Each caught up on the other's decisions one by one, rebuilding only when it was made.
        #expect(first.rebuilds == 1 && second.rebuilds == 1)
        #expect(first.caughtUp == 11 && second.caughtUp == 12)
    }

    @Test func aReviewByAnotherProcessMakesTheProcessorRebuild() throws {
        let store = InMemoryStore()
        let applicants = (0..<3).map { applicationFields($0) }
        let processor = try makeProcessor(store: store, invited: applicants.map { $0["id_number"]! })
        _ = try decide(processor, store, [applicants[0]])
        // Someone else appends a later decision on the first application (a review).
        try store.withTransaction { transaction in
            let head = try #require(try transaction.chainHead())
            var review = head
            review.kind = .review
            review.decidedBy = "reviewer 3"
            try transaction.append(decision: DecisionChain.seal(review, after: head))
        }
        _ = try decide(processor, store, [applicants[1]])
        #expect(processor.rebuilds == 2 && processor.caughtUp == 0)
    }
}
