import Foundation
import Crypto
import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring

/// The manual review's rules.
public struct ReviewRules: Sendable, Equatable, Codable {
    /// A reviewer's approval of a limit above this takes a second reviewer (maker-checker): the
    /// first approval is recorded as a request, and only another person's approval decides.
    public var secondApprovalAbove: Money

    public init(secondApprovalAbove: Money) { self.secondApprovalAbove = secondApprovalAbove }
}

/// The lender's policy: who may be approved, identity thresholds, fraud rules, credit cut-offs,
/// limits and prices, and whitelist bands. A JSON file (docs/policy.md) that states only what it
/// changes: it is merged over ``LendingPolicy/standard``, object by object.
public struct LendingPolicy: Sendable, Equatable, Codable {
    public var format: String
    public var formatVersion: Int
    public var name: String
    public var version: String
    /// The lender's time zone as a UTC offset (`+08:00`): local hours for fraud signals.
    public var utcOffset: String
    /// Only whitelisted, unexpired ID numbers can be approved.
    public var invitationOnly: Bool
    /// An applicant approved within this many days is declined (`PL_RECENTLY_APPROVED`); 0 turns it off.
    public var recentApprovalDays: Int
    /// The fraud model: `builtin` (Models/fraud-model.json, compiled in), a path relative to the
    /// policy file, or `none`.
    public var fraudModel: String
    public var identity: IdentityPolicy
    public var fraud: FraudPolicy
    public var decision: DecisionRules
    public var whitelist: WhitelistBands
    /// The manual review's rules (maker-checker).
    public var review: ReviewRules

    public static let formatName = "lending.policy"

