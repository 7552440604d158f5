import Foundation
import LendingTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A port nothing listens on now (the kernel's choice for a socket bound to port 0).
func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// One HTTP/1.1 exchange over a fresh connection (`Connection: close`); `nil` if nothing listens.
func http(_ method: String, _ path: String, port: Int, headers: [String: String] = [:], body: String = "") -> (status: Int, body: String)? {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { return nil }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
    guard connected else { return nil }
    var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    request += "\r\n" + body
    let bytes = Array(request.utf8)
    var sent = 0
    while sent < bytes.count {
        let count = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard count > 0 else { return nil }
        sent += count
    }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        received += buffer[..<count]
    }
    let text = String(decoding: received, as: UTF8.self)
    guard let headEnd = text.range(of: "\r\n\r\n"), let status = Int(text.split(separator: " ").dropFirst().first ?? "") else { return nil }
    return (status, String(text[headEnd.upperBound...]))
}

/// One CSV record without line breaks inside fields (quoted fields and doubled quotes).
func csvRecord(_ line: Substring) -> [String] {
    var fields: [String] = []
    var field = ""
    var quoted = false
    var previous: Character?
    for character in line {
        if quoted {
            if character == "\"" { quoted = false } else { field.append(character) }
        } else if character == "\"" {
            quoted = true
            if previous == "\"" { field.append("\"") }
        } else if character == "," {
            fields.append(field)
            field = ""
        } else {
            field.append(character)
        }
        previous = character
    }
    fields.append(field)
    return fields
}

/// The header and first data row of a CSV file, as a JSON object of strings.
func firstRowJSON(_ path: String, dropping: Set<String> = []) throws -> (json: String, fields: [String: String]) {
    let lines = try String(contentsOfFile: FixtureFiles.repositoryRoot + "/" + path, encoding: .utf8).split(whereSeparator: \.isNewline)
    try #require(lines.count >= 2, "\(path) has no data row")
    let header = csvRecord(lines[0])
    let row = csvRecord(lines[1])
    let fields = Dictionary(uniqueKeysWithValues: zip(header, row).filter { !dropping.contains($0.0) })
    let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    return (String(decoding: data, as: UTF8.self), fields)
}

/// `lending serve` as a child process, its standard error in a file.
struct ServerProcess {
    let process: Process
    let stderrPath: String

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("lending").path) && directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        stderrPath = temporaryPath("serve-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process = Process()
        process.executableURL = directory.appendingPathComponent("lending")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: FixtureFiles.repositoryRoot)
        // The keys come only from what the test gives: never from the environment it runs in.
        var inherited = ProcessInfo.processInfo.environment
        inherited["LENDING_API_KEYS"] = nil
        inherited["LENDING_PRODUCTS"] = nil
        process.environment = inherited.merging(environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits for the process to end (killing it after `seconds`); `true` if it ended by itself.
    func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    /// Waits until `GET /health` answers 200; `false` if the process ended or `seconds` passed.
    func waitForHealth(port: Int, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && process.isRunning {
            if http("GET", "/health", port: port)?.status == 200 { return true }
            usleep(50_000)
        }
        return false
    }
}

@Suite(.serialized) struct ServeCLITests {
    @Test func servesScoresAndApplicationsThenStopsCleanlyOnSIGTERM() throws {
        let directory = temporaryPath("serve-run")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keys = directory + "/keys.txt"
        try "# API keys of the test\ncli-key-one\n".write(toFile: keys, atomically: true, encoding: .utf8)
        let database = directory + "/lending.sqlite"
        let port = try freePort()
        let server = try ServerProcess(["serve", "--model", model, "--db", database, "--api-key-file", keys, "--port", String(port),
                                        "--threads", "2", "--log-level", "warning"])
        guard server.waitForHealth(port: port, seconds: 60) else {
            _ = server.waitForExit(seconds: 0)
            Issue.record("the server did not come up: \(server.stderr)")
            return
        }
        // Never leave the server behind, whatever fails below.
        defer { if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
        let authorized = ["Authorization": "Bearer cli-key-one", "Content-Type": "application/json"]

        // Scoring: the same score, probability and reasons as `lending score` on German Credit's first row.
        let (features, _) = try firstRowJSON("Fixtures/german-credit.csv", dropping: ["creditability"])
        let scored = try #require(http("POST", "/v1/score", port: port, headers: authorized, body: #"{"features":\#(features)}"#))
        #expect(scored.status == 200, "\(scored.body)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(scored.body.utf8)) as? [String: Any])
        let batch = try runLending(["score", "--model", model, "Fixtures/german-credit.csv"])
        #expect(batch.status == 0)
        let lines = batch.stdout.split(whereSeparator: \.isNewline)
        try #require(lines.count > 1)
        let expected = lines[1].split(separator: ",").map(String.init)
        try #require(expected.count == 7, "\(lines[1])")
        #expect(expected[0] == "1")
        #expect(result["score"] as? Double == Double(expected[1]))
        #expect(String(format: "%.6f", result["probability"] as? Double ?? -1) == expected[2])
        let reasons = (result["reasons"] as? [[String: Any]])?.compactMap { $0["characteristic"] as? String }
        #expect(reasons == Array(expected[3...6]))

        #expect(http("POST", "/v1/score", port: port, headers: ["Authorization": "Bearer wrong"], body: #"{"features":{}}"#)?.status == 401)

        // One application, stored before the answer.
        let (application, fields) = try firstRowJSON("Fixtures/applications/applications.csv")
        let applicationID = try #require(fields["application_id"])
        let decided = try #require(http("POST", "/v1/applications", port: port, headers: authorized.merging(["Idempotency-Key": "cli-app-1"]) { $1 },
                                        body: application))
        #expect(decided.status == 201, "\(decided.body)")
        let decision = try #require(try JSONSerialization.jsonObject(with: Data(decided.body.utf8)) as? [String: Any])
        #expect(decision["application_id"] as? String == applicationID)
        #expect(decision["sequence"] as? Int == 1)
        #expect(http("GET", "/v1/applications/\(applicationID)", port: port, headers: authorized)?.status == 200)
        #expect(http("GET", "/v1/loans/NO-SUCH-LOAN", port: port, headers: authorized)?.status == 404)

        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitForExit(seconds: 30), "the server did not stop on SIGTERM")
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0, "\(server.stderr)")

        let verified = try runLending(["decisions", "verify", "--db", database])
        #expect(verified.status == 0)
        #expect(verified.stdout.hasPrefix("decisions 1 head ") && verified.stdout.hasSuffix(" ok\n"), "\(verified.stdout)")
    }

    @Test func refusesToStartWithoutKeys() throws {
        let server = try ServerProcess(["serve", "--model", model, "--db", ":memory:", "--port", String(try freePort())])
        #expect(server.waitForExit(seconds: 30), "the server started without keys")
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 1)
        #expect(server.stderr.contains("LENDING_API_KEYS"), "\(server.stderr)")
    }

    @Test func refusesToStartWithAProductsFileItCannotRead() throws {
        let server = try ServerProcess(["serve", "--model", model, "--db", ":memory:", "--port", String(try freePort()),
                                        "--products", "no-such-products.json"], environment: ["LENDING_API_KEYS": "k"])
        #expect(server.waitForExit(seconds: 30), "the server started without its products")
        #expect(server.process.terminationStatus == 1)
        #expect(server.stderr.contains("no-such-products.json"), "\(server.stderr)")
    }
}
