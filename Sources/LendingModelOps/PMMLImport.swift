import LendingCSV
import LendingModel
import LendingScoring

/// `lending model import --format pmml`: a PMML Scorecard (PMML 4.x, from `lending model export`
/// or another tool) as a lending model that scores every row as a PMML engine does
/// (docs/model-export.md).
///
/// Each characteristic must bin one field. Its attributes are read as PMML evaluates them, the
/// first true one winning, with three-valued logic for missing values: `SimplePredicate` (every
/// operator), `SimpleSetPredicate` (`isIn`, `isNotIn`), `CompoundPredicate` (`and`, `or`, `xor`,
/// `surrogate`), `True` and `False`. A numeric field's attributes are evaluated on every interval
/// between the numbers they name, and at those numbers, and the result is written as
/// left-closed bins; `x <= b` becomes a bin that ends at the next double above `b`, which is the
/// same test on doubles. A categorical field's attributes are evaluated for every category they
/// (or the DataField's values) name and for a category they do not name, which gives the unseen
/// policy. What lending cannot say is refused with the file, line and column of the element.
public enum PMMLImport {
    /// The model and what the card does that lending does differently (reason codes), one line each.
    public struct Result: Sendable {
        public var model: Scorecard
        public var warnings: [String]
    }

    /// Reads a PMML file. `scaling`, when given, replaces the scaling recorded by `lending model
    /// export` (other tools' PMML has none: then `scaling` or 600 points at 19:1, 50 to double).
    public static func importFile(path: String, name: String?, version: String?, scaling: Scaling?) throws -> Result {
        let fd = try openInput(path)
        defer { closeInput(fd) }
        var bytes: [UInt8] = []
        var chunker = CSVByteBlocks(fileDescriptor: fd)
        while let block = try chunker.next() {
            bytes.append(contentsOf: block)
            guard bytes.count <= 64 << 20 else {
                throw LendingError(code: "import.pmml_size", message: "the PMML file is over 64 MiB; a scorecard is far smaller", file: path)
            }
        }
        var result = try read(bytes, file: path, name: name, version: version, scaling: scaling)
        result.model.source = Scorecard.Source(tool: result.model.source?.tool ?? "pmml", file: lastPathComponent(path),
                                               sha256: try sha256(ofFile: path), rows: nil)
        return result
    }

    /// Builds the model from a PMML document's bytes (UTF-8).
    public static func read(_ bytes: [UInt8], file: String, name: String?, version: String?, scaling: Scaling?) throws -> Result {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LendingError(code: "import.pmml_encoding", message: "the file is not valid UTF-8; save the PMML as UTF-8", file: file)
        }
        var reader = XMLReader(text: text, file: file)
        let root = try reader.document()
        var builder = Builder(file: file)
        return try builder.build(root, name: name, version: version, scaling: scaling)
    }
}

// MARK: - The model

private enum Value {
    case missing
    case number(Double)
    case category(String)
}

private struct Builder {
    let file: String
    var warnings: [String] = []

    init(file: String) { self.file = file }

    func fail(_ node: XMLNode, _ message: String, code: String = "import.pmml_unsupported") -> LendingError {
        LendingError(code: code, message: message, location: SourceLocation(file: file, line: node.line, column: node.column))
    }

