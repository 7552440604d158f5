#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// An output that appears under its name only when complete: bytes go to a temporary file
/// beside the target, which is synced and renamed over the target on ``commit()``.
/// `-` writes straight to standard output.
public final class OutputFile {
    public let path: String
    private let temporaryPath: String?
    private var fd: Int32
    private var finished = false

    /// Opens the temporary file (or standard output for `-`). A target that exists and is not a
    /// regular file (`/dev/null`, a pipe, a terminal) is written directly: renaming over it would
    /// replace the device with a file.
    public init(path: String) throws(CSVError) {
        self.path = path
        if path == "-" {
            temporaryPath = nil
            fd = 1
            return
        }
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
            let opened = open(path, O_WRONLY | O_CLOEXEC)
            guard opened >= 0 else {
                throw CSVError(.io, "cannot open the output: \(systemErrorText(errno)); check that it is writable", file: path)
            }
            temporaryPath = nil
            fd = opened
            return
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(directory).\(name).tmp-\(getpid())"
        let opened = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw CSVError(.io, "cannot create the output: \(systemErrorText(errno)); check that the directory exists and is writable", file: path)
        }
        temporaryPath = temporary
        fd = opened
    }

    deinit { if !finished { abandon() } }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(CSVError) {
        do throws(CSVError) { try writeAll(fd, bytes) } catch {
            throw CSVError(.io, error.message + "; is the disk full?", file: path)
        }
    }

    /// Appends the bytes of a buffer.
    public func write(_ buffer: CSVOutputBuffer) throws(CSVError) {
        let result: Result<Void, CSVError> = buffer.bytes.withUnsafeBytes { raw in
            do throws(CSVError) { try write(raw); return .success(()) } catch { return .failure(error) }
        }
        try result.get()
    }

    /// Makes the output visible under its name.
    public func commit() throws(CSVError) {
        guard !finished else { return }
        finished = true
        guard let temporaryPath else {
            if fd > 2 { close(fd) }
            return
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd); unlink(temporaryPath)
            throw CSVError(.io, "cannot sync the output: \(systemErrorText(code))", file: path)
        }
        close(fd)
        if rename(temporaryPath, path) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw CSVError(.io, "cannot move the output into place: \(systemErrorText(code))", file: path)
        }
    }

    /// Removes the temporary file; the target is left as it was.
    public func abandon() {
        guard !finished else { return }
        finished = true
        guard let temporaryPath else {
            if fd > 2 { close(fd) }
            return
        }
        close(fd)
        unlink(temporaryPath)
    }
}

/// Opens a file for reading (`-` is standard input).
public func openInput(_ path: String) throws(CSVError) -> Int32 {
    if path == "-" { return 0 }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        throw CSVError(.io, "cannot open: \(systemErrorText(errno))", file: path)
    }
    var status = stat()
    if fstat(fd, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
        close(fd)
        throw CSVError(.io, "is a directory, not a CSV file", file: path)
    }
    return fd
}

/// Closes a descriptor opened by ``openInput(_:)`` (not standard input).
public func closeInput(_ fd: Int32) { if fd > 2 { close(fd) } }

/// The size of a regular file, or `nil` (pipes, standard input).
public func inputSize(_ fd: Int32) -> Int64? {
    var status = stat()
    guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int64(status.st_size)
}

/// Whether standard error is a terminal (progress lines go there only then).
public var standardErrorIsTerminal: Bool { isatty(2) == 1 }

/// Writes a line to standard error.
public func printToStandardError(_ line: String) { printToStandardError(line, terminator: "\n") }

/// Reads a descriptor in blocks of raw bytes (for hashing).
public struct CSVByteBlocks {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    public init(fileDescriptor: Int32) { fd = fileDescriptor }

    /// The next block, or `nil` at the end.
    public mutating func next() throws(CSVError) -> [UInt8]? {
        let descriptor = fd
        let got: Result<Int, CSVError> = buffer.withUnsafeMutableBytes { raw in
            do throws(CSVError) { return .success(try readRetrying(descriptor, raw.baseAddress!, raw.count)) } catch { return .failure(error) }
        }
        let count = try got.get()
        return count == 0 ? nil : Array(buffer[0..<count])
    }
}

/// Writes text to standard error with a chosen terminator.
public func printToStandardError(_ text: String, terminator: String) {
    var copy = text + terminator
    copy.withUTF8 { try? writeAll(2, UnsafeRawBufferPointer($0)) }
}
