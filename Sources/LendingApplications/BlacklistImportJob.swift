import LendingCSV
import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import LendingStorePorts

/// `lending blacklist import`: values keyed like the application path keys them.
public struct BlacklistImportJob {
    public var path: String
    public var rejectsPath: String?

    public init(path: String, rejectsPath: String? = nil) {
        self.path = path
        self.rejectsPath = rejectsPath
    }

    public struct Summary: Sendable, Equatable {
        public var imported = 0
        public var rejected = 0
        public var byType: [String: Int] = [:]
    }

    public func run(store: any DecisionStore, protector: PersonalDataProtector) throws -> Summary {
        let rejects = try rejectsPath.map { try OutputFile(path: $0) }
        var entries: [BlacklistEntry] = []
        var summary = Summary()
        do {
            let counts = try CSVRows(path: path, required: ["type", "value", "reason"], rejects: rejects, onStop: "nothing was imported").run { row in
                guard let type = FraudDimension(rawValue: row("type")) else {
                    throw row.problem("type", "blacklist.type", "type \"\(ApplicationReader.clip(row("type")))\" is not one of \(FraudDimension.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let value = NormalisedIdentifiers.normalise(row("value"), as: type)
                guard !value.isEmpty else { throw row.problem("value", "blacklist.value", "\"value\" is empty; give the value to block") }
                var until: CalendarDay?
                if !row("valid_until").isEmpty {
                    guard let day = CalendarDay(iso: row("valid_until")) else {
                        throw row.problem("valid_until", "blacklist.valid_until", "\"valid_until\" is \"\(ApplicationReader.clip(row("valid_until")))\", not a date YYYY-MM-DD (or leave it empty for no end)")
                    }
                    until = day
                }
                let reason = row("reason")
                entries.append(BlacklistEntry(type: type, valueKey: hexString(protector.key(value, kind: NormalisedIdentifiers.kind(type))),
                                              reason: reason.isEmpty ? "unspecified" : reason, validUntil: until))
                summary.byType[type.rawValue, default: 0] += 1
            }
            summary.rejected = counts.rejected
            summary.imported = entries.count
            try store.withTransaction { transaction in try transaction.storeBlacklist(entries) }
            try rejects?.commit()
        } catch {
            rejects?.abandon()
            throw error
        }
        return summary
    }
}
