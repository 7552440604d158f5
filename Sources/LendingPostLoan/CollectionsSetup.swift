import Foundation
import LendingCollections
import LendingModel

/// Loads what post-loan runs on: the collections strategy and the collection model.
public enum CollectionsSetup {
    /// The strategy of a file, or the standard one (`Models/collections-strategy.json`) when `path` is `nil`.
    /// - Throws: ``CollectionsError`` for a file that is not a valid strategy, ``LendingError`` when it cannot be read.
    public static func strategy(path: String?) throws -> CollectionStrategy {
        guard let path else { return .standard }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LendingError(code: "collections.strategy_file", message: "cannot read the collections strategy; check the path", file: path)
        }
        return try CollectionStrategy.decode(data, file: path)
    }

    /// The engine and the scorer for a strategy file and a collection model file (built-in ones when `nil`).
    public static func load(strategyPath: String?, modelPath: String?) throws -> (CollectionEngine, CollectionScorer) {
        (try CollectionEngine(strategy: try strategy(path: strategyPath)), try CollectionScorer.load(path: modelPath))
    }
}
