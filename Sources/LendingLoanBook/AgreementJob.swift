import Crypto
import LendingCSV
import LendingModel
import LendingServicing
import LendingStorePorts

/// Signs approved applications (`lending apply --auto-sign`): for each, the agreement text
/// rendered from its terms and the borrower's name and ID number (opened from the sealed
/// personal data), its SHA-256, the text sealed, the signer and time; and the loan (an
/// installment application: loan id = application id, principal = approved limit, the
/// application's term, the decision's rate) or the credit line (a revolving application: line
/// id = application id, limit = approved limit) it makes. One transaction for all of them.
/// Signing what is already signed changes nothing.
public struct AgreementJob: Sendable {
    /// Which approved applications to sign.
    public enum Selection: Sendable {
        /// Those of these application ids (the rows of an applications file).
        case applications([String])
        /// Every approved application without an agreement.
        case allApproved
    }

    public var products: ProductCatalog
    public var protector: PersonalDataProtector
    /// The lender's UTC offset: the signing day is the decision time's local day.
    public var utcOffsetSeconds: Int64
    /// Who signs: the applicant (the only signer of automatic signing).
    public var signer: String

    public init(products: ProductCatalog, protector: PersonalDataProtector, utcOffsetSeconds: Int64, signer: String = "applicant") {
        self.products = products
        self.protector = protector
        self.utcOffsetSeconds = utcOffsetSeconds
        self.signer = signer
    }

    public struct Summary: Sendable, Equatable {
        public var loans = 0
        public var lines = 0
        public var signed: Int { loans + lines }

        public init(loans: Int = 0, lines: Int = 0) {
            self.loans = loans
            self.lines = lines
        }
    }

    /// Signs the selected approved applications that have no agreement yet.
    /// - Throws: ``LendingError`` for an application whose product is not in the products or
    ///   whose amount cannot be scheduled (nothing is signed then), and the store's errors.
    public func run(_ selection: Selection, store: any ServicingStore) throws -> Summary {
        try store.withServicingTransaction { transaction in
            let approved: [ApprovedApplication]
            switch selection {
            case .applications(let ids): approved = try transaction.approvedWithoutAgreement(applicationIDs: ids)
            case .allApproved: approved = try transaction.approvedWithoutAgreement()
            }
            var summary = Summary()
            for item in approved {
                let (agreement, loan, line) = try sign(item)
                try transaction.insert(agreement: agreement, loan: loan, line: line)
                if loan != nil { summary.loans += 1 } else { summary.lines += 1 }
            }
            return summary
        }
    }

    /// The agreement of one approved application, and the loan or line it makes.
    public func sign(_ item: ApprovedApplication) throws -> (AgreementRecord, StoredLoan?, StoredLine?) {
        let application = item.application
        let decision = item.decision
        let terms = try products.terms(for: application.product)
        let personal = PersonalFields(opened: try protector.open(application.personalData))
        let day = decision.decidedAt.day(atOffsetSeconds: utcOffsetSeconds)
        let text = AgreementText(applicationID: application.applicationID, product: application.product, terms: terms,
                                 amount: decision.approvedLimit, termMonths: application.termMonths, apr: decision.apr,
                                 borrowerName: personal.name, borrowerIDNumber: personal.idNumber, signer: signer,
                                 signedAt: decision.decidedAt, illustrationDay: day)
        let rendered: String
        let schedule: [Installment]
        do {
            schedule = try text.schedule()
            rendered = text.render(schedule: schedule)
        } catch let error as ServicingError {
            throw LendingError(code: "agreement.terms", message: "application \(application.applicationID) cannot be signed: \(error.message)")
        }
        let record = AgreementRecord(
            applicationID: application.applicationID, product: application.product, kind: terms.kind, amount: decision.approvedLimit,
            termMonths: application.termMonths, apr: decision.apr, termsJSON: text.termsJSON, scheduleJSON: AgreementText.scheduleJSON(schedule),
            textHash: Array(SHA256.hash(data: Array(rendered.utf8))), sealedText: protector.seal(Array(rendered.utf8)), signer: signer,
            signedAt: decision.decidedAt)
        switch terms.kind {
        case .installment:
            let loan = StoredLoan(loanID: application.applicationID, applicationID: application.applicationID, product: application.product,
                                  principal: decision.approvedLimit, termMonths: application.termMonths, apr: decision.apr, signedOn: day)
            return (record, loan, nil)
        case .revolving:
            let line = StoredLine(line: CreditLine(lineID: application.applicationID, limit: decision.approvedLimit, apr: decision.apr),
                                  applicationID: application.applicationID, product: application.product, signedOn: day)
            return (record, nil, line)
        }
    }

    /// The application ids of an applications file (its `application_id` column), in file order.
    /// - Throws: ``CSVError`` when the file cannot be read or has no such column.
    public static func applicationIDs(inFile path: String) throws -> [String] {
        var ids: [String] = []
        var column: Int?
        try CSVRecordReader.read(path: path, keepRaw: false, header: { (names: [String]) throws(LendingError) in
            column = names.firstIndex(of: "application_id")
            if column == nil {
                throw LendingError(code: "agreement.header", message: "the header lacks \"application_id\"", location: SourceLocation(file: path, line: 1, column: 1))
            }
        }, record: { (record: CSVRecord) throws(LendingError) in
            if let column, column < record.fields.count { ids.append(record.fields[column]) }
        })
        return ids
    }
}
