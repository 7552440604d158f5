import Foundation
@testable import LendingHTTP
import LendingModel
import LendingScoring
import Testing

func parse(_ text: String) -> JSONValue? {
    var copy = text
    return copy.withUTF8 { try? JSONReader.parse(UnsafeRawBufferPointer($0)) }
}

func parse(bytes: [UInt8]) -> JSONValue? {
    bytes.withUnsafeBytes { try? JSONReader.parse($0) }
}

/// Whether the reader's value equals what JSONSerialization (the reference) read.
func agrees(_ value: JSONValue, _ reference: Any) -> Bool {
    switch value {
    case .null: return reference is NSNull
    case .bool(let flag):
        if let bool = reference as? Bool { return bool == flag }
        return (reference as? NSNumber)?.boolValue == flag
    case .string(let text): return (reference as? String) == text
    case .number(let text):
        // The reader keeps the number's text; JSONSerialization gives a Double, an Int or a
        // Decimal (not always the correctly rounded double), so compare to 1e-12 relative.
        guard let parsed = Double(text) else { return false }
        let expected: Double
        switch reference {
        case let double as Double: expected = double
        case let integer as Int: expected = Double(integer)
        case let decimal as Decimal: expected = NSDecimalNumber(decimal: decimal).doubleValue
        case let number as NSNumber: expected = number.doubleValue
        default: return false
        }
        return abs(expected - parsed) <= 1e-12 * max(abs(parsed), 1)
    case .array(let elements):
        guard let list = reference as? [Any], list.count == elements.count else { return false }
        return zip(elements, list).allSatisfy { agrees($0, $1) }
    case .object(let members):
        guard let object = reference as? [String: Any], object.count == members.count else { return false }
        return members.allSatisfy { key, member in object[key].map { agrees(member, $0) } ?? false }
    }
}

@Suite struct JSONReaderTests {
    @Test func readsEveryKindOfValue() {
        #expect(parse(#" {"a": [1, -2.5e3, true, false, null, "x"], "b": {}} "#)
            == .object([("a", .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null, .string("x")])), ("b", .object([]))]))
        #expect(parse("[]") == .array([]))
        #expect(parse("0") == .number("0"))
    }

    @Test func decodesEscapesAndSurrogatePairs() {
        #expect(parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(parse(#""\u00e9\u4e2d\ud83d\ude00""#) == .string("é中😀"))
        #expect(parse(#""中文 raw""#) == .string("中文 raw"))
    }

    @Test func refusesWhatIsNotJSON() {
        let bad = [
            "", " ", "{", "}", "[1,]", #"{"a":1,}"#, "01", "1.", ".5", "-", "+1", "1e", "1e+", #""\x""#, #""abc"#, #"{"a" 1}"#,
            "nul", "tru", "falsey", #""\u12""#, #""\ud83d""#, #""\ude00""#, #""\ud83d\u0041""#, "NaN", "Infinity", "'a'", "{} {}", "[1 2]",
            #"{1: 2}"#, "\"a\u{1}b\"", "[", "[1", #"{"a""#, #"{"a":"#,
        ]
        for text in bad { #expect(parse(text) == nil, "\(text)") }
        #expect(parse(bytes: [0x22, 0xFF, 0x22]) == nil)
        #expect(parse(bytes: [0x22, 0xC3, 0x22]) == nil)
    }

    @Test func refusesNestingDeeperThanTheLimit() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(parse(deep) == nil)
        #expect(parse(fine) != nil)
        #expect(parse(String(repeating: "[", count: 100_000)) == nil)
    }

    /// Random documents written by JSONSerialization read the same with both readers.
    @Test func agreesWithJSONSerializationOnRandomDocuments() throws {
        var random = SplitMix64(seed: 42)
        func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        func value(_ depth: Int) -> Any {
            switch below(depth > 3 ? 5 : 7) {
            case 0: return NSNull()
            case 1: return below(2) == 0
            case 2: return Double(Int64(bitPattern: random.next()) >> below(64)) / Double(1 << below(40))
            case 3: return Int(Int32(truncatingIfNeeded: random.next()))
            case 4:
                let scalars: [Unicode.Scalar] = (0..<below(12)).map { _ in
                    [Unicode.Scalar(UInt8(below(128))), Unicode.Scalar(0xE9 as UInt8), "中", "😀", "\"", "\\", "/"][below(7)]
                }
                return String(String.UnicodeScalarView(scalars))
            case 5: return (0..<below(5)).map { _ in value(depth + 1) }
            default:
                var object: [String: Any] = [:]
                for _ in 0..<below(5) { object["k\(below(50))\u{E9}"] = value(depth + 1) }
                return object
            }
        }
        for _ in 0..<2_000 {
            let document: Any = below(2) == 0 ? ["d": value(0)] : (0..<below(4)).map { _ in value(1) }
            let data = try JSONSerialization.data(withJSONObject: document, options: [.fragmentsAllowed])
            let reference = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            let read = try #require(parse(bytes: Array(data)), "\(String(decoding: data, as: UTF8.self))")
            #expect(agrees(read, reference), "\(String(decoding: data, as: UTF8.self))")
        }
    }

    /// The hand-written score response parses to the same JSON as the Codable reference.
    @Test func theScoreWriterAgreesWithJSONEncoder() throws {
        let service = makeService()
        for row in germanCreditRows.prefix(200) {
            let result = try scorecardpyScorer.score(row: row, reasons: 4)
            var writer = JSONWriter()
            service.write(result, to: &writer)
            let fast = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? NSDictionary
            let reference = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ScoreBody(result))) as? NSDictionary
            #expect(fast == reference)
        }
        var writer = JSONWriter()
        writer.string("q\"b\\s\n\u{1}é")
        #expect(try JSONSerialization.jsonObject(with: Data(writer.bytes), options: [.fragmentsAllowed]) as? String == "q\"b\\s\n\u{1}é")
    }
}
