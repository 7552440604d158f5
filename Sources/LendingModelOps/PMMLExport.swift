#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LendingCSV
import LendingModel
import LendingScoring

/// `lending model export --format pmml`: a scorecard as a PMML 4.4 `Scorecard` whose output
/// fields `score`, `probability` and `reason_1`..`reason_N` hold the values `lending score`
/// gives (docs/model-export.md). JPMML is the reference engine it is tested against
/// (Tests/LendingModelOpsTests/PMMLExportTests.swift).
///
/// How it matches the Swift scorer:
/// - Every characteristic becomes a `Characteristic` whose `Attribute`s are tried in order, the
///   first true one giving its `partialScore`: the missing bin first (`isMissing`), then each bin
///   (numeric: `lower <= x < upper` as `greaterOrEqual`/`lessThan`, the bins' closedness; a
///   category group: `SimpleSetPredicate isIn`, or `equal` for one category), then, for a
///   categorical characteristic whose unseen policy is `missing` or `lowest`, a last attribute
///   `isNotMissing` with the missing bin's or the lowest bin's points. A value no attribute takes
///   (a missing value with no missing bin, an unseen category under `reject`) makes the engine
///   refuse the row, as `lending score` does.
/// - `initialScore` is the base points; the engine adds the partial scores in model order, as
///   the scorer does, so the double is the same.
/// - `probability` is an output expression of `score`: `1 / (1 + exp((score - baseScore) / factor
///   + ln(baseOdds)))` with `factor = pdo / ln 2` and `ln(baseOdds)` written as the doubles the
///   scorer uses (``Scaling/probabilityOfBad(score:)``); only `exp` is the engine's own.
/// - Reasons: `reasonCodeAlgorithm="pointsBelow"` with each characteristic's `baselineScore` its
///   maximum points (the missing bin included), so an engine ranks by exactly the loss the
///   scorer ranks by (`baselineScore - partialScore`, the same double subtraction). JPMML sorts
///   stably, so ties stay in model order as in the scorer. It keeps reasons of zero points,
///   which the scorer drops: attributes at their characteristic's maximum carry the reason code
///   ``noReasonCode`` instead of the characteristic's name, all of them add up to one entry of 0
///   (ranked last), and `reason_k` is the ranked code unless it is that one or there is no k-th
///   code (then missing).
public enum PMMLExport {
    /// The largest number of reason fields.
    public static let maximumReasons = 64

    /// The reason code of attributes that lose no points (filtered out of `reason_k`).
    public static let noReasonCode = "lending:no-reason"

    /// The PMML namespace of version 4.4.
    public static let namespace = "http://www.dmg.org/PMML-4_4"

