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

/// `lending model export --format sql`: a scorecard as one SELECT statement that returns, for
/// every row of a table, the id column, `score`, `probability` and `reason_1`..`reason_N` with
/// the same values as `lending score` (docs/model-export.md).
///
/// The statement uses only standard SQL (CASE, comparisons, arithmetic, CAST, a WITH clause):
/// no functions at all, so it runs unchanged on SQLite (with or without its math functions),
/// PostgreSQL and DuckDB, and is written for Spark SQL and Trino as well.
///
/// How it matches the Swift scorer:
/// - Each characteristic's value becomes its slot (0 the missing bin, 1...B its bins) exactly as
///   ``Scorer`` assigns it: numeric values compared as doubles with the bins' lower bounds
///   (left-closed bins), categories matched exactly, NULL (and, for categories, the empty string)
///   missing, unseen categories by the model's policy; a value the model cannot score gives NULL.
/// - `score` is base points plus each characteristic's points, added in model order (integers
///   when every point is whole, doubles otherwise), so it is the same number `lending score`
///   writes; NULL when any value cannot be scored.
/// - `probability` is `1 / (1 + odds)` with the good:bad odds written as a product of
///   per-bin factors computed here (`exp(points / factor)`), so no `EXP` is needed; it agrees
///   with ``Scaling/probabilityOfBad(score:)`` to about 1e-15.
/// - Reasons: every (characteristic, slot) gets an integer key that orders by points below the
///   characteristic's maximum, largest first, ties in model order (the order ``CompiledScorecard``
///   uses), 0 for no loss; a characteristic's rank is the number of larger keys in the row. The
///   ordering is exact integer arithmetic in every engine.
public enum SQLExport {
    /// The largest number of reason columns.
    public static let maximumReasons = 64

    /// Where the statement will run. `standard` is plain SQL (Spark SQL and Trino too). The
    /// others mark each step `AS MATERIALIZED`, which PostgreSQL 12+, DuckDB and SQLite 3.35+
    /// accept: PostgreSQL otherwise inlines the steps and evaluates every value's CASE again
    /// wherever a later step names it (measured: 12.4 s for 10,000 rows instead of 0.36 s;
    /// Benchmarks/README.md), and DuckDB is faster with it too.
    public enum Dialect: String, Sendable, CaseIterable {
        case standard, postgresql, duckdb, sqlite

        var materializes: Bool { self != .standard }
    }

