/// Everything `lending train` and `lending evaluate` know about a model and its data, as
/// plain values: what is printed, and what the HTML report draws.
public struct TrainingReport: Codable, Sendable, Equatable {
    /// The report's title (the model's name and version).
    public var title: String
    /// One line per option used (`max bins: 8`), in a stable order.
    public var settings: [String]
    /// Binning of every candidate characteristic, selected or not.
    public var characteristics: [CharacteristicReport]
    /// The regression: intercept first, then one row per selected characteristic.
    public var coefficients: [CoefficientReport]
    /// Train, then test (if any): discrimination and calibration.
    public var samples: [SampleReport]
    /// Population stability of the score, test against train (nil without a test sample).
    public var scorePSI: Double?
    /// Characteristic stability, test against train, by characteristic name.
    public var characteristicCSI: [NamedValue]
    /// Things the analyst should know (separation, collinearity, dropped characteristics).
    public var warnings: [String]
    /// Cross-validation's choice and curve, when it ran.
    public var tuning: TuningResult?

    public init(title: String, settings: [String] = [], characteristics: [CharacteristicReport] = [],
                coefficients: [CoefficientReport] = [], samples: [SampleReport] = [], scorePSI: Double? = nil,
                characteristicCSI: [NamedValue] = [], warnings: [String] = []) {
        self.title = title
        self.settings = settings
        self.characteristics = characteristics
        self.coefficients = coefficients
        self.samples = samples
        self.scorePSI = scorePSI
        self.characteristicCSI = characteristicCSI
        self.warnings = warnings
    }
}

public struct NamedValue: Codable, Sendable, Equatable {
    public var name: String
    public var value: Double
    public init(name: String, value: Double) { self.name = name; self.value = value }
}

/// One characteristic's bins on the training sample.
public struct CharacteristicReport: Codable, Sendable, Equatable {
    public var name: String
    /// `numeric` or `categorical`.
    public var kind: String
    public var informationValue: Double
    public var selected: Bool
    /// Why it was not selected, if it was not (`IV 0.004 below 0.02`).
    public var note: String?
    public var bins: [BinReport]

    public init(name: String, kind: String, informationValue: Double, selected: Bool, note: String? = nil, bins: [BinReport]) {
        self.name = name
        self.kind = kind
        self.informationValue = informationValue
        self.selected = selected
        self.note = note
        self.bins = bins
    }
}

/// One bin: label, counts, bad rate, WoE (ln of bad share over good share: positive is
/// riskier), its IV contribution, and its points when the characteristic is in the model.
public struct BinReport: Codable, Sendable, Equatable {
    public var label: String
    public var count: Int
    public var goods: Int
    public var bads: Int
    public var badRate: Double
    public var woe: Double
    public var iv: Double
    public var points: Double?

    public init(label: String, count: Int, goods: Int, bads: Int, badRate: Double, woe: Double, iv: Double, points: Double? = nil) {
        self.label = label
        self.count = count
        self.goods = goods
        self.bads = bads
        self.badRate = badRate
        self.woe = woe
        self.iv = iv
        self.points = points
    }
}

/// A regression coefficient (on the characteristic's WoE) with its standard error, Wald z,
/// two-sided p-value and variance inflation factor.
public struct CoefficientReport: Codable, Sendable, Equatable {
    public var name: String
    public var estimate: Double
    public var standardError: Double
    public var z: Double
    public var pValue: Double
    public var vif: Double?

    public init(name: String, estimate: Double, standardError: Double, z: Double, pValue: Double, vif: Double? = nil) {
        self.name = name
        self.estimate = estimate
        self.standardError = standardError
        self.z = z
        self.pValue = pValue
        self.vif = vif
    }
}

/// Discrimination and calibration of the score on one sample.
public struct SampleReport: Codable, Sendable, Equatable {
    /// `train`, `test` or the evaluated file's name.
    public var name: String
    public var rows: Int
    public var bads: Int
    public var ks: Double
    public var auc: Double
    public var gini: Double
    /// Score at which KS is reached.
    public var ksScore: Double
    /// ROC curve, at most ~200 points, from (0,0) to (1,1): false and true positive rates where
    /// "positive" is bad and a lower score flags more bads.
    public var roc: [CurvePoint]
    /// Cumulative share of bads and of goods at or below each score (the KS chart), at most ~200 points.
    public var ksCurve: [KSPoint]
    /// Score histogram of goods and bads (20 equal-width bands over the score range).
    public var distribution: [ScoreBand]
    /// Predicted vs observed bad rate by score decile (lowest scores first).
    public var calibration: [CalibrationBand]

    public init(name: String, rows: Int, bads: Int, ks: Double, auc: Double, gini: Double, ksScore: Double,
                roc: [CurvePoint], ksCurve: [KSPoint], distribution: [ScoreBand], calibration: [CalibrationBand]) {
        self.name = name
        self.rows = rows
        self.bads = bads
        self.ks = ks
        self.auc = auc
        self.gini = gini
        self.ksScore = ksScore
        self.roc = roc
        self.ksCurve = ksCurve
        self.distribution = distribution
        self.calibration = calibration
    }
}

public struct CurvePoint: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

public struct KSPoint: Codable, Sendable, Equatable {
    public var score: Double
    public var cumulativeBads: Double
    public var cumulativeGoods: Double
    public init(score: Double, cumulativeBads: Double, cumulativeGoods: Double) {
        self.score = score
        self.cumulativeBads = cumulativeBads
        self.cumulativeGoods = cumulativeGoods
    }
}

public struct ScoreBand: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var goods: Int
    public var bads: Int
    public init(lower: Double, upper: Double, goods: Int, bads: Int) {
        self.lower = lower
        self.upper = upper
        self.goods = goods
        self.bads = bads
    }
}

public struct CalibrationBand: Codable, Sendable, Equatable {
    public var lowerScore: Double
    public var upperScore: Double
    public var count: Int
    /// Mean predicted probability of bad in the band.
    public var predicted: Double
    /// Observed bad rate in the band.
    public var observed: Double
    public init(lowerScore: Double, upperScore: Double, count: Int, predicted: Double, observed: Double) {
        self.lowerScore = lowerScore
        self.upperScore = upperScore
        self.count = count
        self.predicted = predicted
        self.observed = observed
    }
}