    mutating func build(_ root: XMLNode, name: String?, version: String?, scaling: Scaling?) throws -> PMMLImport.Result {
        guard root.name == "PMML" else {
            throw fail(root, "the root element is <\(clippedForMessage(root.name))>, not <PMML>; give a PMML document", code: "import.pmml_not_pmml")
        }
        let pmmlVersion = root["version"] ?? ""
        guard pmmlVersion.hasPrefix("4.") || pmmlVersion.hasPrefix("3.") else {
            throw fail(root, "PMML version \"\(clippedForMessage(pmmlVersion))\" is not supported; this reads PMML 3.x and 4.x")
        }
        var fields: [String: XMLNode] = [:]
        var models: [XMLNode] = []
        var application: String?
        for child in root.children {
            switch child.name {
            case "Header": application = child.children.first { $0.name == "Application" }?["name"]
            case "MiningBuildTask", "Extension": continue
            case "DataDictionary":
                for field in child.children where field.name == "DataField" {
                    guard let name = field["name"] else { throw fail(field, "a DataField has no name") }
                    fields[name] = field
                }
            case "TransformationDictionary":
                if let derived = child.children.first(where: { $0.name != "Extension" }) {
                    throw fail(derived, "derived fields and functions (<\(derived.name)>) are not supported; lending bins the input fields themselves")
                }
            default: models.append(child)
            }
        }
        guard let scorecard = models.first else { throw fail(root, "the document holds no model; give a PMML with a <Scorecard>") }
        guard models.count == 1 else {
            throw fail(models[1], "the document holds \(models.count) models; lending imports one Scorecard per file")
        }
        guard scorecard.name == "Scorecard" else {
            throw fail(scorecard, "the model is a \(clippedForMessage(scorecard.name)), not a Scorecard; lending imports PMML Scorecards only")
        }
        if let function = scorecard["functionName"], function != "regression" {
            throw fail(scorecard, "a Scorecard with functionName \"\(clippedForMessage(function))\" is not supported; it must be regression")
        }
        var mining: [String: XMLNode] = [:]
        var characteristicsNode: XMLNode?
        var extensions: [String: String] = [:]
        for child in scorecard.children {
            switch child.name {
            case "MiningSchema":
                for field in child.children where field.name == "MiningField" {
                    if let name = field["name"] { mining[name] = field }
                }
            case "Characteristics": characteristicsNode = child
            case "Output", "ModelStats", "ModelExplanation", "ModelVerification": continue
            case "Extension":
                if child["extender"] == "lending", let key = child["name"] { extensions[key] = child["value"] ?? "" }
            case "Targets":
                for target in child.children where target.name == "Target" {
                    if (target["rescaleFactor"].map { Double($0) != 1 } ?? false) || (target["rescaleConstant"].map { Double($0) != 0 } ?? false)
                        || target["castInteger"] != nil || target["min"] != nil || target["max"] != nil {
                        throw fail(target, "a Target that rescales, rounds or clips the score is not supported; fold it into the points")
                    }
                }
            case "LocalTransformations":
                if let derived = child.children.first(where: { $0.name != "Extension" }) {
                    throw fail(derived, "local transformations (<\(derived.name)>) are not supported; lending bins the input fields themselves")
                }
            default:
                throw fail(child, "<\(clippedForMessage(child.name))> in a Scorecard is not supported")
            }
        }
        guard let characteristicsNode else { throw fail(scorecard, "the Scorecard has no <Characteristics>") }
        let initialScore = try number(scorecard["initialScore"] ?? "0", scorecard, "initialScore")
        let useReasonCodes = scorecard["useReasonCodes"] != "false"
        let algorithm = scorecard["reasonCodeAlgorithm"] ?? "pointsBelow"
        guard algorithm == "pointsBelow" || algorithm == "pointsAbove" else {
            throw fail(scorecard, "reasonCodeAlgorithm \"\(clippedForMessage(algorithm))\" is not one PMML defines (pointsBelow, pointsAbove)")
        }
        let defaultBaseline = try scorecard["baselineScore"].map { try number($0, scorecard, "baselineScore") }

        var characteristics: [Characteristic] = []
        var reasonsDiffer = !useReasonCodes || algorithm != "pointsBelow"
        var codesDiffer = false
        var used: Set<String> = []
        for node in characteristicsNode.children where node.name == "Characteristic" {
            let (characteristic, baseline, codes) = try self.characteristic(node, fields: fields, mining: mining)
            guard used.insert(characteristic.name).inserted else {
                throw fail(node, "a second characteristic bins field \"\(clippedForMessage(characteristic.name))\"; lending needs one characteristic per field (merge them)")
            }
            var all = characteristic.bins.map(\.points)
            if let missing = characteristic.missing { all.append(missing.points) }
            let chosen = baseline ?? defaultBaseline
            if useReasonCodes && chosen == nil {
                throw fail(node, "the Scorecard uses reason codes but this characteristic has no baselineScore and the Scorecard gives none")
            }
            if chosen != all.max() { reasonsDiffer = true }
            // lending's own export marks attributes at their maximum with a code of its own.
            if codes.contains(where: { $0 != characteristic.name && !$0.hasPrefix(PMMLExport.noReasonCode) }) { codesDiffer = true }
            characteristics.append(characteristic)
        }
        guard !characteristics.isEmpty else { throw fail(characteristicsNode, "the Scorecard has no characteristics") }
        if useReasonCodes && reasonsDiffer {
            warnings.append("the card ranks reasons by \(algorithm) against its baselineScores; lending ranks them by points below each characteristic's maximum, so reasons can differ from the card's engine (scores do not)")
        } else if !useReasonCodes {
            warnings.append("the card has no reason codes; lending ranks reasons by points below each characteristic's maximum")
        }
        if useReasonCodes && codesDiffer {
            warnings.append("reasons are named by the characteristic's field, not by the card's reason codes")
        }

        var modelScaling = scaling ?? Scaling(baseScore: 600, baseOdds: 19, pdo: 50)
        if scaling == nil, let recorded = extensions["scaling"] {
            var values: [String: Double] = [:]
            for part in recorded.split(separator: " ") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2, let value = Scorer.parseNumber(String(pair[1])) { values[String(pair[0])] = value }
            }
            if let score = values["baseScore"], let odds = values["baseOdds"], let pdo = values["pdo"] {
                modelScaling = Scaling(baseScore: score, baseOdds: odds, pdo: pdo)
            }
        }
        let modelName = name ?? scorecard["modelName"] ?? "pmml"
        let modelVersion = version ?? extensions["version"] ?? "1"
        var model = Scorecard(name: modelName, version: modelVersion, description: nil,
                              source: Scorecard.Source(tool: application.map { "pmml (\(clippedForMessage($0)))" } ?? "pmml"),
                              scaling: modelScaling, basePoints: initialScore, characteristics: characteristics)
        do { try model.validate() } catch {
            throw LendingError(code: "import.pmml_invalid", message: "the imported model is not valid: \(error.message)", file: file)
        }
        model.description = "imported from PMML \(pmmlVersion)"
        return PMMLImport.Result(model: model, warnings: warnings)
    }

    func number(_ text: String, _ node: XMLNode, _ what: String) throws -> Double {
        guard let value = Scorer.parseNumber(text), value.isFinite else {
            throw fail(node, "\(what) \"\(clippedForMessage(text))\" is not a finite number", code: "import.pmml_number")
        }
        return value
    }

    // MARK: Characteristics

    struct Attribute {
        var points: Double
        var predicate: Predicate
        var node: XMLNode
    }

    func characteristic(_ node: XMLNode, fields: [String: XMLNode], mining: [String: XMLNode]) throws -> (Characteristic, Double?, [String]) {
        var attributes: [Attribute] = []
        var codes: [String] = []
        for child in node.children {
            guard child.name == "Attribute" else {
                if child.name == "Extension" { continue }
                throw fail(child, "<\(clippedForMessage(child.name))> in a Characteristic is not supported")
            }
            var predicate: Predicate?
            for part in child.children {
                switch part.name {
                case "Extension": continue
                case "ComplexPartialScore": throw fail(part, "ComplexPartialScore (points computed by an expression) is not supported; give partialScore")
                default:
                    guard predicate == nil else { throw fail(part, "an Attribute has a second predicate") }
                    predicate = try self.predicate(part)
                }
            }
            guard let predicate else { throw fail(child, "an Attribute has no predicate") }
            guard let text = child["partialScore"] else { throw fail(child, "an Attribute has no partialScore") }
            attributes.append(Attribute(points: try number(text, child, "partialScore"), predicate: predicate, node: child))
            if let code = child["reasonCode"] ?? node["reasonCode"] { codes.append(code) }
        }
        guard !attributes.isEmpty else { throw fail(node, "a Characteristic has no attributes") }
        var used: [String] = []
        for attribute in attributes { attribute.predicate.collectFields(into: &used) }
        guard let field = used.first else {
            throw fail(node, "no attribute of this characteristic tests a field; fold its points into initialScore")
        }
        if let other = used.first(where: { $0 != field }) {
            throw fail(node, "this characteristic's attributes test fields \"\(clippedForMessage(field))\" and \"\(clippedForMessage(other))\"; lending needs each characteristic to bin one field")
        }
        guard let dataField = fields[field] else { throw fail(node, "field \"\(clippedForMessage(field))\" is not in the DataDictionary") }
        let optype = dataField["optype"] ?? ""
        let dataType = dataField["dataType"] ?? ""
        let numericType = ["double", "float", "integer"].contains(dataType)
        let numeric: Bool
        switch optype {
        case "continuous": numeric = true
        case "categorical", "ordinal":
            guard dataType == "string" else {
                throw fail(dataField, "categorical field \"\(clippedForMessage(field))\" has dataType \(clippedForMessage(dataType)); lending matches categories as text (dataType string)")
            }
            numeric = false
        default:
            guard numericType || dataType == "string" else { throw fail(dataField, "field \"\(clippedForMessage(field))\" needs an optype (continuous or categorical)") }
            numeric = numericType
        }
        let miningField = mining[field]
        if let usage = miningField?["usageType"], usage != "active" {
            throw fail(miningField!, "field \"\(clippedForMessage(field))\" is binned by a characteristic but its usageType is \(clippedForMessage(usage))")
        }
        if let outliers = miningField?["outliers"], outliers != "asIs" {
            throw fail(miningField!, "outliers=\"\(clippedForMessage(outliers))\" is not supported; lending bins every value as it is")
        }
        let invalid = miningField?["invalidValueTreatment"] ?? "returnInvalid"
        var replacement: Value?
        if let text = miningField?["missingValueReplacement"] {
            replacement = numeric ? .number(try number(text, miningField!, "missingValueReplacement")) : .category(text)
        }
        let missingInvalid = miningField?["missingValueTreatment"] == "returnInvalid"

        func select(_ value: Value) -> Int? {
            var value = value
            if case .missing = value {
                if missingInvalid { return nil }
                if let replacement { value = replacement }
            }
            return attributes.firstIndex { $0.predicate.evaluate(value) == true }
        }
        let missingAttribute = select(.missing)
        let missing = missingAttribute.map { MissingBin(points: attributes[$0].points) }
        let baseline = try node["baselineScore"].map { try number($0, node, "baselineScore") }

        if numeric {
            if dataField.children.contains(where: { $0.name == "Interval" }) && invalid != "asIs" {
                throw fail(dataField, "field \"\(clippedForMessage(field))\" has an Interval of valid values; lending scores every number (set invalidValueTreatment=\"asIs\" or remove the Interval)")
            }
            var cuts: [Double] = []
            for attribute in attributes { try attribute.predicate.collectNumbers(into: &cuts, builder: self) }
            let bins = try numericBins(Array(Set(cuts)).sorted(), attributes, select: select, node: node, field: field)
            return (Characteristic(name: field, kind: .numeric, bins: bins, missing: missing), baseline, codes)
        }
        for attribute in attributes {
            if let ordering = attribute.predicate.orderingTest() {
                throw fail(ordering, "a categorical field compared with \(ordering["operator"] ?? "an order") is not supported; lending matches categories with equal, notEqual, isIn and isNotIn")
            }
        }
        // Categories: those named anywhere, then the DataField's.
        var named: [String] = []
        for attribute in attributes { attribute.predicate.collectStrings(into: &named) }
        var valid: Set<String> = []
        var missingValues: Set<String> = []
        for value in dataField.children where value.name == "Value" {
            guard let text = value["value"] else { continue }
            switch value["property"] ?? "valid" {
            case "missing": missingValues.insert(text)
            case "invalid": continue
            default: valid.insert(text)
            }
            named.append(text)
        }
        let listsValues = !valid.isEmpty
        let unnamed = "\u{1}lending-unseen-" + String(named.count)
        func attributeOf(_ category: String) throws -> Int? {
            if missingValues.contains(category) { return missingAttribute }
            if !listsValues || valid.contains(category) { return select(.category(category)) }
            switch invalid {
            case "returnInvalid": return nil
            case "asIs": return select(.category(category))
            case "asMissing": return missingAttribute
            case "asValue":
                guard let replacement = miningField?["invalidValueReplacement"] else {
                    throw fail(miningField!, "invalidValueTreatment asValue needs invalidValueReplacement")
                }
                return select(.category(replacement))
            default: throw fail(miningField!, "invalidValueTreatment \"\(clippedForMessage(invalid))\" is not supported")
            }
        }
        let unseenAttribute = try attributeOf(unnamed)
        var groups: [Int: [String]] = [:]
        var seen: Set<String> = []
        for category in named where !category.isEmpty && seen.insert(category).inserted {
            guard let index = try attributeOf(category) else {
                if unseenAttribute != nil {
                    throw fail(node, "the card refuses category \"\(clippedForMessage(category))\" of \"\(clippedForMessage(field))\" but scores categories it does not name; lending cannot refuse one category and score unseen ones")
                }
                continue
            }
            groups[index, default: []].append(category)
        }
        let bins = groups.keys.sorted().map { Bin(categories: groups[$0]!, points: attributes[$0].points) }
        guard !bins.isEmpty else { throw fail(node, "no category of \"\(clippedForMessage(field))\" falls in an attribute; name the categories with equal or isIn") }
        var unseen = Characteristic.UnseenPolicy.reject
        if let unseenAttribute {
            let points = attributes[unseenAttribute].points
            if let missing, missing.points == points {
                unseen = .missing
            } else if bins.map(\.points).min() == points {
                unseen = .lowest
            } else {
                throw fail(attributes[unseenAttribute].node, "categories of \"\(clippedForMessage(field))\" that the card does not name get \(PMMLExport.number(points)) points, neither the missing bin's nor the lowest bin's; lending's unseen policies are reject, missing and lowest")
            }
        }
        return (Characteristic(name: field, kind: .categorical, bins: bins, missing: missing, unseen: unseen), baseline, codes)
    }

    /// Left-closed bins from the attribute each interval between (and at) the cut points selects.
    func numericBins(_ cuts: [Double], _ attributes: [Attribute], select: (Value) -> Int?, node: XMLNode, field: String) throws -> [Bin] {
        // Regions [lower, next lower): each holds values one attribute takes, by construction.
        var regions: [(lower: Double?, open: Bool, probe: Double)] = []
        if cuts.isEmpty {
            regions.append((nil, false, 0))
        } else {
            regions.append((nil, false, cuts[0].nextDown))
            for (index, cut) in cuts.enumerated() {
                regions.append((cut, false, cut))
                let after = cut.nextUp
                guard after.isFinite else { continue }
                if index + 1 < cuts.count && cuts[index + 1] == after { continue }
                regions.append((after, true, after))
            }
        }
        var bins: [Bin] = []
        var chosen: [Int] = []
        var labels: [String] = []
        for region in regions {
            guard let index = select(.number(region.probe)) else {
                let place = region.lower.map { region.open ? "just above \(PMMLExport.number($0.nextDown))" : "at \(PMMLExport.number($0))" } ?? "below \(PMMLExport.number(cuts.first ?? 0))"
                throw fail(node, "numbers \(place) fall in no attribute of \"\(clippedForMessage(field))\"; lending needs every number to fall in a bin")
            }
            let bound = region.lower.map { region.open ? "(\(PMMLExport.number($0.nextDown))" : "[\(PMMLExport.number($0))" } ?? "(-inf"
            if chosen.last == index {
                continue
            }
            if !bins.isEmpty, let lower = region.lower {
                bins[bins.count - 1].upper = lower
                labels[labels.count - 1] += region.open ? ", \(PMMLExport.number(lower.nextDown))]" : ", \(PMMLExport.number(lower)))"
            }
            bins.append(Bin(lower: region.lower, points: attributes[index].points))
            chosen.append(index)
            labels.append(bound)
        }
        labels[labels.count - 1] += ", inf)"
        for index in bins.indices { bins[index].label = labels[index] }
        return bins
    }

    // MARK: Predicates

    func predicate(_ node: XMLNode) throws -> Predicate {
        switch node.name {
        case "True": return .constant(true)
        case "False": return .constant(false)
        case "SimplePredicate":
            guard let field = node["field"], let op = node["operator"] else { throw fail(node, "a SimplePredicate needs field and operator") }
            let operators = ["equal", "notEqual", "lessThan", "lessOrEqual", "greaterThan", "greaterOrEqual", "isMissing", "isNotMissing"]
            guard operators.contains(op) else { throw fail(node, "SimplePredicate operator \"\(clippedForMessage(op))\" is not one PMML defines") }
            if op != "isMissing" && op != "isNotMissing" && node["value"] == nil { throw fail(node, "a SimplePredicate with \(op) needs a value") }
            return .simple(field: field, op: op, value: node["value"], node: node)
        case "SimpleSetPredicate":
            guard let field = node["field"], let op = node["booleanOperator"], op == "isIn" || op == "isNotIn" else {
                throw fail(node, "a SimpleSetPredicate needs a field and booleanOperator isIn or isNotIn")
            }
            guard let array = node.children.first(where: { $0.name == "Array" }) else { throw fail(node, "a SimpleSetPredicate needs an Array") }
            let type = array["type"] ?? "string"
            guard ["string", "int", "real"].contains(type) else { throw fail(array, "Array type \"\(clippedForMessage(type))\" is not supported") }
            let values = arrayTokens(array.text, quotes: type == "string")
            if let n = array["n"], Int(n) != values.count {
                throw fail(array, "the Array says n=\"\(clippedForMessage(n))\" but holds \(values.count) values")
            }
            return .set(field: field, isIn: op == "isIn", values: values, node: node)
        case "CompoundPredicate":
            guard let op = node["booleanOperator"], ["and", "or", "xor", "surrogate"].contains(op) else {
                throw fail(node, "a CompoundPredicate needs booleanOperator and, or, xor or surrogate")
            }
            let parts = try node.children.filter { $0.name != "Extension" }.map(predicate)
            guard parts.count >= 2 else { throw fail(node, "a CompoundPredicate needs at least two predicates") }
            return .compound(op: op, parts)
        default:
            throw fail(node, "<\(clippedForMessage(node.name))> is not a predicate lending reads (SimplePredicate, CompoundPredicate, SimpleSetPredicate, True, False)")
        }
    }
}

