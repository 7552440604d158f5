import LendingCSV
import LendingTestSupport
import Testing

/// Parses all records of `text` with the chunk parser.
func parseAll(_ text: String) -> (records: [[String]], errors: [CSVError.Kind?]) {
    parseAll(Array(text.utf8))
}

func parseAll(_ bytes: [UInt8]) -> (records: [[String]], errors: [CSVError.Kind?]) {
    let chunk = CSVChunk(bytes: bytes)
    var parser = CSVRecordParser(bytes: chunk.bytes)
    var spans = CSVFieldSpans()
    var records: [[String]] = []
    var errors: [CSVError.Kind?] = []
    while parser.next(into: &spans) {
        records.append((0..<spans.count).map { spans.string($0, in: chunk.bytes) ?? "<invalid>" })
        errors.append(spans.error?.kind)
    }
    return (records, errors)
}

@Suite struct CSVRecordParserTests {
    @Test func splitsPlainFields() {
        let (records, errors) = parseAll("a,b,c\n1,2,3\n")
        #expect(records == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(errors == [nil, nil])
    }

    @Test func readsQuotedFieldsWithCommasNewlinesAndDoubledQuotes() {
        let (records, errors) = parseAll("x,y\n\"a,b\",\"say \"\"hi\"\"\"\n\"line1\nline2\",z\n")
        #expect(records == [["x", "y"], ["a,b", "say \"hi\""], ["line1\nline2", "z"]])
        #expect(errors == [nil, nil, nil])
    }

    @Test func acceptsCRLFAndAMissingFinalNewline() {
        let (records, _) = parseAll("a,b\r\n1,\"2\"\r\n3,4")
        #expect(records == [["a", "b"], ["1", "2"], ["3", "4"]])
    }

    @Test func keepsEmptyFieldsAndSkipsBlankLines() {
        let (records, _) = parseAll("a,b,c\n\n,,\r\n\n1,,3\n")
        #expect(records == [["a", "b", "c"], ["", "", ""], ["1", "", "3"]])
    }

    @Test func reportsAnUnterminatedQuote() {
        let (_, errors) = parseAll("a,b\n1,\"open\n")
        #expect(errors.last == .unterminatedQuote)
    }

    @Test func reportsAQuoteInsideAnUnquotedField() {
        let (records, errors) = parseAll("a,b\n1,ab\"c\n2,3\n")
        #expect(errors == [nil, .quoteInUnquotedField, nil])
        #expect(records.last == ["2", "3"])
    }

    @Test func reportsTextAfterAClosingQuoteAndResynchronises() {
        let (records, errors) = parseAll("a,b\n\"x\"y,1\n2,3\n")
        #expect(errors == [nil, .textAfterClosingQuote, nil])
        #expect(records.last == ["2", "3"])
    }

    @Test func locatesOffsetsByLineAndCharacterColumn() {
        let text = "h1,h2\n\"multi\nline\",é,x\"\n"
        let chunk = CSVChunk(bytes: Array(text.utf8))
        var parser = CSVRecordParser(bytes: chunk.bytes)
        var spans = CSVFieldSpans()
        _ = parser.next(into: &spans)
        _ = parser.next(into: &spans)
        let (_, offset) = spans.error!
        let (line, column) = spans.lineAndColumn(ofOffset: offset, in: chunk.bytes, chunkFirstLine: 1)
        #expect(line == 3)
        #expect(column == 10) // `line",é,x` then the stray quote at 10: é counts as one character
    }
}

@Suite struct CSVChunkerTests {
    /// Records from chunking `bytes` with a given chunk size, then parsing each chunk.
    func chunkedRecords(_ bytes: [UInt8], chunkSize: Int) throws -> [[String]] {
        let path = "/tmp/lending-chunker-\(chunkSize)-\(bytes.count).csv"
        try writeFile(path, bytes)
        let fd = try openInput(path)
        defer { closeInput(fd) }
        let chunker = CSVChunker(fileDescriptor: fd, chunkSize: chunkSize, maxRecordBytes: 1 << 20)
        var records: [[String]] = []
        var spans = CSVFieldSpans()
        while let item = try chunker.next() {
            guard case .chunk(let chunk) = item else { Issue.record("unexpected oversized record"); continue }
            var parser = CSVRecordParser(bytes: chunk.bytes)
            while parser.next(into: &spans) {
                records.append((0..<spans.count).map { spans.string($0, in: chunk.bytes) ?? "<invalid>" })
            }
        }
        return records
    }

    @Test func chunkBoundariesNeverSplitARecord() throws {
        var generator = SplitMix64(seed: 42)
        let alphabet: [String] = ["a", "b", ",", "\"", "\n", "\r\n", "é", " ", "1"]
        for _ in 0..<40 {
            var text = "c1,c2,c3\n"
            var expected: [[String]] = [["c1", "c2", "c3"]]
            for _ in 0..<Int(generator.next() % 40 + 1) {
                var row: [String] = []
                for _ in 0..<3 {
                    var field = ""
                    for _ in 0..<Int(generator.next() % 6) { field += alphabet[Int(generator.next() % UInt64(alphabet.count))] }
                    row.append(field)
                }
                if row.allSatisfy({ $0.isEmpty }) { row[0] = "x" }
                expected.append(row)
                text += row.map { field in
                    field.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) ? "\"" + field.replacingAll("\"", with: "\"\"") + "\"" : field
                }.joined(separator: ",") + "\n"
            }
            let bytes = Array(text.utf8)
            for chunkSize in [1, 2, 3, 7, 16, 64, 4096] {
                let got = try chunkedRecords(bytes, chunkSize: chunkSize)
                #expect(got == expected, "chunk size \(chunkSize)")
                if got != expected {
                    let index = (0..<min(got.count, expected.count)).first { got[$0] != expected[$0] } ?? min(got.count, expected.count)
                    print("MISMATCH size \(chunkSize) at \(index): got \(index < got.count ? got[index] : []) expected \(index < expected.count ? expected[index] : []) text \(text.debugDescription.prefix(300))")
                    return
                }
            }
        }
    }

    @Test func stripsAByteOrderMark() throws {
        let records = try chunkedRecords([0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8), chunkSize: 4096)
        #expect(records == [["a", "b"], ["1", "2"]])
    }

    @Test func skipsARecordLongerThanTheLimit() throws {
        let long = String(repeating: "x", count: 5000)
        let path = "/tmp/lending-chunker-oversized.csv"
        try writeFile(path, Array("a,b\n1,\"\(long)\n\(long)\"\n2,3\n".utf8))
        let fd = try openInput(path)
        defer { closeInput(fd) }
        let chunker = CSVChunker(fileDescriptor: fd, chunkSize: 64, maxRecordBytes: 1000)
        var kinds: [String] = []
        while let item = try chunker.next() {
            switch item {
            case .chunk(let chunk): kinds.append("chunk:\(chunk.count)")
            case .oversizedRecord(_, let prefix, let newlines, let terminated):
                kinds.append("oversized:\(newlines):\(terminated)")
                #expect(prefix.count == 1000 || prefix.count == 1024)
            }
        }
        #expect(kinds == ["chunk:4", "oversized:2:true", "chunk:4"])
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}


func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let output = try OutputFile(path: path)
    try bytes.withUnsafeBytes { try output.write($0) }
    try output.commit()
}
