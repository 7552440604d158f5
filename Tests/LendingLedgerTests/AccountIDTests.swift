import LendingLedger
import Testing

@Suite struct AccountIDTests {
    @Test func textFormRoundTripsForEveryKind() {
        for kind in AccountKind.allCases {
            let account = kind.isLoanAccount ? AccountID(loan: "APP:7", kind) : AccountID(lender: kind)
            #expect(AccountID(text: account.description) == account)
        }
        #expect(AccountID(loan: "L1", .principalReceivable).description == "loan:L1:principal")
        #expect(AccountID.fundingCash.description == "lender:funding_cash")
    }

    @Test func rejectsMalformedText() {
        #expect(AccountID(text: "loan:L1:funding_cash") == nil)
        #expect(AccountID(text: "lender:principal") == nil)
        #expect(AccountID(text: "loan::principal") == nil)
        #expect(AccountID(text: "loan:principal") == nil)
        #expect(AccountID(text: "bank:cash") == nil)
    }

    @Test func canonicalCodesAreDistinct() {
        #expect(Set(AccountKind.allCases.map(\.code)).count == AccountKind.allCases.count)
    }
}
