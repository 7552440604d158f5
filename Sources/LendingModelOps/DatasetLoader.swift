import LendingCSV
import LendingModel
import LendingTraining

/// Reads a labelled CSV into columns for training: each column is dictionary-encoded by its
/// bytes while reading (no string per field), then typed: numeric if every non-empty value is
/// a number, categorical otherwise. An empty field is missing.
public enum DatasetLoader {
    /// - Parameters:
    ///   - target: the label column.
    ///   - badValue: the label text that means bad; any other value is good.
    public static func load(path: String, target: String, badValue: String) throws -> TrainingData {
        let fd = try openInput(path)
        defer { closeInput(fd) }
        let chunker = CSVChunker(fileDescriptor: fd, chunkSize: 1 << 22)
        var spans = CSVFieldSpans()
        var header: [String] = []
        var dictionaries: [ByteDictionary] = []
        var codes: [[Int32]] = []
        var line = 1
        var scratch: [UInt8] = []
        while let item = try chunker.next() {
            guard case .chunk(let chunk) = item else {
                throw CSVError(.recordTooLong, "a record is longer than 1 MiB; is a quote left open?", location: SourceLocation(file: path, line: line, column: 1))
            }
            let bytes = chunk.bytes
            var parser = CSVRecordParser(bytes: bytes)
            while parser.next(into: &spans) {
                func location(_ offset: Int) -> SourceLocation {
                    let (l, c) = spans.lineAndColumn(ofOffset: offset, in: bytes, chunkFirstLine: line)
                    return SourceLocation(file: path, line: l, column: c)
                }
                if header.isEmpty {
                    header = try spans.headerNames(in: bytes, file: path, chunkFirstLine: line)
                    guard header.contains(target) else {
                        throw CSVError(.header, "the target column \"\(target)\" is not in the header; check --target", location: SourceLocation(file: path, line: 1, column: 1))
                    }
                    dictionaries = header.map { _ in ByteDictionary() }
                    codes = header.map { _ in [] }
                    continue
                }
                if let (kind, offset) = spans.error { throw CSVError(kind, CSVTable.describe(kind), location: location(offset)) }
                guard spans.count == header.count else {
                    throw CSVError(.fieldCount, "expected \(header.count) fields as in the header, found \(spans.count)", location: location(spans.recordStart))
                }
                for column in 0..<header.count {
                    let code = spans.withField(column, in: bytes, scratch: &scratch) { field in dictionaries[column].code(of: field) }
                    if code == Int32.min {
                        throw CSVError(.invalidUTF8, "\"\(header[column])\" is not valid UTF-8 text", location: location(spans.fieldOffset(column)))
                    }
                    codes[column].append(code)
                }
            }
            line += parser.newlines
        }
        guard !header.isEmpty else {
            throw CSVError(.emptyFile, "the file is empty; a header row is required", location: SourceLocation(file: path, line: 1, column: 1))
        }
        let targetIndex = header.firstIndex(of: target)!
        let targetValues = dictionaries[targetIndex].strings
        guard let badCode = targetValues.firstIndex(of: badValue) else {
            let seen = targetValues.filter { !$0.isEmpty }.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ")
            throw LendingError(code: "train.bad_value", message: "no row has \(target) = \"\(badValue)\" (values seen: \(seen)); check --bad", file: path)
        }
        if let empty = targetValues.firstIndex(of: ""), let row = codes[targetIndex].firstIndex(of: Int32(empty)) {
            throw LendingError(code: "train.missing_target", message: "data row \(row + 1) has an empty \(target); every row needs a label", file: path)
        }
        let bad = codes[targetIndex].map { $0 == Int32(badCode) }
        var names: [String] = []
        var columns: [TrainingColumn] = []
        for (index, name) in header.enumerated() where index != targetIndex {
            names.append(name)
            let strings = dictionaries[index].strings
            let numbers = strings.map { $0.isEmpty ? Double.nan : (NumberParsing.parse($0) ?? .infinity) }
            let missingCode = strings.firstIndex(of: "")
            if !numbers.contains(.infinity) {
                columns.append(.numeric(codes[index].map { numbers[Int($0)] }))
            } else {
                // Categories in first-seen order, missing as -1.
                var remap = [Int32](repeating: -1, count: strings.count)
                var categories: [String] = []
                for (code, text) in strings.enumerated() where code != missingCode {
                    remap[code] = Int32(categories.count)
                    categories.append(text)
                }
                columns.append(.categorical(codes: codes[index].map { remap[Int($0)] }, categories: categories))
            }
        }
        return TrainingData(names: names, columns: columns, bad: bad)
    }
}

import LendingScoring

enum NumberParsing {
    static func parse(_ text: String) -> Double? { Scorer.parseNumber(text) }
}

/// A growable open-addressing map from field bytes to dense codes, in first-seen order.
struct ByteDictionary {
    private var arena: [UInt8] = []
    private var offsets: [Int] = []
    private var lengths: [Int] = []
    private var table = [Int32](repeating: -1, count: 64)
    private(set) var strings: [String] = []

    /// The code of `bytes`, adding it if new; `Int32.min` if the bytes are not valid UTF-8.
    mutating func code(of bytes: UnsafeRawBufferPointer) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] >= 0 {
            let code = Int(table[slot])
            if lengths[code] == bytes.count && arena.withUnsafeBytes({ arena in
                bytes.count == 0 || memcmp(arena.baseAddress! + offsets[code], bytes.baseAddress!, bytes.count) == 0
            }) {
                return Int32(code)
            }
            slot = (slot + 1) & mask
        }
        guard UTF8Validation.isValid(bytes), !UTF8Validation.containsNUL(bytes) else { return Int32.min }
        let code = Int32(strings.count)
        offsets.append(arena.count)
        lengths.append(bytes.count)
        arena.append(contentsOf: bytes)
        strings.append(String(decoding: bytes, as: UTF8.self))
        table[slot] = code
        if strings.count * 2 > table.count { rehash() }
        return code
    }

    private mutating func rehash() {
        table = [Int32](repeating: -1, count: table.count * 2)
        let mask = table.count - 1
        for code in strings.indices {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for index in offsets[code]..<(offsets[code] + lengths[code]) { hash = (hash ^ UInt64(arena[index])) &* 0x0000_0100_0000_01B3 }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(code)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
