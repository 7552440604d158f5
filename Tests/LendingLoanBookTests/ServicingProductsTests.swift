import Foundation
import LendingModel
import LendingServicing
import LendingTestSupport
import Testing
import LendingLoanBook

@Suite struct ServicingProductsTests {
    @Test func theModelsFileIsTheBuiltInProducts() throws {
        let text = try String(contentsOfFile: FixtureFiles.model("products-default.json"), encoding: .utf8)
        #expect(text == ProductCatalog.standardJSON())
        #expect(try ProductCatalog.decode(Data(text.utf8), file: "products-default.json") == .standard)
    }

    @Test func theBuiltInProductsAreTheDocumentedDefaults() throws {
        let installment = try ProductCatalog.standard.terms(for: "installment")
        #expect(installment.kind == .installment && installment.method == .equalInstallment)
        #expect(installment.apr == AnnualRate(decimal: "0.18")! && installment.penaltyRate == AnnualRate(decimal: "0.27")!)
        #expect(installment.dayCount == .actual365 && installment.graceDays == 3 && installment.nonAccrualAfterDays == 90)
        #expect(installment.allocation == .oldestInstallmentFirst && installment.overpayment == .prepay)
        #expect(installment.buckets.map(\.name) == ["current", "1-3", "4-15", "16-30", "31-60", "61-90", "90+"])
        #expect(try ProductCatalog.standard.terms(for: "revolving").kind == .revolving)
    }

    @Test func aFileReplacesTheProductsItNamesAndKeepsTheOthers() throws {
        let json = #"{"products": {"installment": {"kind": "installment", "apr": "0.12", "method": "equal_principal", "day_count": "actual/360", "overpayment": "suspense"}}}"#
        let catalog = try ProductCatalog.decode(Data(json.utf8), file: "p.json")
        let installment = try catalog.terms(for: "installment")
        #expect(installment.method == .equalPrincipal && installment.dayCount == .actual360 && installment.overpayment == .suspense)
        #expect(installment.penaltyRate == AnnualRate(decimal: "0.18")!)
        #expect(try catalog.terms(for: "revolving") == ProductCatalog.standard.terms(for: "revolving"))
    }

    @Test func aBadProductsFileNamesTheFileAndTheField() {
        func error(_ json: String) -> LendingError? {
            do {
                _ = try ProductCatalog.decode(Data(json.utf8), file: "p.json")
                return nil
            } catch {
                return error
            }
        }
        #expect(error(#"{"products": {"installment": {"kind": "installment", "apr": "0.1", "grace_days": -1}}}"#)?.description
                == "p.json: grace_days must be 0 or more")
        #expect(error(#"{"products": {"installment": {"kind": "installment"}}}"#)?.description
                == "p.json: \"products.installment.apr\" is required")
        #expect(error(#"{"format": "lending.policy"}"#)?.code == "products.format")
        #expect(error("{").map { $0.code } == "products.json")
    }

    @Test func anUnknownProductIsAClearError() {
        #expect(throws: LendingError(code: "products.unknown",
                                     message: "product \"car\" is not in the products file (installment, revolving); add it with --products FILE")) {
            try ProductCatalog.standard.terms(for: "car")
        }
    }
}
