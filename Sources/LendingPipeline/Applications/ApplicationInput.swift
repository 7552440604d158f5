import LendingIdentity
import LendingModel
import LendingScoring

/// One application as received (APPLICATIONS.csv, or the JSON of `POST /v1/applications`).
/// Holds personal data in clear: it lives only while the application is decided.
public struct ApplicationInput: Sendable {
    public var applicationID: String
    public var appliedAt: Instant
    public var product: String
    public var channel: String
    public var merchantID: String
    public var name: String
    public var idNumber: String
    public var phone: String
    public var bankCard: String
    public var deviceID: String
    public var ip: String
    public var address: String
    public var employer: String
    public var contactPhone: String
    public var requestedAmount: Money
    public var termMonths: Int
    public var kycNameID: ProviderResult
    public var kycPhone: ProviderResult
    public var kycCard: ProviderResult
    /// `nil` when there is no liveness result.
    public var liveness: Bool?
    /// `nil` when there is no face score.
    public var faceScore: Double?
    /// The credit model's characteristics as text, in the model's order (empty is missing).
    public var characteristics: [String]
    /// Every field as received, one `name=value` per line, in UTF-8 (hashed with the data key
    /// into the stored inputs hash).
    public var canonicalBytes: [UInt8]

    /// The contract's columns, in order (INTERFACE.md), with whether each is required.
    public static let columns: [(name: String, required: Bool)] = [
        ("application_id", true), ("applied_at", true), ("product", true), ("channel", true), ("merchant_id", false),
        ("name", false), ("id_number", true), ("phone", true), ("bank_card", true), ("device_id", false), ("ip", false),
        ("address", false), ("employer", false), ("contact_phone", false), ("requested_amount", true), ("term_months", true),
        ("kyc_name_id", true), ("kyc_phone", true), ("kyc_card", true), ("liveness", true), ("face_score", true),
    ]
}

/// A field of an application that cannot be read: which field and what to do.
public struct ApplicationFieldError: Error, Sendable, Equatable {
    /// The column (contract name or characteristic name).
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Reads applications from named text fields (a CSV record, or JSON), checking types and
/// ranges; whether the values are acceptable (valid ID numbers, real phones) is the identity
/// stage's business, not an input error.
public struct ApplicationReader: Sendable {
    /// The credit model's characteristic names, in model order.
    public let characteristicNames: [String]
    public let scorer: Scorer

    public init(scorer: Scorer) {
        self.scorer = scorer
        characteristicNames = scorer.compiled.names
    }

    /// Every column the reader needs: the contract's required columns and the model's.
    public var requiredColumns: [String] {
        ApplicationInput.columns.filter(\.required).map(\.name) + characteristicNames.filter { name in
            !ApplicationInput.columns.contains { $0.name == name }
        }
    }

    /// Where each field the reader needs is in a record: computed once per header.
    public struct ColumnMap: Sendable {
        /// Record position of each slot: the contract's columns, then the characteristics.
        let slots: [Int?]
        /// Record position of each header name (to locate errors).
        public let positions: [String: Int]
    }

    /// The column map of a header.
    public func columnMap(header: [String]) -> ColumnMap {
        var positions: [String: Int] = [:]
        for (index, name) in header.enumerated() where positions[name] == nil { positions[name] = index }
        let names = ApplicationInput.columns.map(\.name) + characteristicNames
        return ColumnMap(slots: names.map { positions[$0] }, positions: positions)
    }

    /// Reads one application; `value(name)` gives a field's text, `nil` when the column is absent.
    public func read(_ value: (String) -> String?) throws(ApplicationFieldError) -> ApplicationInput {
        let names = ApplicationInput.columns.map(\.name) + characteristicNames
        let fields = names.map { value($0) ?? "" }
        return try read(fields: fields, columns: ColumnMap(slots: Array(0..<names.count), positions: [:]))
    }

