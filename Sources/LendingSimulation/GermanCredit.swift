import Foundation
import LendingCSV

/// The German Credit data set (Fixtures/german-credit.csv, 1,000 people, 20 characteristics and
/// `creditability`), a resource of this module (`Resources/german-credit.csv`, which the fixture
/// links to), so that generated applications carry real joint credit characteristics from any
/// directory. It is read from the module's resource bundle, not compiled in: compiled in with
/// `.embedInCode`, its 268 KB took 136 s of a debug build.
public enum GermanCredit {
    /// The name of the outcome column, left out of generated files.
    public static let outcomeColumn = "creditability"

    /// The 20 characteristic column names, in the fixture's order.
    public static var characteristicNames: [String] { table.characteristicNames }

    /// One row's 20 characteristic values, in the order of ``characteristicNames``.
    /// - Parameter row: 0-based data row, `0..<rowCount`.
    public static func characteristics(row: Int) -> [String] { table.characteristics[row] }

    /// Whether the row's outcome is `bad`.
    public static func isBad(row: Int) -> Bool { table.bad[row] }

    /// The number of data rows (1,000).
    public static var rowCount: Int { table.characteristics.count }

    /// The embedded file as text, byte for byte the fixture.
    public static var csvText: String { text }

    static let table = ParsedGermanCredit(csv: text)

    /// The file's exact bytes as text (CRLF line ends, a final line end).
    static let text: String = {
        guard let url = Bundle.module.url(forResource: "german-credit", withExtension: "csv"),
              let data = try? Data(contentsOf: url) else {
            preconditionFailure("the German Credit resource is missing from this build's resource bundle (\(Bundle.module.bundlePath))")
        }
        return String(decoding: data, as: UTF8.self)
    }()
}

/// The embedded CSV parsed once, with what the generator needs per row precomputed.
struct ParsedGermanCredit: Sendable {
    var characteristicNames: [String]
    var characteristics: [[String]]
    var bad: [Bool]
    var age: [Int]
    var male: [Bool]
    var job: [Job]

    /// The German Credit `job` categories, which decide how often the employer is left blank.
    enum Job: Sendable { case unemployed, unskilled, skilled, selfEmployedOrManagement }

    init(csv: String) {
        var text = csv
        var records: [[String]] = []
        text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            var parser = CSVRecordParser(bytes: bytes)
            var spans = CSVFieldSpans()
            while parser.next(into: &spans) {
                precondition(spans.error == nil, "the embedded German Credit data is malformed")
                records.append((0..<spans.count).map { spans.string($0, in: bytes) ?? "" })
            }
        }
        let header = records.removeFirst()
        guard let outcome = header.firstIndex(of: GermanCredit.outcomeColumn),
              let ageColumn = header.firstIndex(of: "age_in_years"),
              let sexColumn = header.firstIndex(of: "personal_status_and_sex"),
              let jobColumn = header.firstIndex(of: "job") else {
            preconditionFailure("the embedded German Credit data lacks a needed column")
        }
        characteristicNames = header.enumerated().filter { $0.offset != outcome }.map(\.element)
        characteristics = records.map { row in row.enumerated().filter { $0.offset != outcome }.map(\.element) }
        bad = records.map { $0[outcome] == "bad" }
        age = records.map { Int($0[ageColumn]) ?? 35 }
        male = records.map { $0[sexColumn].hasPrefix("male") }
        job = records.map { row in
            switch row[jobColumn] {
            case let value where value.hasPrefix("unemployed"): .unemployed
            case let value where value.hasPrefix("unskilled"): .unskilled
            case let value where value.hasPrefix("management"): .selfEmployedOrManagement
            default: .skilled
            }
        }
    }
}
