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
    /// `true` when the liveness check passed.
    public var livenessPassed: Bool
    /// Face comparison score, 0...100; `nil` if absent.
    public var faceScore: Double?

    public init(idNumber: String, phone: String, bankCard: String, nameIdMatch: ProviderResult, phoneMatch: ProviderResult,
                cardMatch: ProviderResult, livenessPassed: Bool, faceScore: Double?) {
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
    public enum Outcome: Int, Sendable, Comparable, Equatable {
        case pass = 0
        case review = 1
        case decline = 2
        public static func < (lhs: Outcome, rhs: Outcome) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var outcome: Outcome
    public var reasons: [DecisionReason]
    /// The validated ID number, when it is valid.
    public var residentID: ResidentID?
}

/// The identity stage: a pure function of the application's identity data, the policy and the
/// business date.
public enum IdentityCheck {
    public static func assess(_ input: IdentityInput, policy: IdentityPolicy, on day: CalendarDay) -> IdentityAssessment {
        var outcome = IdentityAssessment.Outcome.pass
        var reasons: [DecisionReason] = []
        func flag(_ level: IdentityAssessment.Outcome, _ reason: DecisionReason) {
            outcome = max(outcome, level)
            reasons.append(reason)
        }
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
        if !input.livenessPassed { flag(.decline, "ID_LIVENESS_FAILED") }
        if let face = input.faceScore, face.isFinite, (0...100).contains(face) {
            if face < policy.faceDeclineBelow { flag(.decline, "ID_FACE_SCORE_LOW") } else if face < policy.faceReviewBelow { flag(.review, "ID_FACE_SCORE_BORDERLINE") }
        } else {
            flag(.review, "ID_FACE_SCORE_MISSING")
        }
        return IdentityAssessment(outcome: outcome, reasons: reasons, residentID: resident)
    }
}
