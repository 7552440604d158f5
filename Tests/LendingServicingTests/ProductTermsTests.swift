import Foundation
import LendingModel
import LendingServicing
import Testing

@Suite struct ProductTermsTests {
    @Test func aMinimalProductFileTakesTheDefaults() throws {
        let terms = try JSONDecoder().decode(ProductTerms.self, from: Data(#"{"kind": "installment", "apr": "0.1825"}"#.utf8))
        #expect(terms == ProductTerms(apr: rate("0.1825")))
        #expect(terms.method == .equalInstallment && terms.dayCount == .actual365)
        #expect(terms.penaltyRate == rate("0.27375"))
        #expect(terms.graceDays == 3 && terms.nonAccrualAfterDays == 90)
        #expect(terms.allocation == .oldestInstallmentFirst && terms.overpayment == .prepay)
        #expect(terms.buckets.map(\.name) == ["current", "1-3", "4-15", "16-30", "31-60", "61-90", "90+"])
    }

    @Test func aFullProductFileRoundTrips() throws {
        let json = #"""
        {"kind": "revolving", "method": "equal_principal", "apr": "0.24", "day_count": "actual/360", "penalty_rate": "0.3",
         "grace_days": 0, "non_accrual_after_days": 60, "allocation": "penalty_interest_principal", "overpayment": "suspense",
         "buckets": [{"name": "current", "min_days": 0, "max_days": 0}, {"name": "M1", "min_days": 1, "max_days": 30},
                     {"name": "M2+", "min_days": 31}]}
        """#
        let terms = try JSONDecoder().decode(ProductTerms.self, from: Data(json.utf8))
        #expect(terms.kind == .revolving && terms.method == .equalPrincipal && terms.dayCount == .actual360)
        #expect(terms.penaltyRate == rate("0.3") && terms.graceDays == 0 && terms.nonAccrualAfterDays == 60)
        #expect(terms.allocation == .penaltyThenInterestThenPrincipal && terms.overpayment == .suspense)
        #expect(terms.bucket(forDaysPastDue: 45).name == "M2+")
        let again = try JSONDecoder().decode(ProductTerms.self, from: JSONEncoder().encode(terms))
        #expect(again == terms)
    }

    @Test func bucketsFollowTheDefaultRanges() {
        let terms = standardTerms
        let names = [0, 1, 3, 4, 15, 16, 30, 31, 60, 61, 90, 91, 400].map { terms.bucket(forDaysPastDue: $0).name }
        #expect(names == ["current", "1-3", "1-3", "4-15", "4-15", "16-30", "16-30", "31-60", "31-60", "61-90", "61-90", "90+", "90+"])
    }

    @Test func rejectsBucketsWithGapsOverlapsOrAClosedEnd() {
        func check(_ buckets: [DelinquencyBucket]) -> String? {
            do {
                try ProductTerms(apr: rate("0.1"), buckets: buckets).validate()
                return nil
            } catch let error as ServicingError {
                return error.code
            } catch {
                return "other"
            }
        }
        #expect(check([DelinquencyBucket("a", 0, 0), DelinquencyBucket("b", 2, nil)]) == "servicing.invalid_terms")
        #expect(check([DelinquencyBucket("a", 0, 5), DelinquencyBucket("b", 3, nil)]) == "servicing.invalid_terms")
        #expect(check([DelinquencyBucket("a", 0, 5), DelinquencyBucket("b", 6, 9)]) == "servicing.invalid_terms")
        #expect(check([DelinquencyBucket("a", 0, nil), DelinquencyBucket("b", 6, nil)]) == "servicing.invalid_terms")
        #expect(check([DelinquencyBucket("a", 0, 0), DelinquencyBucket("a", 1, nil)]) == "servicing.invalid_terms")
        #expect(check([DelinquencyBucket("a", 1, nil)]) == "servicing.invalid_terms")
        #expect(check([DelinquencyBucket("all", 0, nil)]) == nil)
    }

    @Test func decodingRejectsInvalidTerms() {
        #expect(throws: ServicingError.self) {
            try JSONDecoder().decode(ProductTerms.self, from: Data(#"{"kind": "installment", "apr": "0.1", "grace_days": -1}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ProductTerms.self, from: Data(#"{"kind": "installment", "apr": "0.1", "day_count": "30/360"}"#.utf8))
        }
    }

    @Test func loanStateEncodesWithSnakeCaseKeysAndRoundTrips() throws {
        let state = Servicing.endOfDay(loan(), asOf: date("2026-02-20"), terms: standardTerms).state
        let data = try JSONEncoder().encode(state)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""days_past_due":5"#))
        #expect(text.contains(#""outstanding_principal":"10000.00""#))
        #expect(try JSONDecoder().decode(LoanState.self, from: data) == state)
    }
}
