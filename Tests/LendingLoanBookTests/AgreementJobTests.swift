import Crypto
import Foundation
import LendingDecisioning
import LendingMemoryStore
import LendingModel
import LendingServicing
import Testing
import LendingStorePorts
import LendingLoanBook

@Suite(.serialized) struct AgreementJobTests {
    let specs = [
        ApplicationSpec(id: "A1"),
        ApplicationSpec(id: "A2", product: "revolving", limit: Money(yuan: "20000")!, apr: AnnualRate(decimal: "0.144")!),
        ApplicationSpec(id: "A3", outcome: .decline),
        ApplicationSpec(id: "A4", outcome: .review),
    ]

    @Test func eachApprovedApplicationIsSignedOnceIntoALoanOrALine() throws {
        let store = InMemoryStore()
        try storeApplications(store, specs)
        let summary = try signer().run(.applications(["A1", "A2", "A3", "A4", "A1"]), store: store)
        #expect(summary == AgreementJob.Summary(loans: 1, lines: 1))
        #expect(try signer().run(.applications(["A1", "A2"]), store: store).signed == 0)
        #expect(try signer().run(.allApproved, store: store).signed == 0)

        let signed = try #require(try loan(store, "A1"))
        #expect(signed == StoredLoan(loanID: "A1", applicationID: "A1", product: "installment", principal: Money(yuan: "10000")!, termMonths: 3,
                                   apr: AnnualRate(decimal: "0.1825")!, signedOn: CalendarDay(iso: "2026-01-15")!))
        let line = try #require(try store.readServicing { try $0.line("A2") })
        #expect(line.line == CreditLine(lineID: "A2", limit: Money(yuan: "20000")!, apr: AnnualRate(decimal: "0.144")!))
        #expect(try loan(store, "A2") == nil && loan(store, "A3") == nil && loan(store, "A4") == nil)
    }

    /// (That SQLite refuses to change or delete an agreement is `agreementsCannotBeChangedThroughSQL` in LendingStoreTests.)
    @Test func theAgreementKeepsTheTextSealedAndItsHashInClear() throws {
        let store = InMemoryStore()
        try storeApplications(store, specs)
        _ = try signer().run(.allApproved, store: store)
        let agreement = try #require(try store.readServicing { try $0.agreement(applicationID: "A1") })
        let text = try servicingProtector.open(agreement.sealedText)
        #expect(agreement.textHash == Array(SHA256.hash(data: text)))
        let rendered = String(decoding: text, as: UTF8.self)
        #expect(rendered.contains("Borrower: 王五 A1, resident ID number 11010519491231002X"))
        #expect(rendered.contains("   1  2026-02-15      3280.23       155.00      3435.23"))
        #expect(agreement.signer == "applicant" && agreement.signedAt == specs[0].decidedAt)
        #expect(agreement.amount == Money(yuan: "10000")! && agreement.termMonths == 3 && agreement.kind == .installment)
        #expect(agreement.scheduleJSON.hasPrefix(#"[{"number":1,"due_date":"2026-02-15","principal":"3280.23","interest":"155.00"}"#))
        #expect(!agreement.sealedText.isEmpty && !String(decoding: agreement.sealedText, as: UTF8.self).contains("王五"))
    }

    @Test func onlyTheNamedApplicationsAreSigned() throws {
        let store = InMemoryStore()
        try storeApplications(store, specs)
        #expect(try signer().run(.applications(["A1", "NOPE"]), store: store) == AgreementJob.Summary(loans: 1, lines: 0))
        #expect(try store.readServicing { try $0.line("A2") } == nil)
        #expect(try signer().run(.allApproved, store: store) == AgreementJob.Summary(loans: 0, lines: 1))
    }

    @Test func anApplicationOfAnUnknownProductStopsTheSigningAndNothingIsSigned() throws {
        let store = InMemoryStore()
        try storeApplications(store, [ApplicationSpec(id: "A1"), ApplicationSpec(id: "C1", product: "car")])
        #expect(throws: LendingError.self) { try signer().run(.allApproved, store: store) }
        #expect(try loan(store, "A1") == nil)
    }
}
