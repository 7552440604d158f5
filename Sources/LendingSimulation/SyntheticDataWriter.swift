import LendingCSV
import LendingIdentity
import LendingModel

/// The files a run can write.
public enum SyntheticFile: String, Sendable, CaseIterable {
    /// APPLICATIONS.csv: the application columns of the contract, then the 20 characteristics.
    case applications
    /// TRUTH.csv: `application_id,label,is_fraud,group,credit_bad`.
    case truth
    /// POPULATION.csv: `id_number,name,phone`, then the 20 characteristics.
    case population
    /// BLACKLIST.csv: `type,value,reason,valid_until`.
    case blacklist

    /// The application columns of INTERFACE.md, in order (the characteristics follow them).
    public static let applicationColumns = [
        "application_id", "applied_at", "product", "channel", "merchant_id", "name", "id_number", "phone", "bank_card",
        "device_id", "ip", "address", "employer", "contact_phone", "requested_amount", "term_months", "kyc_name_id",
        "kyc_phone", "kyc_card", "liveness", "face_score",
    ]

    /// The header of the file.
    public var columns: [String] {
        switch self {
        case .applications: Self.applicationColumns + GermanCredit.characteristicNames
        case .truth: ["application_id", "label", "is_fraud", "group", "credit_bad"]
        case .population: ["id_number", "name", "phone"] + GermanCredit.characteristicNames
        case .blacklist: ["type", "value", "reason", "valid_until"]
        }
    }
}

/// Writes a generated data set as CSV (RFC 4180, UTF-8, LF line ends) through LendingCSV's
/// buffer and atomic output file.
public enum SyntheticDataWriter {
    /// One file's bytes, in memory (tests, small runs).
    public static func bytes(_ file: SyntheticFile, of dataset: SyntheticDataset) -> [UInt8] {
        var buffer = CSVOutputBuffer()
        do throws(CSVError) {
            try encode(file, of: dataset, into: &buffer) { (_: inout CSVOutputBuffer) throws(CSVError) in }
        } catch {
            preconditionFailure("encoding into memory does not fail")
        }
        return buffer.bytes
    }

    /// Writes one file atomically: it appears under `path` only when complete (`-` is standard output).
    /// - Throws: `CSVError` when the file cannot be created or written.
    public static func write(_ file: SyntheticFile, of dataset: SyntheticDataset, to path: String) throws(CSVError) {
        let output = try OutputFile(path: path)
        var buffer = CSVOutputBuffer(capacity: 1 << 20)
        do throws(CSVError) {
            try encode(file, of: dataset, into: &buffer) { (full: inout CSVOutputBuffer) throws(CSVError) in
                try output.write(full)
                full.removeAll()
            }
            try output.write(buffer)
            try output.commit()
        } catch {
            output.abandon()
            throw error
        }
    }

    /// Encodes `file`, handing the buffer to `flush` whenever it holds a megabyte or more.
    static func encode(_ file: SyntheticFile, of dataset: SyntheticDataset, into buffer: inout CSVOutputBuffer,
                       flush: (inout CSVOutputBuffer) throws(CSVError) -> Void) throws(CSVError) {
        buffer.appendRecord(file.columns)
        switch file {
        case .applications:
            let characteristics = encodedCharacteristics()
            let offset = offsetText(dataset.configuration.utcOffsetSeconds)
            for application in dataset.applications {
                appendApplication(application, offset: offset, seconds: dataset.configuration.utcOffsetSeconds, to: &buffer)
                buffer.appendComma()
                characteristics[application.creditRow].withUnsafeBytes { buffer.appendRaw($0) }
                buffer.appendNewline()
                if buffer.count >= 1 << 20 { try flush(&buffer) }
            }
        case .truth:
            for record in dataset.truth {
                buffer.appendRecord([record.applicationID, record.label.rawValue, record.label.isFraud ? "1" : "0", record.group,
                                     record.creditBad ? "1" : "0"])
                if buffer.count >= 1 << 20 { try flush(&buffer) }
            }
        case .population:
            let characteristics = encodedCharacteristics()
            for person in dataset.population {
                buffer.appendField(person.idNumber)
                buffer.appendComma()
                buffer.appendField(person.name)
                buffer.appendComma()
                buffer.appendField(person.phone)
                buffer.appendComma()
                characteristics[person.creditRow].withUnsafeBytes { buffer.appendRaw($0) }
                buffer.appendNewline()
                if buffer.count >= 1 << 20 { try flush(&buffer) }
            }
        case .blacklist:
            for entry in dataset.blacklist {
                buffer.appendRecord([entry.type.rawValue, entry.value, entry.reason, entry.validUntil.description])
                if buffer.count >= 1 << 20 { try flush(&buffer) }
            }
        }
    }

    private static func appendApplication(_ application: SyntheticApplication, offset: String, seconds: Int64,
                                          to buffer: inout CSVOutputBuffer) {
        func field(_ text: String) {
            buffer.appendField(text)
            buffer.appendComma()
        }
        let face = application.faceScoreTenths
        field(application.applicationID)
        field(localTime(application.appliedAt, offsetSeconds: seconds) + offset)
        field(application.product.rawValue)
        field(application.channel.rawValue)
        field(application.merchantID)
        field(application.name)
        field(application.idNumber)
        field(application.phone)
        field(application.bankCard)
        field(application.deviceID)
        field(application.ip)
        field(application.address)
        field(application.employer)
        field(application.contactPhone)
        field(application.requestedAmount.yuanString)
        field(String(application.termMonths))
        field(application.kycNameID.rawValue)
        field(application.kycPhone.rawValue)
        field(application.kycCard.rawValue)
        field(application.livenessPassed ? "pass" : "fail")
        buffer.appendField("\(face / 10).\(face % 10)")
    }

    /// `2026-10-01T09:30:12` at the offset.
    static func localTime(_ instant: Instant, offsetSeconds: Int64) -> String {
        let local = instant.secondsSinceEpoch + offsetSeconds
        let day = instant.day(atOffsetSeconds: offsetSeconds)
        let seconds = Int(local - Int64(day.daysSinceEpoch) * 86_400)
        return "\(day)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }

    /// `+08:00`.
    static func offsetText(_ seconds: Int64) -> String {
        let minutes = Int(abs(seconds) / 60)
        return (seconds < 0 ? "-" : "+") + two(minutes / 60) + ":" + two(minutes % 60)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Each German Credit row's 20 characteristics as CSV bytes, quoted as needed.
    private static func encodedCharacteristics() -> [[UInt8]] {
        (0..<GermanCredit.rowCount).map { row in
            var buffer = CSVOutputBuffer(capacity: 512)
            for (index, value) in GermanCredit.characteristics(row: row).enumerated() {
                if index > 0 { buffer.appendComma() }
                buffer.appendField(value)
            }
            return buffer.bytes
        }
    }
}
