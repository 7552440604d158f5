import LendingModel

/// A provider's answer to "does this match?": never a plain Bool, because "no record" and
/// "error" are not "match" and must never approve.
public enum ProviderResult: String, Sendable, CaseIterable, Codable {
    case match
    case mismatch
    case noRecord = "no_record"
    case error
}

/// The identity inputs of one application.
public struct IdentityInput: Sendable {
    public var idNumber: String
    public var phone: String
    public var bankCard: String
    public var nameIdMatch: ProviderResult
    public var phoneMatch: ProviderResult
    public var cardMatch: ProviderResult
    /// `true` when the liveness check passed, `false` when it failed, `nil` when there is no result.
    public var livenessPassed: Bool?
    /// Face comparison score, 0...100; `nil` if absent.
    public var faceScore: Double?

    public init(idNumber: String, phone: String, bankCard: String, nameIdMatch: ProviderResult, phoneMatch: ProviderResult,
                cardMatch: ProviderResult, livenessPassed: Bool?, faceScore: Double?) {
        self.idNumber = idNumber
        self.phone = phone
        self.bankCard = bankCard
        self.nameIdMatch = nameIdMatch
        self.phoneMatch = phoneMatch
        self.cardMatch = cardMatch
        self.livenessPassed = livenessPassed
        self.faceScore = faceScore
    }
}

/// Identity rules of a policy.
public struct IdentityPolicy: Sendable, Equatable, Codable {
    public var minimumAge: Int
    public var maximumAge: Int
    /// Below this face score: decline.
    public var faceDeclineBelow: Double
    /// Below this (and at least `faceDeclineBelow`): review.
    public var faceReviewBelow: Double

    public init(minimumAge: Int = 22, maximumAge: Int = 55, faceDeclineBelow: Double = 60, faceReviewBelow: Double = 80) {
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
        self.faceDeclineBelow = faceDeclineBelow
        self.faceReviewBelow = faceReviewBelow
    }
}

/// What the identity stage concluded.
public struct IdentityAssessment: Sendable, Equatable {
    public var verdict: StageVerdict
    /// The validated ID number, when it is valid.
    public var residentID: ResidentID?

    public var outcome: StageOutcome { verdict.outcome }
    public var reasons: [DecisionReason] { verdict.reasons }
}

/// The identity stage: a pure function of the application's identity data, the policy and the
/// business date.
public enum IdentityCheck {
    public static func assess(_ input: IdentityInput, policy: IdentityPolicy, on day: CalendarDay) -> IdentityAssessment {
        var verdict = StageVerdict()
        func flag(_ level: StageOutcome, _ reason: DecisionReason) { verdict.flag(level, reason) }
        var resident: ResidentID?
        switch ResidentID.parse(input.idNumber) {
        case .success(let id):
            resident = id
            let age = id.age(on: day)
            if age < policy.minimumAge { flag(.decline, "ID_AGE_BELOW_MINIMUM") }
            if age > policy.maximumAge { flag(.decline, "ID_AGE_ABOVE_MAXIMUM") }
        case .failure(let problem):
            flag(.decline, problem.reason)
        }
        if MobilePhone.normalise(input.phone) == nil { flag(.decline, "ID_PHONE_FORMAT") }
        if BankCard.normalise(input.bankCard) == nil { flag(.decline, "ID_CARD_FORMAT") }
        for (result, name) in [(input.nameIdMatch, "NAME_ID"), (input.phoneMatch, "PHONE"), (input.cardMatch, "CARD")] {
            switch result {
            case .match: break
            case .mismatch: flag(.decline, DecisionReason("ID_\(name)_MISMATCH"))
            case .noRecord: flag(.review, DecisionReason("ID_\(name)_NO_RECORD"))
            case .error: flag(.review, DecisionReason("ID_\(name)_PROVIDER_ERROR"))
            }
        }
        switch input.livenessPassed {
        case true: break
        case false: flag(.decline, "ID_LIVENESS_FAILED")
        case nil: flag(.review, "ID_LIVENESS_MISSING")
        }
        if let face = input.faceScore, face.isFinite, (0...100).contains(face) {
            if face < policy.faceDeclineBelow { flag(.decline, "ID_FACE_SCORE_LOW") } else if face < policy.faceReviewBelow { flag(.review, "ID_FACE_SCORE_BORDERLINE") }
        } else {
            flag(.review, "ID_FACE_SCORE_MISSING")
        }
        return IdentityAssessment(verdict: verdict, residentID: resident)
    }
}