    /// The SELECT statement for `model` over `table` (one to three dot-separated names:
    /// `[catalog.][schema.]table`), returning `idColumn` and the score columns.
    /// - Parameter file: the model file's name, for error messages.
    /// - Throws: ``LendingError`` for a model that cannot be scored or exported, or a name
    ///   that cannot be an identifier.
    public static func select(model: Scorecard, table: String, idColumn: String, reasons: Int = 4, dialect: Dialect = .standard,
                              file: String? = nil) throws -> String {
        let step = dialect.materializes ? "AS MATERIALIZED (" : "AS ("
        guard reasons >= 0 && reasons <= maximumReasons else {
            throw LendingError(code: "export.reasons", message: "the number of reasons must be between 0 and \(maximumReasons)")
        }
        let compiled: CompiledScorecard
        do { compiled = try CompiledScorecard(model) } catch {
            throw LendingError(code: "export.invalid_model", message: error.message, file: file)
        }
        let tableName = try qualifiedName(table)
        let id = try identifier(idColumn, what: "the id column")
        let count = compiled.characteristicCount
        var columns: [String] = []
        for name in compiled.names {
            do { columns.append(try identifier(name, what: "a characteristic's name")) } catch let error as LendingError {
                throw LendingError(code: error.code, message: error.message, file: file)
            }
        }
        for characteristic in model.characteristics where characteristic.kind == .categorical {
            for category in characteristic.bins.flatMap({ $0.categories ?? [] }) where category.unicodeScalars.contains("\u{0}") {
                throw LendingError(code: "export.bad_category",
                                   message: "a category of \"\(clippedForMessage(characteristic.name))\" contains a NUL character, which SQL text cannot hold; remove it from the model",
                                   file: file)
            }
        }

        let integral = compiled.integralPoints
        let factor = model.scaling.factor
        // Odds good:bad = K * product of per-slot factors; keep every partial product finite.
        let constantLogOdds = (model.basePoints - model.scaling.baseScore) / factor + logarithm(model.scaling.baseOdds)
        var logOddsBound = abs(constantLogOdds)
        for index in 0..<count {
            let slots = 0...slotCount(compiled, index)
            logOddsBound += slots.map { abs(compiled.points(index, slot: $0) / factor) }.max() ?? 0
        }
        guard logOddsBound < 700 else {
            throw LendingError(code: "export.scaling",
                               message: "the model's points are too large for its scaling (odds beyond e^700); check basePoints, pdo and the points",
                               file: file)
        }
        let keys = reasonKeys(compiled)

        let double = "DOUBLE PRECISION"
        var sql = "-- lending model export: \(commentText(model.name)) version \(commentText(model.version)), \(count) characteristics.\n"
        sql += "-- Columns: \(id), score, probability (of bad), reason_1..reason_\(reasons); NULL where lending score rejects the row.\n"
        sql += "-- Numeric characteristics: numeric columns, missing as NULL. Categorical: text columns, missing as NULL or ''.\n"
        sql += "WITH\n"
        // 1. Values: numbers as doubles, categories as they are.
        var values = ["  \(id) AS \"id\""]
        for index in 0..<count {
            let value = compiled.kinds[index] == .numeric ? "CAST(\(columns[index]) AS \(double))" : columns[index]
            values.append("  \(value) AS \"v\(index + 1)\"")
        }
        sql += "\"lending_values\" \(step)\nSELECT\n" + values.joined(separator: ",\n") + "\nFROM \(tableName)\n),\n"
        // 2. Slots.
        var slots = ["  \"id\""]
        for index in 0..<count {
            slots.append("  " + slotExpression(compiled, model.characteristics[index], index) + " AS \"s\(index + 1)\"")
        }
        sql += "\"lending_slots\" \(step)\nSELECT\n" + slots.joined(separator: ",\n") + "\nFROM \"lending_values\"\n),\n"
        // 3. Score, probability, reason keys.
        var scoreTerms = [integral ? integerLiteral(model.basePoints) : "CAST(\(literal(model.basePoints)) AS \(double))"]
        var oddsTerms = ["CAST(\(literal(exponential(constantLogOdds))) AS \(double))"]
        var keyColumns: [String] = []
        for index in 0..<count {
            let slot = "\"s\(index + 1)\""
            let range = 0...slotCount(compiled, index)
            let pointsCase = simpleCase(slot, range.map { ($0, integral ? integerLiteral(compiled.points(index, slot: $0)) : literal(compiled.points(index, slot: $0))) })
            scoreTerms.append(integral ? pointsCase : "CAST(\(pointsCase) AS \(double))")
            let oddsCase = simpleCase(slot, range.map { ($0, literal(exponential(compiled.points(index, slot: $0) / factor))) })
            oddsTerms.append("CAST(\(oddsCase) AS \(double))")
            keyColumns.append("  " + simpleCase(slot, range.map { ($0, String(keys[index][$0])) }) + " AS \"k\(index + 1)\"")
        }
        var scored = ["  \"id\"", "  " + scoreTerms.joined(separator: "\n    + ") + " AS \"score\"",
                      "  1 / (1 + " + oddsTerms.joined(separator: "\n    * ") + ") AS \"probability\""]
        scored += keyColumns
        sql += "\"lending_scored\" \(step)\nSELECT\n" + scored.joined(separator: ",\n") + "\nFROM \"lending_slots\"\n),\n"
        // 4. Ranks: how many characteristics lost more points than this one.
        var ranked = ["  \"id\"", "  \"score\"", "  \"probability\""]
        for index in 0..<count {
            ranked.append("  \"k\(index + 1)\"")
            let others = (0..<count).filter { $0 != index }.map { "CASE WHEN \"k\($0 + 1)\" > \"k\(index + 1)\" THEN 1 ELSE 0 END" }
            ranked.append("  " + (others.isEmpty ? "0" : others.joined(separator: " + ")) + " AS \"n\(index + 1)\"")
        }
        sql += "\"lending_ranked\" \(step)\nSELECT\n" + ranked.joined(separator: ",\n") + "\nFROM \"lending_scored\"\n)\n"
        // 5. The result.
        var result = ["  \"id\" AS \(id)", "  \"score\"", "  \"probability\""]
        for position in 0..<reasons {
            var text = "CASE WHEN \"score\" IS NULL THEN NULL"
            for index in 0..<count {
                text += "\n    WHEN \"k\(index + 1)\" > 0 AND \"n\(index + 1)\" = \(position) THEN \(stringLiteral(compiled.names[index]))"
            }
            result.append("  " + text + " END AS \"reason_\(position + 1)\"")
        }
        sql += "SELECT\n" + result.joined(separator: ",\n") + "\nFROM \"lending_ranked\"\n"
        return sql
    }

    /// Writes the statement to `output` atomically (`-` for standard output).
    public static func export(modelPath: String, table: String, idColumn: String, reasons: Int = 4, dialect: Dialect = .standard,
                              output: String) throws {
        let model = try Scorecard.load(path: modelPath)
        var text = try select(model: model, table: table, idColumn: idColumn, reasons: reasons, dialect: dialect, file: modelPath)
        let file = try OutputFile(path: output)
        try text.withUTF8 { try file.write(UnsafeRawBufferPointer($0)) }
        try file.commit()
    }

