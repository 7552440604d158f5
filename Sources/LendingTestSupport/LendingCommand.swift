import Foundation
import Synchronization

/// What a run of the `lending` executable gave.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var terminatedBySignal: Bool
}

/// One child at a time: the processes are short, and Foundation's pipes are not reliable
/// under many concurrent `Process` runs.
private let processLock = Mutex(())

/// Runs the built `lending` executable (it sits beside the test bundle) in the repository root,
/// with standard output and error captured.
/// `environment` is added to this process's own.
public func runLending(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    try processLock.withLock { _ in try runLendingAlone(arguments, stdin: stdin, environment: environment) }
}

private func runLendingAlone(_ arguments: [String], stdin: Data?, environment: [String: String]) throws -> CommandResult {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    // On Linux the test bundle is `.build/<triple>/debug/lendingPackageTests.xctest`.
    while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("lending").path) && directory.path != "/" {
        directory = directory.deletingLastPathComponent()
    }
    // Standard output and error go to files (no pipe can fill up and block the child);
    // standard input comes from a file too.
    let outPath = temporaryPath("child-stdout")
    let errPath = temporaryPath("child-stderr")
    let inPath = temporaryPath("child-stdin")
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    FileManager.default.createFile(atPath: inPath, contents: stdin ?? Data())
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
    defer { try? out.close(); try? err.close(); try? input.close() }
    let process = Process()
    process.executableURL = directory.appendingPathComponent("lending")
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
    process.currentDirectoryURL = URL(fileURLWithPath: FixtureFiles.repositoryRoot)
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    process.waitUntilExit()
    let outData = FileManager.default.contents(atPath: outPath) ?? Data()
    let errData = FileManager.default.contents(atPath: errPath) ?? Data()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self),
                         terminatedBySignal: process.terminationReason == .uncaughtSignal)
}

/// A path in this process's scratch directory for CLI runs, with nothing at it yet.
public func temporaryPath(_ name: String) -> String {
    let directory = NSTemporaryDirectory() + "lending-cli-\(ProcessInfo.processInfo.processIdentifier)"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/" + name
    try? FileManager.default.removeItem(atPath: path)
    return path
}
