import Crypto
import LendingModel
import LendingServicing
import Testing
import LendingLoanBook

@Suite struct ServicingAgreementTests {
    func text(kind: ProductTerms.Kind = .installment) -> AgreementText {
        AgreementText(applicationID: "A1", product: kind == .installment ? "installment" : "revolving",
                      terms: ProductTerms(kind: kind, apr: AnnualRate(decimal: "0.18")!), amount: Money(yuan: "10000")!, termMonths: 3,
                      apr: AnnualRate(decimal: "0.1825")!, borrowerName: "张三", borrowerIDNumber: "11010519491231002X", signer: "applicant",
                      signedAt: Instant(iso: "2026-01-15T10:00:00+08:00")!, illustrationDay: CalendarDay(iso: "2026-01-15")!)
    }

    @Test func anInstallmentAgreementStatesTheTermsAndTheWorkedSchedule() throws {
        let lines = try text().render().split(separator: "\n").map(String.init)
        #expect(lines[0] == "LOAN AGREEMENT A1")
        #expect(lines[2] == "Borrower: 张三, resident ID number 11010519491231002X")
        #expect(lines[3] == "Principal: 10000.00 yuan, paid out to the borrower's bank card")
        #expect(lines.contains("Annual interest rate: 0.1825 (simple interest on the principal outstanding, actual days / 365, accrued daily, rounded half to even to the fen)"))
        #expect(lines.contains("Penalty interest: 0.27 a year on overdue principal, from day 4 past due"))
        // The worked example of docs/servicing.md: 10 000.00 at 18.25%, 3 months from 2026-01-15.
        #expect(lines.contains("   1  2026-02-15      3280.23       155.00      3435.23"))
        #expect(lines.contains("   2  2026-03-15      3341.15        94.08      3435.23"))
        #expect(lines.contains("   3  2026-04-15      3378.62        52.37      3430.99"))
        #expect(lines.last == "Signed by the applicant at 2026-01-15T02:00:00Z")
    }

    @Test func theScheduleAndTermsAreKeptAsJSON() throws {
        let agreement = text()
        #expect(AgreementText.scheduleJSON(try agreement.schedule()).hasPrefix(#"[{"number":1,"due_date":"2026-02-15","principal":"3280.23","interest":"155.00"}"#))
        #expect(agreement.termsJSON.contains(#""apr":"0.1825""#))
        #expect(agreement.termsJSON.contains(#""penalty_rate":"0.27""#))
    }

    @Test func aLineAgreementStatesTheLimitAndHasNoSchedule() throws {
        let line = text(kind: .revolving)
        let rendered = try line.render()
        #expect(rendered.hasPrefix("REVOLVING CREDIT LINE AGREEMENT A1\n"))
        #expect(rendered.contains("Credit limit: 10000.00 yuan; each draw is a loan repaid in equal monthly installments over the term chosen when drawing"))
        #expect(!rendered.contains("Schedule"))
        #expect(try line.schedule().isEmpty)
    }

    @Test func theSameInputsRenderTheSameTextAndHash() throws {
        let first = try text().render()
        #expect(first == (try text().render()))
        var other = text()
        other.borrowerName = "李四"
        #expect(Array(SHA256.hash(data: Array(first.utf8))) != Array(SHA256.hash(data: Array((try other.render()).utf8))))
    }
}