/// An attribute's test, evaluated with PMML's three-valued logic (`nil` is unknown).
private indirect enum Predicate {
    case constant(Bool)
    case simple(field: String, op: String, value: String?, node: XMLNode)
    case set(field: String, isIn: Bool, values: [String], node: XMLNode)
    case compound(op: String, [Predicate])

    func evaluate(_ value: Value) -> Bool? {
        switch self {
        case .constant(let truth): return truth
        case .simple(_, let op, let text, _):
            if case .missing = value { return op == "isMissing" ? true : op == "isNotMissing" ? false : nil }
            if op == "isMissing" { return false }
            if op == "isNotMissing" { return true }
            let order: Int
            switch value {
            case .number(let number):
                guard let bound = text.flatMap(Scorer.parseNumber) else { return nil }
                order = number < bound ? -1 : number > bound ? 1 : 0
            case .category(let category):
                guard op == "equal" || op == "notEqual" else { return nil }
                order = category == text ? 0 : 1
            case .missing: return nil
            }
            switch op {
            case "equal": return order == 0
            case "notEqual": return order != 0
            case "lessThan": return order < 0
            case "lessOrEqual": return order <= 0
            case "greaterThan": return order > 0
            default: return order >= 0
            }
        case .set(_, let isIn, let values, _):
            let contained: Bool
            switch value {
            case .missing: return nil
            case .number(let number): contained = values.contains { Scorer.parseNumber($0) == number }
            case .category(let category): contained = values.contains(category)
            }
            return contained == isIn
        case .compound(let op, let parts):
            let results = parts.map { $0.evaluate(value) }
            switch op {
            case "and": return results.contains(false) ? false : results.contains(nil) ? nil : true
            case "or": return results.contains(true) ? true : results.contains(nil) ? nil : false
            case "xor": return results.contains(nil) ? nil : results.filter { $0 == true }.count % 2 == 1
            default: return results.first { $0 != nil } ?? nil
            }
        }
    }

    func collectFields(into fields: inout [String]) {
        switch self {
        case .constant: break
        case .simple(let field, _, _, _), .set(let field, _, _, _): if !fields.contains(field) { fields.append(field) }
        case .compound(_, let parts): for part in parts { part.collectFields(into: &fields) }
        }
    }

    func collectNumbers(into numbers: inout [Double], builder: Builder) throws {
        switch self {
        case .constant: break
        case .simple(_, let op, let text, let node):
            guard op != "isMissing" && op != "isNotMissing", let text else { return }
            numbers.append(try builder.number(text, node, "the value"))
        case .set(_, _, let values, let node):
            for text in values { numbers.append(try builder.number(text, node, "an Array value")) }
        case .compound(_, let parts): for part in parts { try part.collectNumbers(into: &numbers, builder: builder) }
        }
    }

    /// A SimplePredicate that orders values (lessThan...), which categories do not support here.
    func orderingTest() -> XMLNode? {
        switch self {
        case .constant, .set: return nil
        case .simple(_, let op, _, let node): return ["lessThan", "lessOrEqual", "greaterThan", "greaterOrEqual"].contains(op) ? node : nil
        case .compound(_, let parts): return parts.lazy.compactMap { $0.orderingTest() }.first
        }
    }

    func collectStrings(into strings: inout [String]) {
        switch self {
        case .constant: break
        case .simple(_, _, let text, _): if let text { strings.append(text) }
        case .set(_, _, let values, _): strings.append(contentsOf: values)
        case .compound(_, let parts): for part in parts { part.collectStrings(into: &strings) }
        }
    }
}

