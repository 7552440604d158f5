import Foundation
import LendingMemoryStore
import LendingModel
import LendingServicing
import LendingTestSupport
import Testing
import LendingLoanBook

@Suite(.serialized) struct DrawJobTests {
    let header = "draw_id,line_id,amount,term_months,requested_at"

    func lineBook() throws -> (InMemoryStore, MemoryRail) {
        let store = InMemoryStore()
        try storeApplications(store, [ApplicationSpec(id: "R1", product: "revolving", limit: Money(yuan: "20000")!, apr: AnnualRate(decimal: "0.18")!,
                                                      decidedAt: Instant(iso: "2026-01-10T09:00:00+08:00")!)])
        _ = try signer().run(.allApproved, store: store)
        return (store, MemoryRail())
    }

    func draw(_ store: InMemoryStore, _ lines: [String], rejects: String? = nil) throws -> DrawJob.Summary {
        try DrawJob(inputPath: try csvFile("draws", [header] + lines), rejectsPath: rejects, products: .standard).run(store: store)
    }

    @Test func aDrawIsALoanPaidOutByDisburseThatLowersWhatIsAvailable() throws {
        let (store, rail) = try lineBook()
        #expect(try draw(store, ["D1,R1,5000.00,6,2026-01-15"]).drawn == 1)
        #expect(try store.readServicing { try $0.line("R1") }?.line.available == Money(yuan: "15000")!)
        let waiting = try #require(try loan(store, "D1"))
        #expect(waiting.status == .signed && waiting.lineID == "R1" && waiting.applicationID == "R1" && waiting.termMonths == 6)
        #expect(try disburse(store, rail, on: "2026-01-16").answered.paid == 1)
        let state = try #require(try loan(store, "D1")?.state)
        #expect(state.disbursedOn == CalendarDay(iso: "2026-01-16")! && state.lineID == "R1" && state.apr == AnnualRate(decimal: "0.18")!)
        #expect(state.installments.count == 6 && state.installments[0].dueDate == CalendarDay(iso: "2026-02-16")!)
        #expect(try verify(store).holds)
    }

    @Test func principalRepaidOnADrawIsAvailableAgain() throws {
        let (store, rail) = try lineBook()
        _ = try draw(store, ["D1,R1,5000.00,6,2026-01-15"])
        try disburse(store, rail, on: "2026-01-15")
        _ = try repay(store, try csvFile("draw-pay", ["payment_id,loan_id,paid_at,amount", "P1,D1,2026-01-25,2000.00"]))
        let paid = try #require(try store.readServicing { try $0.repayment(paymentID: "P1") })
        #expect(paid.interest.fen > 0 && paid.principal == Money(yuan: "2000")! - paid.interest)
        #expect(try store.readServicing { try $0.line("R1") }?.line.drawnPrincipal == Money(yuan: "5000")! - paid.principal)
    }

    @Test func aDrawOverWhatIsAvailableIsRefused() throws {
        let (store, _) = try lineBook()
        let rejects = scratchPath("draw-rejects.csv")
        let summary = try draw(store, ["D1,R1,15000.00,6,2026-01-15", "D2,R1,5000.01,3,2026-01-15", "D3,NOPE,1.00,3,2026-01-15",
                                       "D4,R1,1.00,3,2026-01-09"], rejects: rejects)
        #expect(summary.drawn == 1 && summary.rejected == 3)
        let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(lines[1] == "3,7,draw D2 asks 5000.01 but line R1 has 5000.00 available,\"D2,R1,5000.01,3,2026-01-15\"")
        #expect(lines[2].hasPrefix("4,4,\"line NOPE is not known"))
        #expect(lines[3].hasPrefix("5,14,\"draw D4 is dated 2026-01-09, before line R1 was signed on 2026-01-10"))
    }

    @Test func repeatingADrawChangesNothingAndAnotherAmountIsAnError() throws {
        let (store, _) = try lineBook()
        #expect(try draw(store, ["D1,R1,5000.00,6,2026-01-15"]).drawn == 1)
        #expect(try draw(store, ["D1,R1,5000.00,6,2026-01-15"]).repeated == 1)
        #expect(try store.readServicing { try $0.line("R1") }?.line.available == Money(yuan: "15000")!)
        #expect(throws: LendingError.self) { try draw(store, ["D1,R1,6000.00,6,2026-01-15"]) }
        let rejects = scratchPath("draw-conflict.csv")
        #expect(try draw(store, ["D1,R1,6000.00,6,2026-01-15"], rejects: rejects).rejected == 1)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8).contains("draw D1 was already taken as 5000.00 from line R1 over 6 months on 2026-01-15; this row says 6000.00"))
    }
}
