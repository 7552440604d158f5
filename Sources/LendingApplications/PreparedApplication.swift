import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import Logging
import LendingStorePorts

/// An application with everything that needs no state worked out: its checks, credit score,
/// keyed hashes and sealed personal data. Made by ``ApplicationProcessor/prepare(_:)``.
/// A class: batches pass it between threads and arrays without copying its many fields.
public final class PreparedApplication: Sendable {
    public let input: ApplicationInput
    let inputsHash: String
    let credit: ScoreResult
    let identity: IdentityAssessment
    let day: CalendarDay
    let personKey: String
    let keys: FraudKeys
    /// Full keys (hex) of the values a blacklist can name, by type.
    let blacklistKeys: [(FraudDimension, String)]
    let fraudSubject: FraudSubject
    let amountCap: Money
    let sealedPersonalData: [UInt8]

    init(_ input: ApplicationInput, policy: LendingPolicy, scorer: Scorer, protector: PersonalDataProtector) throws(ApplicationError) {
        self.input = input
        inputsHash = input.canonicalBytes.withUnsafeBytes { hexString(protector.key($0, kind: .inputs)) }
        do {
            credit = try scorer.score(texts: input.characteristics, reasons: max(policy.decision.credit.adverseReasons, 1))
        } catch {
            throw ApplicationError(code: "apply.characteristic", field: error.characteristic ?? "", message: error.message)
        }
        day = input.appliedAt.day(atOffsetSeconds: policy.utcOffsetSeconds)
        identity = IdentityCheck.assess(
            IdentityInput(idNumber: input.idNumber, phone: input.phone, bankCard: input.bankCard, nameIdMatch: input.kycNameID,
                          phoneMatch: input.kycPhone, cardMatch: input.kycCard, livenessPassed: input.liveness, faceScore: input.faceScore),
            policy: policy.identity, on: day)
        let values = NormalisedIdentifiers(input, resident: identity.residentID)
        func fullKey(_ value: String, _ kind: PersonalDataKind) -> [UInt8]? { value.isEmpty ? nil : protector.key(value, kind: kind) }
        let person = protector.key(values.idNumber.isEmpty ? "application:" + input.applicationID : values.idNumber, kind: .idNumber)
        let phone = fullKey(values.phone, .phone)
        let card = fullKey(values.bankCard, .bankCard)
        let device = fullKey(values.deviceID, .deviceID)
        let ip = fullKey(values.ip, .ip)
        let contact = fullKey(values.contactPhone, .phone)
        let address = fullKey(values.address, .address)
        personKey = hexString(person)
        var named: [(FraudDimension, String)] = [(.idNumber, personKey)]
        for (dimension, key) in [(FraudDimension.phone, phone), (.deviceID, device), (.ip, ip), (.bankCard, card), (.contactPhone, contact)] {
            if let key { named.append((dimension, hexString(key))) }
        }
        blacklistKeys = named
        keys = FraudKeys(person: PersonalDataProtector.shortKey(person), phone: phone.map(PersonalDataProtector.shortKey),
                         bankCard: card.map(PersonalDataProtector.shortKey), device: device.map(PersonalDataProtector.shortKey),
                         ip: ip.map(PersonalDataProtector.shortKey), contactPhone: contact.map(PersonalDataProtector.shortKey),
                         address: address.map(PersonalDataProtector.shortKey))
        amountCap = policy.decision.products[input.product]?.maximumAmount ?? input.requestedAmount
        let localSeconds = input.appliedAt.secondsSinceEpoch + policy.utcOffsetSeconds
        let localHour = Int(((localSeconds % 86_400) + 86_400) % 86_400 / 3_600)
        let notMatched = [input.kycNameID, input.kycPhone, input.kycCard].filter { $0 != .match }.count
        fraudSubject = FraudSubject(
            at: input.appliedAt, localHour: localHour, channel: input.channel, merchantID: input.merchantID.isEmpty ? nil : input.merchantID,
            amount: input.requestedAmount, amountCap: amountCap, keys: keys, virtualOperatorPhone: MobilePhone.isVirtualOperator(values.phone),
            employerMissing: input.employer.trimmingSpaces().isEmpty, faceScore: input.faceScore, providerNotMatched: notMatched,
            age: identity.residentID?.age(on: day))
        let personal = [input.name, values.idNumber, values.phone, values.bankCard, input.address, input.employer, values.contactPhone]
            .joined(separator: "\u{1F}")
        sealedPersonalData = protector.seal(Array(personal.utf8))
    }
}