/// An Array's values as JPMML reads them: separated by whitespace; with `quotes`, a value in
/// double quotes may hold whitespace, and `\"` inside it is a quote.
func arrayTokens(_ text: String, quotes: Bool) -> [String] {
    var tokens: [String] = []
    var current = String.UnicodeScalarView()
    var quoted = false
    var inToken = false
    let scalars = Array(text.unicodeScalars)
    var index = 0
    while index < scalars.count {
        let scalar = scalars[index]
        if quoted {
            if scalar == "\\" && index + 1 < scalars.count && scalars[index + 1] == "\"" {
                current.append("\""); index += 2; continue
            }
            if scalar == "\"" {
                tokens.append(String(current)); current = String.UnicodeScalarView(); quoted = false; inToken = false
            } else {
                current.append(scalar)
            }
        } else if scalar == "\"" && quotes {
            if inToken { tokens.append(String(current)); current = String.UnicodeScalarView() }
            quoted = true; inToken = true
        } else if scalar.properties.isWhitespace {
            if inToken { tokens.append(String(current)); current = String.UnicodeScalarView(); inToken = false }
        } else {
            current.append(scalar); inToken = true
        }
        index += 1
    }
    if inToken { tokens.append(String(current)) }
    return tokens
}

// MARK: - XML

