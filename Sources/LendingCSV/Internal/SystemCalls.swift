#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// The text of `errno` for messages.
func systemErrorText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

/// Reads up to `count` bytes, retrying on EINTR. Returns 0 at end of file.
func readRetrying(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) throws(CSVError) -> Int {
    while true {
        let result = read(fd, buffer, count)
        if result >= 0 { return result }
        if errno == EINTR { continue }
        throw CSVError(.io, "cannot read: \(systemErrorText(errno))")
    }
}

/// Writes all bytes, retrying on EINTR and short writes.
func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(CSVError) {
    var offset = 0
    while offset < buffer.count {
        let result = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if result < 0 {
            if errno == EINTR { continue }
            throw CSVError(.io, "cannot write: \(systemErrorText(errno))")
        }
        offset += result
    }
}