    /// The PMML document for `model` with `reasons` reason fields.
    /// - Parameter file: the model file's name, for error messages.
    /// - Throws: ``LendingError`` for a model that cannot be scored or exported.
    public static func document(model: Scorecard, reasons: Int = 4, file: String? = nil) throws -> String {
        guard reasons >= 0 && reasons <= maximumReasons else {
            throw LendingError(code: "export.reasons", message: "the number of reasons must be between 0 and \(maximumReasons)")
        }
        do { try model.validate() } catch {
            throw LendingError(code: "export.invalid_model", message: error.message, file: file)
        }
        func refuse(_ message: String) -> LendingError { LendingError(code: "export.bad_name", message: message, file: file) }
        // Text XML 1.0 cannot hold.
        try checkText(model.name, "the model's name", file: file)
        try checkText(model.version, "the model's version", file: file)
        if let description = model.description { try checkText(description, "the model's description", file: file) }
        let names = Set(model.characteristics.map(\.name))
        let rawReason = uniqueName("lending_reason_code_", avoiding: names)
        var noReason = noReasonCode
        while names.contains(noReason) { noReason += "_" }
        let outputs = ["score", "probability"] + (0..<reasons).map { "reason_\($0 + 1)" }
        for characteristic in model.characteristics {
            try checkText(characteristic.name, "a characteristic's name", file: file)
            if outputs.contains(characteristic.name) {
                throw refuse("characteristic \"\(clippedForMessage(characteristic.name))\" has the name of an output field of the PMML (score, probability, reason_1..reason_\(reasons)); rename it in the model")
            }
            for category in characteristic.bins.flatMap({ $0.categories ?? [] }) {
                try checkText(category, "a category of \"\(clippedForMessage(characteristic.name))\"", file: file)
            }
        }

        let factor = model.scaling.pdo / 0.693_147_180_559_945_3
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<PMML xmlns=\"\(namespace)\" version=\"4.4\">\n"
        xml += "  <Header description=\"\(attribute(model.description ?? "lending scorecard \(model.name) version \(model.version)"))\">\n"
        xml += "    <Application name=\"lending\" version=\"\(attribute(model.version))\"/>\n"
        xml += "  </Header>\n"
        xml += "  <DataDictionary numberOfFields=\"\(model.characteristics.count)\">\n"
        for characteristic in model.characteristics {
            let type = characteristic.kind == .numeric ? "optype=\"continuous\" dataType=\"double\"" : "optype=\"categorical\" dataType=\"string\""
            xml += "    <DataField name=\"\(attribute(characteristic.name))\" \(type)/>\n"
        }
        xml += "  </DataDictionary>\n"
        xml += "  <Scorecard modelName=\"\(attribute(model.name))\" functionName=\"regression\" useReasonCodes=\"true\""
        xml += " reasonCodeAlgorithm=\"pointsBelow\" baselineMethod=\"max\" initialScore=\"\(number(model.basePoints))\">\n"
        // What the PMML cannot say by itself, for `lending model import --format pmml`.
        xml += "    <Extension extender=\"lending\" name=\"scaling\" value=\"baseScore=\(number(model.scaling.baseScore)) baseOdds=\(number(model.scaling.baseOdds)) pdo=\(number(model.scaling.pdo))\"/>\n"
        xml += "    <Extension extender=\"lending\" name=\"version\" value=\"\(attribute(model.version))\"/>\n"
        xml += "    <MiningSchema>\n"
        for characteristic in model.characteristics {
            xml += "      <MiningField name=\"\(attribute(characteristic.name))\" usageType=\"active\"/>\n"
        }
        xml += "    </MiningSchema>\n"
        xml += "    <Output>\n"
        xml += "      <OutputField name=\"score\" optype=\"continuous\" dataType=\"double\" feature=\"predictedValue\"/>\n"
        xml += "      <OutputField name=\"probability\" optype=\"continuous\" dataType=\"double\" feature=\"transformedValue\">\n"
        xml += "        <Apply function=\"/\">\n"
        xml += "          <Constant dataType=\"double\">1</Constant>\n"
        xml += "          <Apply function=\"+\">\n"
        xml += "            <Constant dataType=\"double\">1</Constant>\n"
        xml += "            <Apply function=\"exp\">\n"
        xml += "              <Apply function=\"+\">\n"
        xml += "                <Apply function=\"/\">\n"
        xml += "                  <Apply function=\"-\">\n"
        xml += "                    <FieldRef field=\"score\"/>\n"
        xml += "                    <Constant dataType=\"double\">\(number(model.scaling.baseScore))</Constant>\n"
        xml += "                  </Apply>\n"
        xml += "                  <Constant dataType=\"double\">\(number(factor))</Constant>\n"
        xml += "                </Apply>\n"
        xml += "                <Constant dataType=\"double\">\(number(logarithm(model.scaling.baseOdds)))</Constant>\n"
        xml += "              </Apply>\n"
        xml += "            </Apply>\n"
        xml += "          </Apply>\n"
        xml += "        </Apply>\n"
        xml += "      </OutputField>\n"
        for rank in 1...max(reasons, 1) where reasons > 0 {
            let raw = attribute(rawReason + String(rank))
            xml += "      <OutputField name=\"\(raw)\" optype=\"categorical\" dataType=\"string\" feature=\"reasonCode\" rank=\"\(rank)\" isFinalResult=\"false\"/>\n"
            xml += "      <OutputField name=\"reason_\(rank)\" optype=\"categorical\" dataType=\"string\" feature=\"transformedValue\">\n"
            // Missing past the last reason; notEqual refuses a missing argument, so test that first.
            xml += "        <Apply function=\"if\">\n"
            xml += "          <Apply function=\"isNotMissing\">\n"
            xml += "            <FieldRef field=\"\(raw)\"/>\n"
            xml += "          </Apply>\n"
            xml += "          <Apply function=\"if\">\n"
            xml += "            <Apply function=\"notEqual\">\n"
            xml += "              <FieldRef field=\"\(raw)\"/>\n"
            xml += "              <Constant dataType=\"string\">\(text(noReason))</Constant>\n"
            xml += "            </Apply>\n"
            xml += "            <FieldRef field=\"\(raw)\"/>\n"
            xml += "          </Apply>\n"
            xml += "        </Apply>\n"
            xml += "      </OutputField>\n"
        }
        xml += "    </Output>\n"
        xml += "    <Characteristics>\n"
        for characteristic in model.characteristics {
            xml += self.characteristic(characteristic, noReason: noReason)
        }
        xml += "    </Characteristics>\n"
        xml += "  </Scorecard>\n"
        xml += "</PMML>\n"
        return xml
    }