    /// The UTC offset in seconds.
    public var utcOffsetSeconds: Int64 {
        let bytes = Array(utcOffset.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"), bytes[3] == UInt8(ascii: ":"),
              let hours = Int64(String(decoding: bytes[1..<3], as: UTF8.self)), let minutes = Int64(String(decoding: bytes[4..<6], as: UTF8.self))
        else { return 8 * 3_600 }
        return (hours * 3_600 + minutes * 60) * (bytes[0] == UInt8(ascii: "-") ? -1 : 1)
    }

    /// The policy's name, version and the start of the SHA-256 of its effective content, as
    /// recorded with every decision (`default@2026.11#3f2a9c01d4e7`).
    public var versionTag: String {
        "\(name)@\(version)#\(String(LendingPolicy.contentHash(self).prefix(12)))"
    }

    static func contentHash(_ policy: LendingPolicy) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(policy)) ?? Data()
        return hexString(SHA256.hash(data: data))
    }

    /// The documented default (Models/policy-default.json is this, written out).
    public static let standard = LendingPolicy(
        format: formatName, formatVersion: 1, name: "default", version: "2026.11", utcOffset: "+08:00", invitationOnly: true,
        recentApprovalDays: 7, fraudModel: "builtin",
        identity: IdentityPolicy(minimumAge: 20, maximumAge: 60, faceDeclineBelow: 60, faceReviewBelow: 75),
        fraud: FraudPolicy(),
        decision: DecisionRules(
            products: [
                "installment": ProductRules(minimumAmount: Money(fen: 50_000), maximumAmount: Money(fen: 5_000_000), terms: [3, 6, 9, 12, 18, 24]),
                "revolving": ProductRules(minimumAmount: Money(fen: 100_000), maximumAmount: Money(fen: 5_000_000), terms: [3, 6, 12]),
            ],
            credit: CreditRules(declineBelow: 400, reviewBelow: 430, adverseReasons: 4),
            pricing: PricingRules(segments: [
                "A": [band(600, 5_000_000, 108_000), band(0, 3_000_000, 144_000)],
                "B": [band(520, 3_000_000, 144_000), band(0, 1_500_000, 180_000)],
                "C": [band(460, 1_500_000, 180_000), band(0, 800_000, 216_000)],
                "D": [band(0, 800_000, 216_000)],
            ], defaultSegment: "D", limitStep: Money(fen: 10_000), maximumAPR: AnnualRate(partsPerMillion: 240_000))),
        whitelist: WhitelistBands(bands: [
            .init(minimumScore: 600, preCreditLimit: Money(fen: 5_000_000), segment: "A"),
            .init(minimumScore: 520, preCreditLimit: Money(fen: 3_000_000), segment: "B"),
            .init(minimumScore: 460, preCreditLimit: Money(fen: 1_500_000), segment: "C"),
            .init(minimumScore: 0, preCreditLimit: Money(fen: 800_000), segment: "D"),
        ], validDays: 90),
        review: ReviewRules(secondApprovalAbove: Money(fen: 2_000_000)))

    private static func band(_ score: Double, _ limitFen: Int64, _ aprPPM: Int64) -> PriceBand {
        PriceBand(minimumScore: score, limit: Money(fen: limitFen), apr: AnnualRate(partsPerMillion: aprPPM))
    }

    /// The standard policy as pretty JSON (what Models/policy-default.json holds).
    public static func standardJSON() -> String { json(standard) }

    /// A policy as pretty JSON with sorted keys.
    public static func json(_ policy: LendingPolicy) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(policy)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a policy file, merged over the standard policy.
    /// - Throws: ``LendingError`` naming the file and the field for unreadable JSON, a wrong
    ///   format, or a value of the wrong type.
    public static func load(path: String) throws(LendingError) -> LendingPolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LendingError(code: "policy.read", message: "cannot read the policy file; check the path", file: path)
        }
        return try decode(data, file: path)
    }

    /// Decodes policy JSON merged over the standard policy.
    public static func decode(_ data: Data, file: String) throws(LendingError) -> LendingPolicy {
        let given: Any
        do {
            given = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw LendingError(code: "policy.json", message: "the policy is not valid JSON (\(error.localizedDescription)); fix the file", file: file)
        }
        guard let overrides = given as? [String: Any] else {
            throw LendingError(code: "policy.json", message: "the policy must be a JSON object", file: file)
        }
        if let format = overrides["format"] as? String, format != formatName {
            throw LendingError(code: "policy.format", message: "\"format\" is \"\(format)\", not \"\(formatName)\"; is this a policy file?", file: file)
        }
        let base: Any
        do {
            let standardData = try JSONEncoder().encode(standard)
            base = try JSONSerialization.jsonObject(with: standardData)
        } catch {
            preconditionFailure("the standard policy encodes: \(error)")
        }
        let merged = mergeJSON(base, overrides)
        do {
            let mergedData = try JSONSerialization.data(withJSONObject: merged)
            let policy = try JSONDecoder().decode(LendingPolicy.self, from: mergedData)
            try policy.validate(file: file)
            return policy
        } catch let error as LendingError {
            throw error
        } catch let error as DecodingError {
            throw LendingError(code: "policy.value", message: error.plainDescription, file: file)
        } catch {
            throw LendingError(code: "policy.value", message: "the policy cannot be read: \(error)", file: file)
        }
    }


    /// Objects merge key by key; anything else in `overrides` replaces the base.
    static func mergeJSON(_ base: Any, _ overrides: Any) -> Any {
        guard var object = base as? [String: Any], let changes = overrides as? [String: Any] else { return overrides }
        for (key, value) in changes { object[key] = object[key].map { mergeJSON($0, value) } ?? value }
        return object
    }

    /// Checks what JSON types cannot: ranges and references.
    func validate(file: String) throws(LendingError) {
        func fail(_ message: String) -> LendingError { LendingError(code: "policy.value", message: message, file: file) }
        if formatVersion != 1 { throw fail("\"formatVersion\" \(formatVersion) is not supported; this program reads version 1") }
        if decision.pricing.segments[decision.pricing.defaultSegment] == nil {
            throw fail("\"decision.pricing.defaultSegment\" names \"\(decision.pricing.defaultSegment)\", which has no bands")
        }
        for band in whitelist.bands where decision.pricing.segments[band.segment] == nil {
            throw fail("whitelist band segment \"\(band.segment)\" has no pricing bands in \"decision.pricing.segments\"")
        }
        if decision.credit.reviewBelow < decision.credit.declineBelow {
            throw fail("\"decision.credit.reviewBelow\" must be at least \"declineBelow\"")
        }
        if fraud.model.reviewAtOrAbove > fraud.model.declineAtOrAbove {
            throw fail("\"fraud.model.reviewAtOrAbove\" must not be above \"declineAtOrAbove\"")
        }
        if identity.minimumAge > identity.maximumAge { throw fail("\"identity.minimumAge\" is above \"maximumAge\"") }
        let offset = Array(utcOffset.utf8)
        if offset.count != 6 || (offset[0] != UInt8(ascii: "+") && offset[0] != UInt8(ascii: "-")) || offset[3] != UInt8(ascii: ":") {
            throw fail("\"utcOffset\" must look like +08:00")
        }
    }
}

extension LendingPolicy {
    /// The policy's fraud model: `builtin` (the resource `Resources/fraud-model.json`, which Models/fraud-model.json links to, compiled in), `none`, or a scorecard file whose path
    /// is relative to `directory` (the policy file's).
    /// - Throws: ``LendingError`` when the file cannot be read or is not a fraud model.
    public func loadFraudModel(relativeTo directory: String) throws -> FraudModel? {
        switch fraudModel {
        case "none", "":
            return nil
        case "builtin":
            return try FraudModel(Scorecard.decode(Data(PackageResources.fraud_model_json), file: "builtin fraud model"))
        default:
            let path = fraudModel.hasPrefix("/") ? fraudModel : directory + "/" + fraudModel
            return try FraudModel(Scorecard.load(path: path))
        }
    }
}
