import Foundation
import LendingScoring

/// The OpenAPI 3.1 document of the service, served at `GET /openapi.yaml`: the resource
/// `Resources/openapi.yaml` of this module (docs/openapi.yaml links to it), compiled in.
public enum OpenAPIDocument {
    /// The document's text, as written: `Features` (a model's characteristics) is generic.
    public static let yaml = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)

    /// The document a server with `scorecard` serves: ``yaml`` with its `Features` schema
    /// stating the model's own characteristics (those without a missing bin are required; a
    /// numeric one takes a number or a decimal string, a categorical one its known categories
    /// unless the card scores unseen ones), so that every schema-valid request can be scored.
    public static func yaml(for scorecard: Scorecard) -> String {
        guard let start = yaml.range(of: "\n    Features:\n") else { return yaml }
        var end = start.upperBound
        // The block ends at the next line indented by exactly four spaces (the next schema).
        while end < yaml.endIndex {
            let lineEnd = yaml[end...].firstIndex(of: "\n") ?? yaml.endIndex
            let line = yaml[end..<lineEnd]
            if line.hasPrefix("    "), !line.hasPrefix("     ") { break }
            end = lineEnd == yaml.endIndex ? lineEnd : yaml.index(after: lineEnd)
        }
        return String(yaml[..<start.lowerBound]) + "\n    Features: " + featuresJSON(scorecard) + "\n" + String(yaml[end...])
    }

    /// A decimal number as the scorer reads it (no `inf` or `nan`; an exponent of at most 2 digits).
    static let numberPattern = #"[ \t]*[+-]?([0-9]{1,15}(\.[0-9]{0,15})?|\.[0-9]{1,15})([eE][+-]?[0-9]{1,2})?[ \t]*"#

    /// The `Features` schema of `scorecard`, as JSON (a YAML flow mapping).
    static func featuresJSON(_ scorecard: Scorecard) -> String {
        var properties: [String: Any] = [:]
        var required: [String] = []
        for characteristic in scorecard.characteristics {
            let missingAllowed = characteristic.missing != nil
            if !missingAllowed { required.append(characteristic.name) }
            var choices: [[String: Any]] = []
            switch characteristic.kind {
            case .numeric:
                choices.append(["type": "number", "minimum": -1e300, "maximum": 1e300])
                choices.append(["type": "string", "pattern": "^\(numberPattern)$"])
            case .categorical:
                let unseen = characteristic.unseen ?? .reject
                if unseen == .reject || (unseen == .missing && !missingAllowed) {
                    let categories = characteristic.bins.flatMap { $0.categories ?? [] }
                    choices.append(["type": "string", "enum": Array(Set(categories)).sorted()])
                } else {
                    choices.append(["type": "string", "minLength": 1])
                }
            }
            if missingAllowed { choices += [["type": "null"], ["const": ""]] }
            properties[characteristic.name] = ["anyOf": choices]
        }
        let schema: [String: Any] = [
            "type": "object",
            "description": "The characteristics of the served model \(scorecard.name)@\(scorecard.version); null, absent or empty is missing, which only those with a missing bin may be. Other members are ignored, whatever their value.",
            "required": required,
            "properties": properties,
            "additionalProperties": true,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: schema, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
