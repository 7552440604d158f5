#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LendingCSV
import Testing

@Suite struct CSVOutputTests {
    @Test func quotesFieldsThatNeedIt() {
        var buffer = CSVOutputBuffer()
        buffer.appendRecord(["plain", "a,b", "say \"hi\"", "two\nlines", ""])
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n")
    }

    @Test func formatsIntegersProbabilitiesAndScores() {
        var sink = ByteSink(capacity: 64)
        sink.reserve(200)
        sink.writeInt(-9_223_372_036_854_775_807)
        sink.writeByte(0x2C)
        sink.writeProbability(0.0570115)
        sink.writeByte(0x2C)
        sink.writeProbability(1)
        sink.writeByte(0x2C)
        sink.writeProbability(0.0000004)
        sink.writeByte(0x2C)
        sink.writeScore(590)
        sink.writeByte(0x2C)
        sink.writeScore(12.25)
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "-9223372036854775807,0.057012,1.000000,0.000000,590,12.25")
    }

    @Test func outputAppearsOnlyOnCommit() throws {
        let path = "/tmp/lending-output-test.csv"
        unlinkIfPresent(path)
        let output = try OutputFile(path: path)
        try Array("a\n".utf8).withUnsafeBytes { try output.write($0) }
        #expect(!fileExists(path))
        output.abandon()
        #expect(!fileExists(path))
        let second = try OutputFile(path: path)
        try second.commit()
        #expect(fileExists(path))
    }

    @Test func validatesUTF8() {
        func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { UTF8Validation.isValid($0) } }
        #expect(valid(Array("plain ascii text that is long enough".utf8)))
        #expect(valid(Array("中文 é 🙂".utf8)))
        #expect(!valid([0xC3]))                 // truncated
        #expect(!valid([0xC0, 0xAF]))           // overlong
        #expect(!valid([0xED, 0xA0, 0x80]))     // surrogate
        #expect(!valid([0xF4, 0x90, 0x80, 0x80])) // above U+10FFFF
        #expect(!valid(Array("abcdefgh".utf8) + [0xFF]))
    }
}

@Suite struct OutputFileTargetTests {
    /// A target that is not a regular file (here a pipe; /dev/null in real use) is written
    /// directly and stays what it was: an atomic rename over /dev/null once replaced the device
    /// with a regular file.
    @Test func aPipeIsWrittenDirectlyAndStaysAPipe() throws {
        let path = "/tmp/lending-output-fifo-\(getpid())"
        unlink(path)
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        // A reader first, so that opening for writing does not wait.
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let output = try OutputFile(path: path)
        try Array("a,b\n".utf8).withUnsafeBytes { try output.write($0) }
        try output.commit()
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect((status.st_mode & S_IFMT) == S_IFIFO)
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(read(reader, &buffer, 16) == 4)
        #expect(Array(buffer.prefix(4)) == Array("a,b\n".utf8))
    }
}