    /// Reads one application from a record's fields.
    public func read(fields: [String], columns: ColumnMap) throws(ApplicationFieldError) -> ApplicationInput {
        let contract = ApplicationInput.columns
        func text(_ slot: Int) -> String { columns.slots[slot].map { fields[$0] } ?? "" }
        func required(_ slot: Int, _ what: String) throws(ApplicationFieldError) -> String {
            let field = text(slot)
            let name = contract[slot].name
            guard !field.isEmpty else { throw ApplicationFieldError(field: name, message: "\"\(name)\" is empty; give \(what)") }
            return field
        }
        func provider(_ slot: Int) throws(ApplicationFieldError) -> ProviderResult {
            let field = text(slot)
            if field.isEmpty { return .error }
            guard let result = ProviderResult(rawValue: field) else {
                let name = contract[slot].name
                throw ApplicationFieldError(field: name, message: "\"\(name)\" is \"\(Self.clip(field))\"; write match, mismatch, no_record or error")
            }
            return result
        }
        let id = try required(0, "an application id")
        guard id.utf8.count <= 64, !id.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw ApplicationFieldError(field: "application_id", message: "\"application_id\" is longer than 64 bytes or holds control characters; shorten it")
        }
        let appliedText = try required(1, "a date-time with its UTC offset such as 2026-11-21T09:30:00+08:00")
        guard let appliedAt = Instant(iso: appliedText) else {
            throw ApplicationFieldError(field: "applied_at", message: "\"applied_at\" is \"\(Self.clip(appliedText))\", not a date-time with an offset; write it like 2026-11-21T09:30:00+08:00")
        }
        let amountText = try required(14, "the amount in yuan such as 5000.00")
        guard let amount = Money(yuan: amountText.trimmingSpaces()), amount.fen > 0 else {
            throw ApplicationFieldError(field: "requested_amount", message: "\"requested_amount\" is \"\(Self.clip(amountText))\", not a positive amount in yuan with at most 2 decimals; write it like 5000.00")
        }
        let termText = try required(15, "the term in months")
        guard let term = Int(termText.trimmingSpaces()), (1...360).contains(term) else {
            throw ApplicationFieldError(field: "term_months", message: "\"term_months\" is \"\(Self.clip(termText))\", not a whole number of months from 1 to 360")
        }
        let livenessText = text(19)
        let liveness: Bool?
        switch livenessText {
        case "pass": liveness = true
        case "fail": liveness = false
        case "": liveness = nil
        default: throw ApplicationFieldError(field: "liveness", message: "\"liveness\" is \"\(Self.clip(livenessText))\"; write pass or fail")
        }
        let faceText = text(20)
        var face: Double?
        if !faceText.isEmpty {
            guard let number = Scorer.parseNumber(faceText), (0...100).contains(number) else {
                throw ApplicationFieldError(field: "face_score", message: "\"face_score\" is \"\(Self.clip(faceText))\", not a number from 0 to 100")
            }
            face = number
        }
        let characteristics = (0..<characteristicNames.count).map { text(contract.count + $0) }
        var canonical: [UInt8] = []
        canonical.reserveCapacity(1_024)
        func line(_ name: String, _ value: String) {
            canonical.append(contentsOf: name.utf8)
            canonical.append(UInt8(ascii: "="))
            canonical.append(contentsOf: value.utf8)
            canonical.append(0x0A)
        }
        for (slot, column) in contract.enumerated() { line(column.name, text(slot)) }
        for (name, field) in zip(characteristicNames, characteristics) { line(name, field) }
        return ApplicationInput(
            applicationID: id, appliedAt: appliedAt, product: try required(2, "installment or revolving"),
            channel: try required(3, "the channel (app, h5, merchant, ...)"), merchantID: text(4), name: text(5),
            idNumber: text(6), phone: text(7), bankCard: text(8), deviceID: text(9), ip: text(10),
            address: text(11), employer: text(12), contactPhone: text(13), requestedAmount: amount,
            termMonths: term, kycNameID: try provider(16), kycPhone: try provider(17), kycCard: try provider(18),
            liveness: liveness, faceScore: face, characteristics: characteristics, canonicalBytes: canonical)
    }

    /// A value shown in a message: at most 40 characters. Never used for personal-data fields.
    static func clip(_ text: String) -> String { text.count <= 40 ? text : String(text.prefix(40)) + "…" }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