    // MARK: Names and literals

    /// A double-quoted identifier (`"` doubled inside). Names that are empty or hold control
    /// characters are refused.
    public static func identifier(_ name: String, what: String) throws -> String {
        guard !name.isEmpty else {
            throw LendingError(code: "export.bad_identifier", message: "\(what) is empty; give a name")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw LendingError(code: "export.bad_identifier",
                               message: "\(what) \"\(clippedForMessage(commentText(name)))\" contains a control character; SQL names here must be printable")
        }
        return "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }

    /// `[catalog.][schema.]table`, each part quoted.
    public static func qualifiedName(_ name: String) throws -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 3, !parts.contains(where: \.isEmpty) else {
            throw LendingError(code: "export.bad_identifier",
                               message: "the table \"\(clippedForMessage(name))\" must be TABLE, SCHEMA.TABLE or CATALOG.SCHEMA.TABLE (a dot separates the parts)")
        }
        return try parts.map { try identifier($0, what: "the table") }.joined(separator: ".")
    }

    /// A string literal: single quotes doubled, nothing else changed (standard SQL).
    public static func stringLiteral(_ text: String) -> String { "'" + text.replacingAll("'", with: "''") + "'" }

    /// A number as the shortest text that reads back as the same double.
    static func literal(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func integerLiteral(_ value: Double) -> String { String(Int64(value)) }

    /// Model text in a `--` comment: printable ASCII only, so it can never end the comment.
    static func commentText(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(80).map { $0.value >= 0x20 && $0.value < 0x7F ? $0 : "?" }))
    }

    // MARK: Slots and reasons

    /// The number of bins (slots 1...B; slot 0 is missing).
    static func slotCount(_ compiled: CompiledScorecard, _ index: Int) -> Int { compiled.model.characteristics[index].bins.count }

    /// A `CASE` giving the slot of characteristic `index` from its value `"vI"`, as ``Scorer``.
    static func slotExpression(_ compiled: CompiledScorecard, _ characteristic: Characteristic, _ index: Int) -> String {
        let value = "\"v\(index + 1)\""
        let missing = compiled.acceptsMissing(index) ? "0" : "NULL"
        switch characteristic.kind {
        case .numeric:
            var text = "CASE WHEN \(value) IS NULL THEN \(missing)"
            for (position, bin) in characteristic.bins.enumerated().dropFirst() {
                text += " WHEN \(value) < \(literal(bin.lower!)) THEN \(position)"
            }
            return text + " ELSE \(characteristic.bins.count) END"
        case .categorical:
            var text = "CASE WHEN \(value) IS NULL OR \(value) = '' THEN \(missing)"
            for (position, bin) in characteristic.bins.enumerated() {
                let listed = (bin.categories ?? []).filter { !$0.isEmpty }
                guard !listed.isEmpty else { continue }
                text += "\n    WHEN \(value) IN (" + listed.map(stringLiteral).joined(separator: ", ") + ") THEN \(position + 1)"
            }
            let unseen = compiled.unseenSlot(index)
            return text + " ELSE \(unseen >= 0 ? String(unseen) : "NULL") END"
        }
    }

    /// Per characteristic and slot, an integer that orders losses (points below the
    /// characteristic's maximum) largest first with ties in model order; 0 where nothing is lost.
    static func reasonKeys(_ compiled: CompiledScorecard) -> [[Int]] {
        let count = compiled.characteristicCount
        func loss(_ index: Int, _ slot: Int) -> Double { compiled.tables.losses[compiled.tables.pointsOffset[index] + slot] }
        var distinct = Set<Double>()
        for index in 0..<count {
            for slot in 0...slotCount(compiled, index) where loss(index, slot) > 0 { distinct.insert(loss(index, slot)) }
        }
        let rank = Dictionary(uniqueKeysWithValues: distinct.sorted().enumerated().map { ($0.element, $0.offset + 1) })
        return (0..<count).map { index in
            (0...slotCount(compiled, index)).map { slot in
                let value = loss(index, slot)
                return value > 0 ? rank[value]! * count + (count - 1 - index) : 0
            }
        }
    }

    static func simpleCase(_ subject: String, _ branches: [(Int, String)]) -> String {
        "CASE \(subject)" + branches.map { " WHEN \($0.0) THEN \($0.1)" }.joined() + " END"
    }
}

private extension String {
    /// Replaces a character by Unicode scalar, not by grapheme: a quote followed by a combining
    /// mark is one `Character` but still a quote to SQL.
    func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == target { result.append(contentsOf: replacement.unicodeScalars) } else { result.append(scalar) }
        }
        return String(result)
    }
}

private func logarithm(_ value: Double) -> Double { log(value) }
private func exponential(_ value: Double) -> Double { exp(value) }
