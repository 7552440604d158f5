import LendingCSV
import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import LendingStorePorts

/// `lending whitelist import`: invitations keyed by the keyed hash of the normalised ID number.
public struct WhitelistImportJob {
    public var path: String
    public var replace: Bool
    public var rejectsPath: String?
    public var policy: LendingPolicy

    public init(path: String, replace: Bool = false, rejectsPath: String? = nil, policy: LendingPolicy = .standard) {
        self.path = path
        self.replace = replace
        self.rejectsPath = rejectsPath
        self.policy = policy
    }

    public struct Summary: Sendable, Equatable {
        public var imported = 0
        public var rejected = 0
        /// Rows whose ID number appeared earlier in the file (the later row wins).
        public var repeated = 0
        /// Entries in the whitelist afterwards.
        public var total = 0
    }

    public func run(store: any DecisionStore, protector: PersonalDataProtector) throws -> Summary {
        let rejects = try rejectsPath.map { try OutputFile(path: $0) }
        var entries: [String: WhitelistEntry] = [:]
        var summary = Summary()
        do {
            let counts = try CSVRows(path: path, required: ["id_number", "pre_credit_limit", "segment", "valid_until"], rejects: rejects,
                                     onStop: "nothing was imported").run { row in
                let id: ResidentID
                switch ResidentID.parse(row("id_number")) {
                case .success(let valid): id = valid
                case .failure(let problem): throw row.problem("id_number", "whitelist.id_number", "\"id_number\" is not a valid resident ID number: \(problem.explanation)")
                }
                guard let limit = Money(yuan: row("pre_credit_limit")), limit.fen >= 0 else {
                    throw row.problem("pre_credit_limit", "whitelist.limit", "\"pre_credit_limit\" is \"\(ApplicationReader.clip(row("pre_credit_limit")))\", not an amount in yuan such as 20000.00")
                }
                let segment = row("segment")
                guard policy.decision.pricing.segments[segment] != nil else {
                    let known = policy.decision.pricing.segments.keys.sorted().joined(separator: ", ")
                    throw row.problem("segment", "whitelist.segment", "segment \"\(ApplicationReader.clip(segment))\" is not in the policy (\(known)); use one of them or pass the policy that defines it with --policy")
                }
                guard let until = CalendarDay(iso: row("valid_until")) else {
                    throw row.problem("valid_until", "whitelist.valid_until", "\"valid_until\" is \"\(ApplicationReader.clip(row("valid_until")))\", not a date YYYY-MM-DD")
                }
                let key = hexString(protector.key(id.value, kind: .idNumber))
                if entries[key] != nil { summary.repeated += 1 }
                entries[key] = WhitelistEntry(idNumberKey: key, preCreditLimit: limit, segment: segment, validUntil: until)
            }
            summary.rejected = counts.rejected
            summary.imported = entries.count
            try store.withTransaction { transaction in
                try transaction.storeWhitelist(Array(entries.values), replacingAll: replace)
            }
            summary.total = try store.whitelistCount()
            try rejects?.commit()
        } catch {
            rejects?.abandon()
            throw error
        }
        return summary
    }
}
