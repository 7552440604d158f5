#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LendingModel

extension CollectionStrategy {
    /// Decodes and validates strategy JSON (the caller reads the file: this module does no I/O).
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: the path to name in messages.
    /// - Throws: ``CollectionsError`` with the file and the field that is wrong.
    public static func decode(_ data: Data, file: String = "strategy") throws(CollectionsError) -> CollectionStrategy {
        let strategy: CollectionStrategy
        do {
            strategy = try JSONDecoder().decode(CollectionStrategy.self, from: data)
        } catch let error as DecodingError {
            throw CollectionsError(.invalidJSON, "not a valid collections strategy: \(error.plainDescription); compare with Models/collections-strategy.json", file: file)
        } catch {
            throw CollectionsError(.invalidJSON, "not valid JSON; check the file is a collections strategy", file: file)
        }
        do {
            try strategy.validate()
        } catch {
            throw CollectionsError(error.kind, error.message, file: file)
        }
        return strategy
    }

    /// The strategy as JSON: pretty, keys sorted, so the same strategy is always the same bytes.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain value types cannot fail.
        var data = (try? encoder.encode(self)) ?? Data()
        data.append(0x0A)
        return data
    }
}
