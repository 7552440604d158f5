import Crypto
import Foundation
import LendingModel
import LendingStorePorts

/// Signing as a step of its own (`lending sign`, `POST /v1/applications/{id}/signature`): the
/// applicant is shown the agreement text of an approved application (``agreement(applicationID:store:)``),
/// accepts it on a channel, and the acceptance is recorded with its evidence: the time, the
/// channel, the IP address and device as the channel gives them (sealed: they identify a
/// person), and the SHA-256 of the text shown, which must be the text stored. The agreement, the
/// loan or line it makes, and the evidence are stored in one transaction. Whoever approved the
/// application (the automatic decision or a reviewer), the step is the same.
public struct SigningJob: Sendable {
    public var agreements: AgreementJob

    public init(products: ProductCatalog, protector: PersonalDataProtector, utcOffsetSeconds: Int64) {
        agreements = AgreementJob(products: products, protector: protector, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// What the applicant accepted, as the channel reports it.
    public struct Acceptance: Sendable, Equatable {
        public var acceptedAt: Instant
        /// `app`, `web`, `branch`, `phone`, ...: 1 to 32 letters, digits, `_` or `-`.
        public var channel: String
        public var ip: String?
        public var device: String?
        /// SHA-256 of the text shown.
        public var shownTextHash: [UInt8]

        public init(acceptedAt: Instant, channel: String, ip: String? = nil, device: String? = nil, shownTextHash: [UInt8]) {
            self.acceptedAt = acceptedAt
            self.channel = channel
            self.ip = ip
            self.device = device
            self.shownTextHash = shownTextHash
        }
    }

    /// The agreement text to show the applicant, its SHA-256, and whether it is signed already.
    public struct Shown: Sendable, Equatable {
        public var applicationID: String
        public var text: String
        public var sha256: [UInt8]
        public var signed: Bool
    }

    /// The outcome of signing.
    public struct Signed: Sendable, Equatable {
        public var agreement: AgreementRecord
        /// The installment loan made (its id is the application id), or `nil` for a line.
        public var loanID: String?
        /// The credit line made, or `nil` for a loan.
        public var lineID: String?
    }

    /// The text of an approved application's agreement: the one stored once signed, else the one
    /// that signing will store.
    /// - Throws: ``ServicingRequestError`` `sign.unknown` (no such application) or
    ///   `sign.not_approved`; ``LendingError`` when the product cannot be signed; the store's errors.
    public func agreement(applicationID: String, store: any ServicingStore) throws -> Shown {
        try store.readServicing { transaction in
            if let stored = try transaction.agreement(applicationID: applicationID) {
                let text = String(decoding: try agreements.protector.open(stored.sealedText), as: UTF8.self)
                return Shown(applicationID: applicationID, text: text, sha256: stored.textHash, signed: true)
            }
            let item = try approved(applicationID, in: transaction)
            let (record, _, _) = try agreements.sign(item)
            let text = String(decoding: try agreements.protector.open(record.sealedText), as: UTF8.self)
            return Shown(applicationID: applicationID, text: text, sha256: record.textHash, signed: false)
        }
    }

    /// Records the applicant's acceptance and signs: the agreement (signed at the acceptance
    /// time), the loan or line (signed on the acceptance's local day), the evidence.
    /// - Parameters:
    ///   - recordedBy: the operator or API key submitting the acceptance.
    ///   - recordedAt: the clock's time now.
    /// - Throws: ``ServicingRequestError``: `sign.unknown`, `sign.not_approved`, `sign.signed`
    ///   (an agreement exists), `sign.text_mismatch` (the text shown is not the agreement's),
    ///   `sign.too_early` (accepted before the decision), `sign.channel`; ``LendingError`` when
    ///   the product cannot be signed; the store's errors. Nothing is stored then.
    public func sign(applicationID: String, acceptance: Acceptance, recordedBy: String, recordedAt: Instant,
                     store: any ServicingStore) throws -> Signed {
        guard SigningJob.isChannel(acceptance.channel) else {
            throw ServicingRequestError(code: "sign.channel", field: "channel",
                                        message: "the channel must be 1 to 32 letters, digits, '_' or '-' (app, web, branch)")
        }
        guard acceptance.shownTextHash.count == 32 else {
            throw ServicingRequestError(code: "sign.text_sha256", field: "text_sha256", message: "text_sha256 must be 64 hexadecimal digits")
        }
        return try store.withServicingTransaction { transaction in
            if try transaction.agreement(applicationID: applicationID) != nil {
                throw ServicingRequestError(code: "sign.signed", field: "application_id",
                                            message: "application \(clippedForMessage(applicationID)) is signed already; see its loan or line")
            }
            let item = try approved(applicationID, in: transaction)
            guard acceptance.acceptedAt >= item.decision.decidedAt else {
                throw ServicingRequestError(code: "sign.too_early", field: "accepted_at",
                                            message: "accepted_at is before the application was approved (\(item.decision.decidedAt)); send the time the applicant accepted")
            }
            var (record, loan, line) = try agreements.sign(item)
            guard record.textHash == acceptance.shownTextHash else {
                throw ServicingRequestError(code: "sign.text_mismatch", field: "text_sha256",
                                            message: "text_sha256 is not the SHA-256 of this application's agreement text; show the applicant the current text (GET the agreement) and send its hash")
            }
            record.signedAt = acceptance.acceptedAt
            let day = acceptance.acceptedAt.day(atOffsetSeconds: agreements.utcOffsetSeconds)
            loan?.signedOn = day
            line?.signedOn = day
            try transaction.insert(agreement: record, loan: loan, line: line)
            let details = SigningJob.detailsJSON(ip: acceptance.ip, device: acceptance.device)
            try transaction.insert(signature: SignatureEvidence(
                applicationID: applicationID, acceptedAt: acceptance.acceptedAt, channel: acceptance.channel,
                shownTextHash: acceptance.shownTextHash, sealedDetails: agreements.protector.seal(Array(details.utf8)),
                recordedBy: recordedBy, recordedAt: recordedAt))
            return Signed(agreement: record, loanID: loan?.loanID, lineID: line?.line.lineID)
        }
    }

    private func approved(_ applicationID: String, in transaction: any ServicingTransaction) throws -> ApprovedApplication {
        if let item = try transaction.approvedWithoutAgreement(applicationIDs: [applicationID]).first { return item }
        if try transaction.sealedPersonalData(applicationIDs: [applicationID]).isEmpty {
            throw ServicingRequestError(code: "sign.unknown", field: "application_id",
                                        message: "no application \(clippedForMessage(applicationID)); check the id")
        }
        throw ServicingRequestError(code: "sign.not_approved", field: "application_id",
                                    message: "application \(clippedForMessage(applicationID)) is not approved; only an approved application can be signed")
    }

    /// The IP and device as sealed JSON's plaintext (keys sorted; absent ones left out).
    static func detailsJSON(ip: String?, device: String?) -> String {
        var fields: [String: String] = [:]
        if let ip { fields["ip"] = ip }
        if let device { fields["device"] = device }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(fields)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// 1 to 32 ASCII letters, digits, `_` or `-`.
    public static func isChannel(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F || byte == 0x2D
        }
    }

    /// 64 hexadecimal digits as 32 bytes, or `nil`.
    public static func sha256(hex text: String) -> [UInt8]? {
        guard text.utf8.count == 64, let bytes = hexBytes(text), bytes.count == 32 else { return nil }
        return bytes
    }
}
