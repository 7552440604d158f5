import LendingCSV
import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring

/// Reads a CSV file row by row with named columns: checks the header for required columns, and
/// for each row either stops at the first problem or sets the row aside in a rejects file.
struct CSVRows {
    var path: String
    var required: [String]
    var rejects: OutputFile?
    /// What the stop message says was done with earlier rows.
    var onStop: String

    struct Counts {
        var rows = 0
        var rejected = 0
    }

    /// A row's named fields and where each is.
    struct Row {
        let record: CSVRecord
        let columns: [String: Int]

        func callAsFunction(_ name: String) -> String { columns[name].map { record.fields[$0] } ?? "" }

        func problem(_ field: String, _ code: String, _ message: String) -> ApplicationError {
            ApplicationError(code: code, field: field, message: message, location: record.location(ofField: columns[field] ?? 0))
        }
    }

    func run(_ body: (Row) throws -> Void) throws -> Counts {
        var counts = Counts()
        var columns: [String: Int] = [:]
        var buffer = CSVOutputBuffer(capacity: 1 << 12)
        buffer.appendRecord(["line", "column", "reason", "raw"])
        try CSVRecordReader.read(path: path, header: { (names: [String]) throws(ApplicationError) in
            for (index, name) in names.enumerated() { columns[name] = index }
            let missing = required.filter { columns[$0] == nil }
            if !missing.isEmpty {
                throw ApplicationError(code: "csv.columns", field: missing[0],
                                       message: "the header lacks \(missing.map { "\"\($0)\"" }.joined(separator: ", ")); add the column\(missing.count > 1 ? "s" : "")",
                                       location: SourceLocation(file: path, line: 1, column: 1))
            }
        }, record: { (record: CSVRecord) throws in
            counts.rows += 1
            do {
                if let problem = record.problem { throw problem }
                try body(Row(record: record, columns: columns))
            } catch let problem as any LendingDiagnostic {
                guard rejects != nil else {
                    throw LendingError(code: problem.code, message: problem.message + "; " + onStop + ": fix the row and run again, or pass --rejects FILE to set such rows aside",
                                       location: problem.location, file: problem.file ?? path)
                }
                let location = problem.location ?? SourceLocation(file: path, line: record.line, column: 1)
                buffer.appendRecord([String(location.line), String(location.column), problem.message, record.raw])
                counts.rejected += 1
            }
        })
        try rejects?.write(buffer)
        return counts
    }
}

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

/// `lending whitelist build`: scores a population and invites everyone at or above a score,
/// with the limit and segment of their band (the policy's `whitelist.bands`).
public struct WhitelistBuildJob {
    public var populationPath: String
    public var outputPath: String
    public var minimumScore: Double
    /// Invitations are valid through `asOf` plus the policy's `validDays`.
    public var asOf: CalendarDay
    public var rejectsPath: String?
    public var policy: LendingPolicy

    public init(populationPath: String, outputPath: String, minimumScore: Double, asOf: CalendarDay, rejectsPath: String? = nil,
                policy: LendingPolicy = .standard) {
        self.populationPath = populationPath
        self.outputPath = outputPath
        self.minimumScore = minimumScore
        self.asOf = asOf
        self.rejectsPath = rejectsPath
        self.policy = policy
    }

    public struct Summary: Sendable, Equatable {
        public var rows = 0
        public var invited = 0
        public var rejected = 0
        public var bySegment: [String: Int] = [:]
    }

    public func run(scorer: Scorer) throws -> Summary {
        let output = try OutputFile(path: outputPath)
        let rejects = try rejectsPath.map { try OutputFile(path: $0) }
        var summary = Summary()
        let validUntil = asOf.adding(days: policy.whitelist.validDays).description
        do {
            var buffer = CSVOutputBuffer(capacity: 1 << 16)
            buffer.appendRecord(["id_number", "pre_credit_limit", "segment", "valid_until", "score"])
            let names = scorer.compiled.names
            let counts = try CSVRows(path: populationPath, required: ["id_number"] + names, rejects: rejects, onStop: "no list was written").run { row in
                let id: ResidentID
                switch ResidentID.parse(row("id_number")) {
                case .success(let valid): id = valid
                case .failure(let problem): throw row.problem("id_number", "whitelist.id_number", "\"id_number\" is not a valid resident ID number: \(problem.explanation)")
                }
                let result: ScoreResult
                do {
                    result = try scorer.score(texts: names.map { row($0) }, reasons: 0)
                } catch let error as ScoringError {
                    throw row.problem(error.characteristic ?? "id_number", "whitelist.characteristic", error.message)
                }
                guard let band = policy.whitelist.band(for: result.score, minimumScore: minimumScore) else { return }
                buffer.appendRecord([id.value, band.preCreditLimit.yuanString, band.segment, validUntil, ByteSink.text { $0.writeScore(result.score) }])
                summary.invited += 1
                summary.bySegment[band.segment, default: 0] += 1
                if buffer.count > 1 << 16 { try output.write(buffer); buffer.removeAll() }
            }
            summary.rows = counts.rows
            summary.rejected = counts.rejected
            try output.write(buffer)
            try output.commit()
            try rejects?.commit()
        } catch {
            output.abandon()
            rejects?.abandon()
            throw error
        }
        return summary
    }
}

/// `lending decisions verify`: the chain holds (no record edited, removed, inserted or moved),
/// and every stored application still has the decision it was stored with (a removed last row).
public struct DecisionVerification: Sendable, Equatable {
    public var decisions: Int
    /// The last record's hash: publish it, and a later `--expect-head` shows nothing was cut off.
    public var headHash: String
    public var problems: [String]

    public var holds: Bool { problems.isEmpty }

    public static func run(store: any DecisionStore, expectHead: String? = nil) throws -> DecisionVerification {
        var verifier = DecisionChain.Verifier()
        var problems: [String] = []
        try store.forEachDecision { record in
            guard problems.isEmpty else { return }
            if let problem = verifier.check(record) {
                switch problem {
                case .edited(_, let sequence):
                    problems.append("decision \(sequence) (application \(record.applicationID)) was edited: its hash does not match its contents")
                case .unlinked(_, let sequence):
                    problems.append("decision \(sequence) does not follow the one before it: a decision was removed, inserted or moved before it")
                case .sequenceGap(_, let expected, let found):
                    problems.append("decision \(expected) is missing (found \(found) next): a decision was removed")
                }
            }
        }
        let orphans = try store.applicationsWithoutDecision()
        if !orphans.isEmpty {
            problems.append("\(orphans.count) application(s) lost their decision, first \(orphans[0]): a decision row was removed")
        }
        if let expectHead, expectHead != verifier.headHash {
            problems.append("the last decision's hash is \(verifier.headHash), not the expected \(expectHead): decisions were removed from the end or added")
        }
        return DecisionVerification(decisions: verifier.count, headHash: verifier.headHash, problems: problems)
    }
}