    /// Writes the document to `output` atomically (`-` for standard output).
    public static func export(modelPath: String, reasons: Int = 4, output: String) throws {
        let model = try Scorecard.load(path: modelPath)
        var text = try document(model: model, reasons: reasons, file: modelPath)
        let file = try OutputFile(path: output)
        try text.withUTF8 { try file.write(UnsafeRawBufferPointer($0)) }
        try file.commit()
    }

    // MARK: Characteristics

    static func characteristic(_ characteristic: Characteristic, noReason: String) -> String {
        let field = attribute(characteristic.name)
        var candidates = characteristic.bins.map(\.points)
        if let missing = characteristic.missing { candidates.append(missing.points) }
        let maximum = candidates.max()!
        var xml = "      <Characteristic name=\"\(field)\" reasonCode=\"\(field)\" baselineScore=\"\(number(maximum))\">\n"
        func add(_ points: Double, _ predicate: String) {
            let reason = maximum - points > 0 ? "" : " reasonCode=\"\(attribute(noReason))\""
            xml += "        <Attribute partialScore=\"\(number(points))\"\(reason)>\n"
            xml += predicate
            xml += "        </Attribute>\n"
        }
        let indent = "          "
        if let missing = characteristic.missing {
            add(missing.points, indent + "<SimplePredicate field=\"\(field)\" operator=\"isMissing\"/>\n")
        }
        switch characteristic.kind {
        case .numeric:
            for bin in characteristic.bins {
                let lower = bin.lower.map { "<SimplePredicate field=\"\(field)\" operator=\"greaterOrEqual\" value=\"\(number($0))\"/>" }
                let upper = bin.upper.map { "<SimplePredicate field=\"\(field)\" operator=\"lessThan\" value=\"\(number($0))\"/>" }
                switch (lower, upper) {
                case let (lower?, upper?):
                    add(bin.points, indent + "<CompoundPredicate booleanOperator=\"and\">\n" + indent + "  " + lower + "\n"
                        + indent + "  " + upper + "\n" + indent + "</CompoundPredicate>\n")
                case let (lower?, nil): add(bin.points, indent + lower + "\n")
                case let (nil, upper?): add(bin.points, indent + upper + "\n")
                // One bin for every number: any value that is not missing.
                case (nil, nil): add(bin.points, indent + "<SimplePredicate field=\"\(field)\" operator=\"isNotMissing\"/>\n")
                }
            }
        case .categorical:
            for bin in characteristic.bins {
                // The empty text is a missing value to the scorer: it never matches a bin.
                let categories = (bin.categories ?? []).filter { !$0.isEmpty }
                guard !categories.isEmpty else { continue }
                add(bin.points, indent + categoryPredicate(field: field, categories) + "\n")
            }
            switch characteristic.unseen ?? .reject {
            case .reject: break
            case .missing:
                add(characteristic.missing!.points, indent + "<SimplePredicate field=\"\(field)\" operator=\"isNotMissing\"/>\n")
            case .lowest:
                let lowest = characteristic.bins.map(\.points).min()!
                add(lowest, indent + "<SimplePredicate field=\"\(field)\" operator=\"isNotMissing\"/>\n")
            }
        }
        xml += "      </Characteristic>\n"
        return xml
    }

