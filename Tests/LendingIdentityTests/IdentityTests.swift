import LendingIdentity
import LendingModel
import Testing

/// A valid ID number for a birth date (check character computed by the standard's weights).
func idNumber(region: String = "110105", birth: String, sequence: String = "002") -> String {
    let body = region + birth + sequence
    return body + String(ResidentID.checkCharacter(for: Array(body.utf8)))
}

let today = CalendarDay(iso: "2026-11-22")!

@Suite struct ResidentIDTests {
    @Test func acceptsTheStandardsWorkedExample() throws {
        // GB 11643-1999's example number, check character X.
        let id = try ResidentID.parse("11010519491231002X").get()
        #expect(id.birthDate == CalendarDay(iso: "1949-12-31"))
        #expect(id.regionCode == "110105")
        #expect(try ResidentID.parse(" 11010519491231002x ").get().value == "11010519491231002X")
    }

    @Test func rejectsEveryWrongCheckCharacter() {
        let body = "11010519491231002"
        for check in "0123456789X" where check != "X" {
            #expect(throws: ResidentID.Problem.checksum) { try ResidentID.parse(body + String(check)).get() }
        }
    }

    @Test func rejectsImpossibleBirthDates() {
        #expect(throws: ResidentID.Problem.birthDate) { try ResidentID.parse(idNumber(birth: "19990229")).get() }
        #expect(throws: ResidentID.Problem.birthDate) { try ResidentID.parse(idNumber(birth: "19901301")).get() }
        #expect(throws: ResidentID.Problem.birthDate) { try ResidentID.parse(idNumber(birth: "18991231")).get() }
        #expect((try? ResidentID.parse(idNumber(birth: "20000229")).get()) != nil)
    }

    @Test func rejectsUnknownProvincesAndProvinceOnlyCodes() {
        #expect(throws: ResidentID.Problem.region) { try ResidentID.parse(idNumber(region: "990101", birth: "19900101")).get() }
        #expect(throws: ResidentID.Problem.region) { try ResidentID.parse(idNumber(region: "110000", birth: "19900101")).get() }
        #expect((try? ResidentID.parse(idNumber(region: "440305", birth: "19900101")).get()) != nil)
        // Hong Kong, Macao and Taiwan residents' mainland numbers use 810000, 820000 and 830000-like codes.
        #expect((try? ResidentID.parse(idNumber(region: "810000", birth: "19900101")).get()) != nil)
        #expect((try? ResidentID.parse(idNumber(region: "820000", birth: "19900101")).get()) != nil)
    }

    @Test func recognisesNumbersMangledByASpreadsheet() {
        #expect(throws: ResidentID.Problem.mangledBySpreadsheet) { try ResidentID.parse("3.60426E+17").get() }
        #expect(throws: ResidentID.Problem.mangledBySpreadsheet) { try ResidentID.parse("1.10105E+17").get() }
        #expect(throws: ResidentID.Problem.length) { try ResidentID.parse("11010519491231002").get() }
        #expect(throws: ResidentID.Problem.characters) { try ResidentID.parse("1101051949123100AX").get() }
        #expect(throws: ResidentID.Problem.empty) { try ResidentID.parse("  ").get() }
    }

    @Test func countsAgeInWholeYearsOnTheBusinessDate() throws {
        let id = try ResidentID.parse(idNumber(birth: "20041122")).get()
        #expect(id.age(on: today) == 22)
        #expect(id.age(on: today.adding(days: -1)) == 21)
        let leap = try ResidentID.parse(idNumber(birth: "20040229")).get()
        #expect(leap.age(on: CalendarDay(iso: "2026-02-28")!) == 21)
        #expect(leap.age(on: CalendarDay(iso: "2026-03-01")!) == 22)
    }

    @Test func neverShowsTheNumberInClear() throws {
        let id = try ResidentID.parse("11010519491231002X").get()
        #expect(id.description == "1101**********002X")
        #expect(!"\(id)".contains("19491231"))
    }
}

@Suite struct ContactTests {
    @Test func validatesMobilePhones() {
        #expect(MobilePhone.normalise("13812345678") == "13812345678")
        #expect(MobilePhone.normalise("+86 138-1234-5678") == "13812345678")
        #expect(MobilePhone.normalise("008619912345678") == "19912345678")
        #expect(MobilePhone.normalise("12812345678") == nil) // second digit 2
        #expect(MobilePhone.normalise("1381234567") == nil)
        #expect(MobilePhone.normalise("138123456789") == nil)
        #expect(MobilePhone.normalise("1381234567a") == nil)
        // Every second digit: 0, 1 and 2 are not mobile numbers, 3 to 9 are.
        for second in 0...9 {
            #expect((MobilePhone.normalise("1\(second)012345678") != nil) == (second >= 3), "second digit \(second)")
        }
        #expect(MobilePhone.normalise("23812345678") == nil)
        #expect(MobilePhone.normalise("") == nil)
        #expect(MobilePhone.normalise("+8613812345678") == "13812345678")
        #expect(MobilePhone.normalise("１３８１２３４５６７８") == nil) // full-width digits are not accepted
    }

