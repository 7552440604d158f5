import LendingIdentity
import LendingModel
import LendingScoring

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