    /// `equal` for one category; `isIn` with a string Array for several, every value quoted
    /// (`"` written `\"`). A value ending in a backslash cannot be quoted there (JPMML reads `\"`
    /// as a quote), so such a group becomes an `or` of `equal`s.
    static func categoryPredicate(field: String, _ categories: [String]) -> String {
        func equal(_ category: String) -> String {
            "<SimplePredicate field=\"\(field)\" operator=\"equal\" value=\"\(attribute(category))\"/>"
        }
        if categories.count == 1 { return equal(categories[0]) }
        if categories.contains(where: { $0.hasSuffix("\\") }) {
            return "<CompoundPredicate booleanOperator=\"or\">" + categories.map(equal).joined() + "</CompoundPredicate>"
        }
        let values = categories.map { "\"" + text($0.replacingScalar("\"", with: "\\\"")) + "\"" }.joined(separator: " ")
        return "<SimpleSetPredicate field=\"\(field)\" booleanOperator=\"isIn\"><Array type=\"string\" n=\"\(categories.count)\">"
            + values + "</Array></SimpleSetPredicate>"
    }

    // MARK: Text

    /// Refuses text that XML 1.0 cannot hold: control characters other than tab, line feed and
    /// carriage return, and the noncharacters U+FFFE and U+FFFF.
    static func checkText(_ value: String, _ what: String, file: String?) throws {
        for scalar in value.unicodeScalars {
            let code = scalar.value
            if (code < 0x20 && code != 0x09 && code != 0x0A && code != 0x0D) || code == 0xFFFE || code == 0xFFFF {
                throw LendingError(code: "export.bad_text",
                                   message: "\(what) contains the character U+\(String(code, radix: 16, uppercase: true)), which XML cannot hold; remove it from the model",
                                   file: file)
            }
        }
    }

    /// Text for an attribute value in double quotes: `& < > "` as entities, tab, line feed and
    /// carriage return as character references (so a parser does not turn them into spaces).
    public static func attribute(_ value: String) -> String { escape(value, attribute: true) }

    /// Text for element content: `& < >` as entities, carriage return as a reference (a parser
    /// would turn it into a line feed).
    public static func text(_ value: String) -> String { escape(value, attribute: false) }

    static func escape(_ value: String, attribute: Bool) -> String {
        var result = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where attribute: result.append(contentsOf: "&quot;".unicodeScalars)
            case "\t" where attribute: result.append(contentsOf: "&#9;".unicodeScalars)
            case "\n" where attribute: result.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": result.append(contentsOf: "&#13;".unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// A number as the shortest text that reads back as the same double (integers without a point).
    public static func number(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func uniqueName(_ prefix: String, avoiding names: Set<String>) -> String {
        var prefix = prefix
        while names.contains(where: { $0.hasPrefix(prefix) }) { prefix = "_" + prefix }
        return prefix
    }
}

extension String {
    /// Replaces a Unicode scalar (not a grapheme: a quote followed by a combining mark is still a quote).
    func replacingScalar(_ target: Unicode.Scalar, with replacement: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == target { result.append(contentsOf: replacement.unicodeScalars) } else { result.append(scalar) }
        }
        return String(result)
    }
}

private func logarithm(_ value: Double) -> Double { log(value) }
