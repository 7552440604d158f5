import Foundation
import LendingCSV
import LendingModel
import LendingTestSupport
import Testing
@testable import LendingSimulation

@Test func theGermanCreditResourceIsTheFixtureByteForByte() throws {
    let fixture = try #require(FileManager.default.contents(atPath: FixtureFiles.fixture("german-credit.csv")))
    #expect(Array(GermanCredit.csvText.utf8) == Array(fixture))
    #expect(GermanCredit.rowCount == 1000)
    #expect(GermanCredit.characteristics(row: 0)[0] == "... < 0 DM")
    #expect(GermanCredit.characteristics(row: 999).last == "yes")
    #expect((0..<1000).filter(GermanCredit.isBad).count == 300)
}

@Test func applicationColumnsAreExactlyTheContract() throws {
    let fixture = try CSVTable.read(path: FixtureFiles.fixture("german-credit.csv"))
    let characteristics = fixture.header.filter { $0 != "creditability" }
    #expect(GermanCredit.characteristicNames == characteristics)
    let contract = ["application_id", "applied_at", "product", "channel", "merchant_id", "name", "id_number", "phone", "bank_card",
                    "device_id", "ip", "address", "employer", "contact_phone", "requested_amount", "term_months", "kyc_name_id",
                    "kyc_phone", "kyc_card", "liveness", "face_score"]
    #expect(SyntheticFile.applications.columns == contract + characteristics)
    #expect(SyntheticFile.truth.columns == ["application_id", "label", "is_fraud", "group", "credit_bad"])
    #expect(SyntheticFile.blacklist.columns == ["type", "value", "reason", "valid_until"])
    #expect(SyntheticFile.population.columns == ["id_number", "name", "phone"] + characteristics)
}

@Test func writtenFilesReadBackWithOneRecordPerValue() throws {
    let dataset = try ApplicationGenerator.generate(GeneratorConfiguration(count: 800, seed: 11))
    let directory = NSTemporaryDirectory() + "lending-simulation-\(ProcessInfo.processInfo.processIdentifier)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let expected: [SyntheticFile: Int] = [.applications: 800, .truth: 800, .population: dataset.population.count,
                                          .blacklist: dataset.blacklist.count]
    for file in SyntheticFile.allCases {
        let path = "\(directory)/\(file.rawValue).csv"
        try SyntheticDataWriter.write(file, of: dataset, to: path)
        #expect(Array(try #require(FileManager.default.contents(atPath: path))) == SyntheticDataWriter.bytes(file, of: dataset))
        let table = try CSVTable.read(path: path)
        #expect(table.header == file.columns)
        #expect(table.rows.count == expected[file])
    }
    let applications = try CSVTable.read(path: "\(directory)/applications.csv")
    let first = dataset.applications[0]
    let row = applications.rows[0]
    #expect(row[0] == first.applicationID)
    #expect(row[applications.column("requested_amount")!] == first.requestedAmount.yuanString)
    #expect(row[applications.column("telephone")!] == GermanCredit.characteristics(row: first.creditRow)[18])
    let truth = try CSVTable.read(path: "\(directory)/truth.csv")
    #expect(truth.rows.allSatisfy { ["0", "1"].contains($0[2]) && ($0[2] == "1") == SyntheticLabel(rawValue: $0[1])!.isFraud })
}

@Test func appliedAtIsLocalTimeWithTheOffset() {
    let instant = Instant(iso: "2026-10-01T09:30:12+08:00")!
    #expect(SyntheticDataWriter.localTime(instant, offsetSeconds: 8 * 3600) + SyntheticDataWriter.offsetText(8 * 3600)
            == "2026-10-01T09:30:12+08:00")
    #expect(SyntheticDataWriter.offsetText(-(5 * 3600 + 30 * 60)) == "-05:30")
    let text = String(decoding: SyntheticDataWriter.bytes(.applications, of: Shared.dataset), as: UTF8.self)
    let firstRow = text.split(separator: "\n")[1].split(separator: ",")
    #expect(Instant(iso: String(firstRow[1])) == Shared.dataset.applications[0].appliedAt)
    #expect(firstRow[1].hasSuffix("+08:00") && firstRow[1].count == 25)
}

@Test func writingToAMissingDirectoryFailsWithoutLeavingAFile() throws {
    let dataset = try ApplicationGenerator.generate(GeneratorConfiguration(count: 10, seed: 1))
    #expect(throws: CSVError.self) { try SyntheticDataWriter.write(.truth, of: dataset, to: "/nonexistent-dir/truth.csv") }
}
