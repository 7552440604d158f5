import Foundation
import Hummingbird
import HummingbirdTesting
import LendingHTTP
import LendingModel
import Testing

/// Random request bodies of every kind for the POST routes.
struct RandomBodies {
    var random: SplitMix64
    let templates: [[UInt8]]

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        var application: [String: Any] = applicationFields(1)
        application["application_id"] = "F-1"
        templates = [
            Array(String(buffer: json(["features": germanCreditRows[0]])).utf8),
            Array(String(buffer: json(["rows": [germanCreditRows[1], germanCreditRows[2]]])).utf8),
            Array(String(buffer: json(application)).utf8),
            Array(String(buffer: json(["draw_id": "D-1", "amount": "100.00", "term_months": 6])).utf8),
            Array(String(buffer: json(["payment_id": "P-1", "amount": "10.00", "paid_at": "2026-11-20"])).utf8),
        ]
    }

    mutating func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }

    mutating func body() -> [UInt8] {
        switch below(5) {
        case 0:
            return (0..<below(400)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        case 1:
            var bytes = templates[below(templates.count)]
            for _ in 0..<(1 + below(8)) {
                guard !bytes.isEmpty else { break }
                let position = below(bytes.count)
                switch below(3) {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: position)
                default:
                    let punctuation = Array("{}[]\",:0-e.\\ ".utf8)
                    bytes.insert(punctuation[below(punctuation.count)], at: position)
                }
            }
            return bytes
        case 2:
            let bytes = templates[below(templates.count)]
            return Array(bytes.prefix(below(bytes.count + 1)))
        case 3:
            return Array(String(decoding: try! JSONSerialization.data(withJSONObject: ["features": value(depth: 0)], options: [.fragmentsAllowed]), as: UTF8.self).utf8)
        default:
            var object = try! JSONSerialization.jsonObject(with: Data(templates[below(templates.count)])) as! [String: Any]
            let keys = Array(object.keys).sorted()
            for _ in 0..<(1 + below(4)) { object[keys[below(keys.count)]] = value(depth: 1) }
            return Array(try! JSONSerialization.data(withJSONObject: object))
        }
    }

    mutating func value(depth: Int) -> Any {
        switch below(depth > 2 ? 5 : 7) {
        case 0: return NSNull()
        case 1: return Double(Int64(bitPattern: random.next())) / Double(1 << below(60))
        case 2: return random.next() % 2 == 0
        case 3: return String(decoding: (0..<below(20)).map { _ in UInt8(32 + below(95)) }, as: UTF8.self)
        case 4: return ["", "-1", "1e400", "NaN", "０", "5000.00", "2026-13-45", "match", "pass", "installment", "\u{0}"][below(11)]
        case 5: return (0..<below(4)).map { _ in value(depth: depth + 1) }
        default:
            var object: [String: Any] = [:]
            for _ in 0..<below(4) { object[String(below(1000))] = value(depth: depth + 1) }
            return object
        }
    }
}

@Suite struct RandomBodyTests {
    /// 10,000 random bodies through the router (scripts/http-fuzz.py sends them to a live server): every answer is a JSON error or a success, never a
    /// 500, and the server still answers afterwards.
    @Test func theServerStaysUpUnderTenThousandRandomBodies() async throws {
        let service = makeService(desk: try makeDesk(invited: [1]), loans: FakeLoanService())
        let routes = ["/v1/score", "/v1/applications", "/v1/lines/LINE-1/draws", "/v1/loans/D-1/repayments"]
        let statuses = try await withService(service) { client in
            var bodies = RandomBodies(seed: 20_261_130)
            var statuses: [Int: Int] = [:]
            for index in 0..<10_000 {
                let route = routes[index % routes.count]
                let body = bodies.body()
                let status = try await client.execute(uri: route, method: .post, headers: headers(idempotencyKey: "fuzz-\(index)"),
                                                      body: ByteBuffer(bytes: body)) { response in
                    if response.status.code >= 300 {
                        #expect(errorCode(response.body) != nil, "\(route) \(response.status)")
                    }
                    return response.status.code
                }
                statuses[status, default: 0] += 1
            }
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            return statuses
        }
        #expect(statuses.values.reduce(0, +) == 10_000)
        #expect(statuses.keys.allSatisfy { [200, 201, 400, 404, 409, 413, 422].contains($0) }, "\(statuses)")
        #expect(statuses[400, default: 0] > 5_000)
    }
}
