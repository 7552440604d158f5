import GRDB
import GRDBSQLite
import LendingModel

/// Binds and steps one of GRDB's cached statements directly through SQLite's C API.
///
/// Written here because GRDB's argument path (an array of `DatabaseValueConvertible`
/// existentials turned into `DatabaseValue`s, validated, then bound) took about 40% of the thread
/// that decides and stores applications in `lending apply`: its profile showed `Statement.execute`,
/// `setArguments` and `StatementArguments` at 25% of all samples against 8% for `sqlite3_step`
/// itself. Used only for the hot multi-row inserts; everything else goes through GRDB. The
/// statement still comes from GRDB (`cachedStatement`) and runs inside GRDB's transaction on its
/// queue.
struct RowInserter {
    private let handle: OpaquePointer
    private var index: Int32 = 1
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    init(_ statement: Statement) throws {
        handle = statement.sqliteStatement
        let code = sqlite3_reset(handle)
        guard code == SQLITE_OK else { throw RowInserter.error(code, handle) }
        sqlite3_clear_bindings(handle)
    }

    mutating func bind(_ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
        index += 1
    }

    mutating func bind(_ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        index += 1
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    mutating func bind(_ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        index += 1
    }

    mutating func bind(_ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            index += 1
            return
        }
        let position = index
        value.withUTF8 { bytes in
            if let base = bytes.baseAddress {
                base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { text in
                    _ = sqlite3_bind_text(handle, position, text, Int32(bytes.count), RowInserter.transient)
                }
            } else {
                // An empty text still needs a pointer: a zero-length text, not NULL.
                _ = sqlite3_bind_text(handle, position, "", 0, RowInserter.transient)
            }
        }
        index += 1
    }

    mutating func bind(bytes: [UInt8]) {
        let position = index
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(handle, position, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count), RowInserter.transient)
        }
        index += 1
    }

    /// Binds the bytes that hex text stands for (a hash or a key).
    mutating func bind(hex: String) {
        var text = hex
        let position = index
        text.withUTF8 { digits in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(digits.count / 2, 1)) { buffer in
                var out = 0
                var at = 0
                while at + 1 < digits.count {
                    buffer[out] = RowInserter.nibble(digits[at]) << 4 | RowInserter.nibble(digits[at + 1])
                    out += 1
                    at += 2
                }
                _ = sqlite3_bind_blob(handle, position, buffer.baseAddress, Int32(out), RowInserter.transient)
            }
        }
        index += 1
    }

    @inline(__always)
    static func nibble(_ digit: UInt8) -> UInt8 { hexValue(digit) ?? 0 }

    /// Runs the statement with what was bound.
    func step() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let failure = RowInserter.error(code, handle)
            sqlite3_reset(handle)
            throw failure
        }
    }

    private static func error(_ code: Int32, _ handle: OpaquePointer) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))
    }
}