/// An element: local name (namespace prefix dropped), attributes, child elements, text, place.
struct XMLNode {
    var name: String
    var attributes: [String: String]
    var children: [XMLNode]
    var text: String
    var line: Int
    var column: Int

    subscript(_ attribute: String) -> String? { attributes[attribute] }
}

/// A small non-validating XML 1.0 reader for PMML: elements, attributes, text, CDATA, comments,
/// processing instructions, the predefined entities and character references. A DOCTYPE with
/// an internal subset (entity definitions) is refused, so no entity is ever expanded.
struct XMLReader {
    let scalars: [Unicode.Scalar]
    let file: String
    var index = 0
    var line = 1
    var column = 1

    init(text: String, file: String) {
        scalars = Array(text.unicodeScalars)
        self.file = file
    }

    func fail(_ message: String) -> LendingError {
        LendingError(code: "import.pmml_xml", message: "not well-formed XML: \(message)", location: SourceLocation(file: file, line: line, column: column))
    }

    var atEnd: Bool { index >= scalars.count }

    func peek(_ text: String) -> Bool {
        var position = index
        for scalar in text.unicodeScalars {
            guard position < scalars.count, scalars[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "\n" || (scalar == "\r" && (index >= scalars.count || scalars[index] != "\n")) {
                line += 1; column = 1
            } else if scalar != "\r" {
                column += 1
            }
        }
    }

    mutating func skip(past terminator: String, what: String) throws {
        while !atEnd && !peek(terminator) { advance() }
        guard !atEnd else { throw fail("\(what) is not closed") }
        advance(terminator.unicodeScalars.count)
    }

    mutating func skipSpace() {
        while !atEnd && [" ", "\t", "\n", "\r"].contains(scalars[index]) { advance() }
    }

    /// Comments, processing instructions and (before the root) a DOCTYPE without a subset.
    mutating func skipMisc(prolog: Bool) throws {
        while true {
            skipSpace()
            if peek("<!--") { try skip(past: "-->", what: "a comment") }
            else if peek("<?") { try skip(past: "?>", what: "a processing instruction") }
            else if prolog && peek("<!DOCTYPE") {
                var position = index
                while position < scalars.count && scalars[position] != ">" {
                    if scalars[position] == "[" { throw fail("a DOCTYPE with an internal subset is not accepted; remove it (PMML needs none)") }
                    position += 1
                }
                try skip(past: ">", what: "the DOCTYPE")
            } else { return }
        }
    }

    mutating func document() throws -> XMLNode {
        if peek("\u{FEFF}") { advance() }
        try skipMisc(prolog: true)
        guard peek("<") else { throw fail(atEnd ? "the file is empty" : "the document does not start with an element") }
        let root = try element()
        try skipMisc(prolog: false)
        guard atEnd else { throw fail("content after the root element") }
        return root
    }

    mutating func name() throws -> String {
        var result = String.UnicodeScalarView()
        while !atEnd {
            let scalar = scalars[index]
            if [" ", "\t", "\n", "\r", "/", ">", "=", "<", "\"", "'"].contains(scalar) { break }
            result.append(scalar)
            advance()
        }
        guard !result.isEmpty else { throw fail("a name is expected") }
        return String(result)
    }

    static func local(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    mutating func element() throws -> XMLNode {
        let startLine = line, startColumn = column
        advance() // <
        let qualified = try name()
        var node = XMLNode(name: Self.local(qualified), attributes: [:], children: [], text: "", line: startLine, column: startColumn)
        while true {
            skipSpace()
            guard !atEnd else { throw fail("<\(clippedForMessage(qualified))> is not closed") }
            if peek("/>") { advance(2); return node }
            if peek(">") { advance(); break }
            let attribute = try name()
            skipSpace()
            guard peek("=") else { throw fail("attribute \(clippedForMessage(attribute)) has no value") }
            advance()
            skipSpace()
            guard !atEnd, scalars[index] == "\"" || scalars[index] == "'" else { throw fail("an attribute value must be quoted") }
            let quote = scalars[index]
            advance()
            var value = String.UnicodeScalarView()
            while true {
                guard !atEnd else { throw fail("an attribute value is not closed") }
                let scalar = scalars[index]
                if scalar == quote { advance(); break }
                if scalar == "<" { throw fail("< in an attribute value") }
                if scalar == "&" { value.append(try reference()); continue }
                if scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n" { advance(); continue }
                value.append(scalar == "\t" || scalar == "\n" || scalar == "\r" ? " " : scalar)
                advance()
            }
            if attribute == "xmlns" || attribute.hasPrefix("xmlns:") { continue }
            let local = Self.local(attribute)
            guard node.attributes[local] == nil else { throw fail("attribute \(clippedForMessage(attribute)) appears twice") }
            node.attributes[local] = String(value)
        }
        var text = String.UnicodeScalarView()
        while true {
            guard !atEnd else { throw fail("<\(clippedForMessage(qualified))> (line \(startLine)) is not closed") }
            if peek("</") {
                advance(2)
                let end = try name()
                guard end == qualified else { throw fail("</\(clippedForMessage(end))> closes <\(clippedForMessage(qualified))> (line \(startLine))") }
                skipSpace()
                guard peek(">") else { throw fail("> expected") }
                advance()
                node.text = String(text)
                return node
            }
            if peek("<!--") { try skip(past: "-->", what: "a comment"); continue }
            if peek("<?") { try skip(past: "?>", what: "a processing instruction"); continue }
            if peek("<![CDATA[") {
                advance(9)
                while !atEnd && !peek("]]>") { text.append(scalars[index]); advance() }
                guard !atEnd else { throw fail("a CDATA section is not closed") }
                advance(3)
                continue
            }
            if peek("<!") { throw fail("<! here is not accepted") }
            if peek("<") { node.children.append(try element()); continue }
            let scalar = scalars[index]
            if scalar == "&" { text.append(try reference()); continue }
            if scalar == "\r" { advance(); if !atEnd && scalars[index] == "\n" { continue }; text.append("\n"); continue }
            text.append(scalar)
            advance()
        }
    }

    /// `&name;` or `&#N;` / `&#xN;`.
    mutating func reference() throws -> Unicode.Scalar {
        advance() // &
        var body = String.UnicodeScalarView()
        while !atEnd && scalars[index] != ";" && body.count < 12 { body.append(scalars[index]); advance() }
        guard !atEnd, scalars[index] == ";" else { throw fail("an & that starts no entity; write &amp;") }
        advance()
        let name = String(body)
        switch name {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let code: UInt32?
            if name.hasPrefix("#x") { code = UInt32(name.dropFirst(2), radix: 16) } else if name.hasPrefix("#") { code = UInt32(name.dropFirst(), radix: 10) } else { code = nil }
            guard let code, let scalar = Unicode.Scalar(code), code != 0 else {
                throw fail("&\(clippedForMessage(name)); is not an entity XML defines (a DTD's entities are not read)")
            }
            return scalar
        }
    }
}