    @Test func validatesBankCardsByLuhn() {
        #expect(BankCard.normalise("4111 1111 1111 1111") == "4111111111111111")
        #expect(BankCard.normalise("6222021234567890128") != nil) // 19 digits, valid Luhn
        #expect(BankCard.normalise("4111111111111112") == nil)
        #expect(BankCard.normalise("411111111111111") == nil) // 15 digits
        #expect(BankCard.luhnValid(Array("79927398713".utf8)))
        #expect(!BankCard.luhnValid(Array("79927398710".utf8)))
        // Lengths: 16 to 19 digits only, each with a valid check digit.
        for length in 14...21 {
            var digits = Array(repeating: UInt8(ascii: "6"), count: length - 1)
            let check = (0...9).first { BankCard.luhnValid(digits + [UInt8(48 + $0)]) }!
            digits.append(UInt8(48 + check))
            #expect((BankCard.normalise(String(decoding: digits, as: UTF8.self)) != nil) == (16...19).contains(length), "length \(length)")
        }
        // A single changed digit or two swapped neighbours are caught.
        #expect(BankCard.normalise("6222021234567890129") == nil)
        #expect(BankCard.normalise("6222022134567890128") == nil)
        // ... except 09 and 90, the one swap Luhn cannot see (the provider's card check must).
        #expect(BankCard.normalise("6222021234567809128") != nil)
        #expect(BankCard.normalise("6222-0212-3456-7890-128") == nil) // dashes are not spaces
    }
}

@Suite struct IdentityCheckTests {
    func input(_ results: (ProviderResult, ProviderResult, ProviderResult) = (.match, .match, .match), liveness: Bool? = true,
               face: Double? = 95, birth: String = "19900101") -> IdentityInput {
        IdentityInput(idNumber: idNumber(birth: birth), phone: "13812345678", bankCard: "4111111111111111",
                      nameIdMatch: results.0, phoneMatch: results.1, cardMatch: results.2, livenessPassed: liveness, faceScore: face)
    }

    @Test func passesACleanApplicant() {
        let result = IdentityCheck.assess(input(), policy: IdentityPolicy(), on: today)
        #expect(result.outcome == .pass)
        #expect(result.reasons.isEmpty)
    }

    @Test func noRecordOrErrorNeverPassesAndMismatchDeclines() {
        // Every combination of the three provider results.
        for a in ProviderResult.allCases {
            for b in ProviderResult.allCases {
                for c in ProviderResult.allCases {
                    let result = IdentityCheck.assess(input((a, b, c)), policy: IdentityPolicy(), on: today)
                    let results = [a, b, c]
                    if results.contains(.mismatch) {
                        #expect(result.outcome == .decline)
                    } else if results.contains(.noRecord) || results.contains(.error) {
                        #expect(result.outcome == .review, "\(results)")
                    } else {
                        #expect(result.outcome == .pass)
                    }
                    #expect(result.outcome != .pass || results.allSatisfy { $0 == .match })
                }
            }
        }
    }

    @Test func declinesFailedLivenessAndLowFaceScores() {
        #expect(IdentityCheck.assess(input(liveness: false), policy: IdentityPolicy(), on: today).reasons == ["ID_LIVENESS_FAILED"])
        #expect(IdentityCheck.assess(input(face: 59.9), policy: IdentityPolicy(), on: today).outcome == .decline)
        #expect(IdentityCheck.assess(input(face: 60), policy: IdentityPolicy(), on: today).outcome == .review)
        #expect(IdentityCheck.assess(input(face: 80), policy: IdentityPolicy(), on: today).outcome == .pass)
        #expect(IdentityCheck.assess(input(face: nil), policy: IdentityPolicy(), on: today).reasons == ["ID_FACE_SCORE_MISSING"])
        #expect(IdentityCheck.assess(input(face: 100.5), policy: IdentityPolicy(), on: today).reasons == ["ID_FACE_SCORE_MISSING"])
    }

    @Test func aMissingLivenessResultGoesToReviewNeverToApproval() {
        let result = IdentityCheck.assess(input(liveness: nil), policy: IdentityPolicy(), on: today)
        #expect(result.outcome == .review)
        #expect(result.reasons == ["ID_LIVENESS_MISSING"])
    }

    @Test func appliesTheAgeBoundsOnTheBusinessDate() {
        let policy = IdentityPolicy(minimumAge: 22, maximumAge: 55)
        #expect(IdentityCheck.assess(input(birth: "20041122"), policy: policy, on: today).outcome == .pass)
        #expect(IdentityCheck.assess(input(birth: "20041123"), policy: policy, on: today).reasons == ["ID_AGE_BELOW_MINIMUM"])
        #expect(IdentityCheck.assess(input(birth: "19701122"), policy: policy, on: today).reasons == ["ID_AGE_ABOVE_MAXIMUM"])
        #expect(IdentityCheck.assess(input(birth: "19701123"), policy: policy, on: today).outcome == .pass)
    }
}
