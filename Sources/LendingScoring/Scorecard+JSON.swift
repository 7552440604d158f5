#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Scorecard {
    /// Reads and validates a model file.
    /// - Throws: ``ScoringError`` saying what is wrong and where.
    public static func load(path: String) throws(ScoringError) -> Scorecard {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScoringError(.io, "\(path): cannot read the model file; check the path")
        }
        return try decode(data, file: path)
    }

    /// Decodes and validates model JSON.
    public static func decode(_ data: Data, file: String = "model") throws(ScoringError) -> Scorecard {
        let model: Scorecard
        do {
            model = try JSONDecoder().decode(Scorecard.self, from: data)
        } catch let error as DecodingError {
            throw ScoringError(.invalidModel, "\(file): not a valid model file: \(describe(error))")
        } catch {
            throw ScoringError(.invalidModel, "\(file): not valid JSON; check the file is a model written by lending")
        }
        do { try model.validate() } catch {
            throw ScoringError(error.kind, "\(file): \(error.message)", characteristic: error.characteristic)
        }
        return model
    }

    /// The model as JSON: pretty, keys sorted, so the same model is always the same bytes.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain value types cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Writes the model atomically (temporary file, then rename).
    public func write(to path: String) throws(ScoringError) {
        var data = encoded()
        data.append(0x0A)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ScoringError(.io, "\(path): cannot write the model; check the directory exists and is writable")
        }
    }
}

private func describe(_ error: DecodingError) -> String {
    func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text.isEmpty ? "the top level" : text
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "\(path(context.codingPath + [key])) is required"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
        return "\(path(context.codingPath)) has the wrong type (\(context.debugDescription))"
    case .dataCorrupted(let context):
        return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}
