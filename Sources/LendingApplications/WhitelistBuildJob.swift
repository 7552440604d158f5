import LendingCSV
import LendingDecisioning
import LendingFraud
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring

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
