import Foundation
import LendingCollections
import LendingModel
import LendingScoring

/// The collection score: a scorecard on ``CollectionFeatures`` (points, higher = more likely to
/// pay), which orders the collections queue within a bucket and picks the risk band.
///
/// The built-in model is `Models/collection-model.json` (trained by
/// `scripts/train-collection-model.sh` with `lending train` on generated repayment history).
/// Without a model every loan gets ``neutralScore`` and the queue falls back to days past due.
public struct CollectionScorer: Sendable {
    /// The score given when there is no model (the middle risk band of the standard strategy).
    public static let neutralScore = 600.0

    public let scorer: Scorer?
    /// For each model characteristic, its index in ``CollectionFeatures/names``.
    let featureIndex: [Int]

    /// A scorer for a model whose characteristics are all collection features.
    /// - Throws: ``LendingError`` `collections.model` naming a characteristic that is not a feature.
    public init(model: Scorecard?) throws {
        guard let model else {
            scorer = nil
            featureIndex = []
            return
        }
        var indices: [Int] = []
        for characteristic in model.characteristics {
            guard let index = CollectionFeatures.names.firstIndex(of: characteristic.name) else {
                throw LendingError(code: "collections.model",
                                   message: "the collection model uses \"\(characteristic.name)\", which is not a collection feature (\(CollectionFeatures.names.joined(separator: ", "))); train it on those columns")
            }
            indices.append(index)
        }
        scorer = try Scorer(model)
        featureIndex = indices
    }

    /// No model: every loan scores ``neutralScore``.
    public static let none = try! CollectionScorer(model: nil)

    /// The built-in model: the resource `Resources/collection-model.json` (Models/collection-model.json
    /// links to it), compiled in.
    public static func builtin() throws -> CollectionScorer {
        try CollectionScorer(model: Scorecard.decode(Data(PackageResources.collection_model_json), file: "built-in collection model"))
    }

    /// Loads a model file, the built-in model when `path` is `nil`, no model for `none`.
    public static func load(path: String?) throws -> CollectionScorer {
        guard let path else { return try builtin() }
        if path == "none" { return .none }
        return try CollectionScorer(model: Scorecard.load(path: path))
    }

    /// The score of one loan's behaviour (``neutralScore`` without a model, or when the model
    /// cannot score the values).
    public func score(_ behaviour: RepaymentBehaviour) -> Double {
        guard let scorer else { return Self.neutralScore }
        let features = CollectionFeatures(behaviour).values
        let values = featureIndex.map { FeatureValue.number(features[$0]) }
        return (try? scorer.score(values, reasons: 0).score) ?? Self.neutralScore
    }
}
